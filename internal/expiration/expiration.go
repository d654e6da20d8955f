// Package expiration reads a token's expiry as people write it (a local date or
// date-time in a time zone, as s10k takes it, or an RFC 3339 instant) and
// writes instants as the provider shows them. It knows nothing of
// Terraform: the provider's validators and plans both use it.
package expiration

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	// Embedded zone data: a plan must resolve zones the same on every machine.
	_ "time/tzdata"
)

// Expiration dates are written as the s10k CLI takes them (a local date or
// date-time) or as an RFC 3339 instant with an offset.
var localDateTimeLayouts = []string{
	"2006-01-02",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999",
}

var hasOffset = regexp.MustCompile(`(Z|[+-]\d{2}:\d{2})$`)

var fixedOffset = regexp.MustCompile(`^([+-])(\d{2}):(\d{2})$`)

// Formats is shown in errors so the user can fix the value.
const Formats = `"2027-10-30", "2027-10-30T12:45", "2027-10-30T12:45:00" or an RFC 3339 instant such as "2027-10-30T12:45:00+13:00"`

// ParseTimeZone accepts an IANA zone name, "UTC", or a fixed offset such as
// "-05:00". The empty string means UTC, so plans never depend on the
// machine's own zone.
func ParseTimeZone(s string) (*time.Location, error) {
	switch s {
	case "", "UTC", "Z":
		return time.UTC, nil
	}
	if m := fixedOffset.FindStringSubmatch(s); m != nil {
		var h, mm int
		_, _ = fmt.Sscanf(m[2]+" "+m[3], "%d %d", &h, &mm)
		secs := h*3600 + mm*60
		if mm > 59 || secs > 18*3600 {
			return nil, fmt.Errorf("%q is not a valid offset: use -18:00 to +18:00", s)
		}
		if m[1] == "-" {
			secs = -secs
		}
		return time.FixedZone(s, secs), nil
	}
	if strings.EqualFold(s, "local") {
		return nil, fmt.Errorf("%q is not allowed: the machine's zone would make plans differ between machines; name the zone, such as \"Pacific/Auckland\"", s)
	}
	// LoadLocation reads the machine's zone files first, which also hold its
	// own zone and posix/ and right/ (leap second) copies: not zones that
	// every machine resolves alike.
	if lower := strings.ToLower(s); lower == "localtime" || lower == "posixrules" ||
		strings.HasPrefix(lower, "posix/") || strings.HasPrefix(lower, "right/") {
		return nil, fmt.Errorf("%q is not allowed: it is a file of this machine's zone data, not a time zone; name the zone, such as \"Pacific/Auckland\"", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone: use an IANA name such as \"Pacific/Auckland\", \"UTC\", or an offset such as \"-05:00\"", s)
	}
	return loc, nil
}

// Resolve turns expiration_date and time_zone into the instant
// SolarNetwork stores, at millisecond precision. A value with an offset
// ignores the zone; a date alone means midnight.
func Resolve(date, zone string) (time.Time, error) {
	t, err := Parse(date, zone)
	if err != nil {
		return time.Time{}, err
	}
	// SolarNetwork ignores a notAfter at or before the epoch: the token
	// would never expire.
	if t.UnixMilli() <= 0 {
		return time.Time{}, fmt.Errorf("%q is not after 1970-01-01T00:00:00Z; SolarNetwork would ignore it and the token would never expire", date)
	}
	// expires_at has a four-digit year and must read back as a date.
	if t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%q is after 9999-12-31T23:59:59.999Z", date)
	}
	return t, nil
}

// Parse checks the form of a date alone; the range depends on
// the zone, which Resolve checks with it.
func Parse(date, zone string) (time.Time, error) {
	date = strings.TrimSpace(date)
	if len(date) > 10 && date[10] == ' ' {
		date = date[:10] + "T" + date[11:]
	}
	var t time.Time
	if hasOffset.MatchString(date) {
		var err error
		if t, err = time.Parse(time.RFC3339Nano, date); err != nil {
			return time.Time{}, fmt.Errorf("%q is not a valid date: use %s", date, Formats)
		}
	} else {
		loc, err := ParseTimeZone(zone)
		if err != nil {
			return time.Time{}, err
		}
		if t, err = parseLocal(date, loc); err != nil {
			return time.Time{}, err
		}
	}
	// Go reads any number of fraction digits, also for layouts without them.
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return time.Time{}, fmt.Errorf("%q is more precise than SolarNetwork's milliseconds", date)
	}
	return t.UTC(), nil
}

func parseLocal(date string, loc *time.Location) (time.Time, error) {
	for _, layout := range localDateTimeLayouts {
		if t, err := time.ParseInLocation(layout, date, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a valid date: use %s", date, Formats)
}

// FormatInstant is the expires_at format: RFC 3339 in UTC, with milliseconds
// only when there are any.
func FormatInstant(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
}

// FormatCreated keeps the server's microseconds.
func FormatCreated(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}
