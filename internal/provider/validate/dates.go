package validate

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// expirationDateValidator checks the date form alone; the range depends on
// the zone and is checked with it when the plan is made.
type expirationDateValidator struct{}

func (expirationDateValidator) Description(context.Context) string {
	return "a date, local date-time or RFC 3339 instant: " + expiration.Formats
}
func (v expirationDateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (expirationDateValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := expiration.Parse(req.ConfigValue.ValueString(), ""); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid expiration date", err.Error())
	}
}

type timeZoneValidator struct{}

func (timeZoneValidator) Description(context.Context) string {
	return `an IANA time zone such as "Pacific/Auckland", "UTC", or an offset such as "-05:00"`
}
func (v timeZoneValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeZoneValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time zone",
			"An empty time_zone would silently mean UTC. Remove the attribute for UTC, or name the zone, such as \"Pacific/Auckland\".")
		return
	}
	if _, err := expiration.ParseTimeZone(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time zone", err.Error())
	}
}

// ExpirationDate accepts the forms expiration.Parse reads.
func ExpirationDate() validator.String { return expirationDateValidator{} }

// TimeZone accepts the zones expiration.ParseTimeZone reads, and refuses "".
func TimeZone() validator.String { return timeZoneValidator{} }
