package validate

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// daysDurationValidator checks a duration that may be led by days.
type daysDurationValidator struct{ min time.Duration }

func (v daysDurationValidator) Description(context.Context) string {
	if v.min > 0 {
		return duration.Formats + ", at least " + duration.Format(v.min)
	}
	return duration.Formats + ", or 0s"
}

func (v daysDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v daysDurationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := duration.Parse(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error()+".")
	case d < v.min:
		resp.Diagnostics.AddAttributeError(req.Path, "Duration too short",
			fmt.Sprintf("%q is shorter than %s. %s.", req.ConfigValue.ValueString(), duration.Format(v.min), v.Description(ctx)))
	}
}

// Duration accepts a Go duration such as "30m" from minimum to maximum.
func Duration(minimum, maximum time.Duration) validator.String {
	accepts := fmt.Sprintf("a duration such as \"30s\", \"30m\" or \"12h\", from %s to %s", duration.Format(minimum), duration.Format(maximum))
	return stringCheck{
		description: accepts,
		summary:     "Invalid duration",
		check: func(s string) string {
			if d, err := time.ParseDuration(s); err != nil || d < minimum || d > maximum {
				return fmt.Sprintf("%q is not %s.", s, accepts)
			}
			return ""
		},
	}
}

// DaysDuration accepts what duration.Parse reads ("30d", "1d12h", "90m"),
// at least minimum.
func DaysDuration(minimum time.Duration) validator.String { return daysDurationValidator{min: minimum} }
