package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Helpers that word values for messages and descriptions.

// tokenLabel names a token in messages: its ID and, if it has one, its name.
func (m *tokenModel) tokenLabel() string {
	if name := m.Name.ValueString(); name != "" {
		return fmt.Sprintf("%s (%q)", m.ID.ValueString(), name)
	}
	return m.ID.ValueString()
}

// relative says how far t is from now, for messages: "in 5m",
// "3h ago" or "in 6d20h15m".
func relative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	switch {
	case d > 0:
		return "in " + humanDuration(d)
	case d < 0:
		return humanDuration(-d) + " ago"
	default:
		return "now"
	}
}

// humanDuration is d as Go writes it, or from two days on in days, hours
// and minutes ("6d20h15m"), as rotation durations may be written.
func humanDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d < 2*day {
		return formatDuration(d)
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

// quote writes s as a quoted string, for messages.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// codeList writes values as Markdown code, for descriptions: `a`, `b`.
func codeList(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}
