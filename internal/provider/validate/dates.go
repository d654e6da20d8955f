package validate

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// ExpirationDate accepts the forms expiration.Parse reads. It checks the
// form alone: the range depends on the zone, and is checked with it when
// the plan is made.
func ExpirationDate() validator.String {
	return stringCheck{
		description: "a date, local date-time or RFC 3339 instant: " + expiration.Formats,
		summary:     "Invalid expiration date",
		check: func(s string) string {
			_, err := expiration.Parse(s, "")
			return errorText(err)
		},
	}
}

// TimeZone accepts the zones expiration.ParseTimeZone reads, but not "":
// written out, an empty zone would silently mean UTC.
func TimeZone() validator.String {
	return stringCheck{
		description: `an IANA time zone such as "Pacific/Auckland", "UTC", or an offset such as "-05:00"`,
		summary:     "Invalid time zone",
		check: func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "An empty time_zone would silently mean UTC. Remove the attribute for UTC, or name the zone, such as \"Pacific/Auckland\"."
			}
			_, err := expiration.ParseTimeZone(s)
			return errorText(err)
		},
	}
}
