// Package duration reads and writes the durations people give SolarNetwork
// tools: Go durations, optionally led by whole days ("30d", "1d12h"), which
// Go's time.ParseDuration does not take. The provider's settings and the
// simulator's clock offset read them alike.
package duration

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Formats says what Parse accepts, for descriptions and errors.
const Formats = `A duration such as "720h", "90m" or "1h30m" (Go syntax), or days: "30d", "1d12h"`

// maxDays bounds the days part: a hundred years is longer than any token
// should live, and more would overflow time.Duration soon after.
const maxDays = 100 * 365

const day = 24 * time.Hour

var daysLead = regexp.MustCompile(`^(\d+)d`)

// Parse reads a Go duration, optionally led by whole days ("30d",
// "1d12h"). Negative durations are refused.
func Parse(s string) (time.Duration, error) {
	rest, total := s, time.Duration(0)
	if m := daysLead.FindStringSubmatch(s); m != nil {
		days, err := strconv.Atoi(m[1])
		if err != nil || days > maxDays {
			return 0, fmt.Errorf("%q is too long", s)
		}
		total, rest = time.Duration(days)*day, s[len(m[0]):]
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		// "1d-1h" and "1d+1h" read as one duration would mean something
		// else than they seem.
		if err != nil || d < 0 || (total > 0 && rest[0] == '+') {
			return 0, fmt.Errorf("%q is not a duration. %s", s, Formats)
		}
		total += d
	}
	if s == "" || total < 0 {
		return 0, fmt.Errorf("%q is not a duration. %s", s, Formats)
	}
	return total, nil
}

// ParseSigned is Parse with an optional leading "-" that negates the whole
// ("-30d12h" is minus thirty and a half days), for offsets.
func ParseSigned(s string) (time.Duration, error) {
	if rest, negative := strings.CutPrefix(s, "-"); negative {
		d, err := Parse(rest)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration. %s, optionally led by \"-\"", s, Formats)
		}
		return -d, nil
	}
	return Parse(s)
}

// Format is d as Go writes it without zero units: "1m", not "1m0s".
func Format(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Human is Format below two days and from there days, hours and minutes
// ("6d20h15m"), as Parse reads them.
func Human(d time.Duration) string {
	if d < 2*day {
		return Format(d)
	}
	days, rest := d/day, (d % day).Round(time.Minute)
	if rest == day {
		days, rest = days+1, 0
	}
	out := fmt.Sprintf("%dd", days)
	if h := rest / time.Hour; h > 0 {
		out += fmt.Sprintf("%dh", h)
	}
	if m := (rest % time.Hour) / time.Minute; m > 0 {
		out += fmt.Sprintf("%dm", m)
	}
	return out
}
