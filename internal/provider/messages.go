package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
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
		return "in " + duration.Human(d)
	case d < 0:
		return duration.Human(-d) + " ago"
	default:
		return "now"
	}
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
