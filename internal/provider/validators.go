package provider

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// patternValidator checks one SolarNetwork wildcard pattern (source id,
// metadata path or API path) so a typo fails at plan time, not after the
// token silently matches nothing.
type patternValidator struct {
	description string
	check       func(string) error
}

var _ validator.String = patternValidator{}

func (v patternValidator) Description(context.Context) string         { return v.description }
func (v patternValidator) MarkdownDescription(context.Context) string { return v.description }

func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		// Set elements have no readable path of their own, so name the set.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid pattern in "+req.Path.ParentPath().String(), err.Error())
	}
}

// sourceIDPattern: any non-blank id or Ant-style pattern without empty path segments.
func sourceIDPattern() validator.String {
	return patternValidator{
		description: "a source ID or wildcard pattern (?, *, **) without blank or empty path segments",
		check: func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			return checkSegments(s)
		},
	}
}

// metadataPathPattern: metadata filter key paths start with "/", like
// "/pm/foo/**". Node and user metadata alike are matched by the paths of
// their leaves, /m/<key>, /pm/<property>/<key> and /t (tags), so a path
// without "/" gets the leading "/" added when it starts with one of those
// roots (or a wildcard), and is suggested under /m/ or /pm/ otherwise.
func metadataPathPattern() validator.String {
	return patternValidator{
		description: `a metadata path starting with "/", such as "/m/public/*" or "/pm/account/**"`,
		check: func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			if !strings.HasPrefix(s, "/") {
				root, _, _ := strings.Cut(s, "/")
				switch root {
				case "m", "pm", "t", "*", "**":
					return fmt.Errorf("%q must start with \"/\": write \"/%s\"", s, s)
				}
				return fmt.Errorf("%q must start with \"/\" and a metadata root: \"/m/%s\" for an info key, "+
					"\"/pm/%s\" for a property's info", s, s, s)
			}
			return checkSegments(s)
		},
	}
}

// apiPathPattern: API paths are relative to /api/v1/sec and start with "/",
// or with "!/" to deny.
func apiPathPattern() validator.String {
	return patternValidator{
		description: `an API path after /api/v1/sec starting with "/" (or "!/" to deny), such as "/user/auth-tokens/**"`,
		check: func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			p := strings.TrimPrefix(s, "!")
			if !strings.HasPrefix(p, "/") {
				return fmt.Errorf("%q must start with \"/\" or \"!/\", such as \"/datum/**\"", s)
			}
			if strings.HasPrefix(p, "/api/") {
				return fmt.Errorf("%q must be relative to /api/v1/sec: write \"%s\"", s, strings.TrimPrefix(strings.TrimPrefix(p, "/api/v1/sec"), "/api/v1/pub"))
			}
			return checkSegments(p)
		},
	}
}

func checkCommon(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("a pattern must not be blank")
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q has leading or trailing spaces, which SolarNetwork would match literally", s)
	}
	// Invisible in most output, and never part of a real source ID or path.
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("%q contains the control character %U, which SolarNetwork would match literally", s, r)
	}
	return nil
}

func checkSegments(s string) error {
	if strings.Contains(s, "//") {
		return fmt.Errorf("%q has an empty path segment (\"//\")", s)
	}
	if len(s) > 1 && strings.HasSuffix(s, "/") {
		return fmt.Errorf("%q ends with \"/\", an empty path segment; use \"%s**\" to match everything below it", s, s)
	}
	return nil
}

// notBlank refuses "" and whitespace: SolarNetwork stores them as no value,
// so the next plan would never be empty. Omit the attribute instead.
type notBlankValidator struct{}

func (notBlankValidator) Description(context.Context) string {
	return "must not be blank; omit the attribute for no value"
}
func (v notBlankValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notBlankValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Blank value",
			"SolarNetwork stores a blank value as no value. Remove the attribute instead of setting it to \"\".")
	}
}

// expirationDateValidator checks the date form alone; the range depends on
// the zone and is checked with it when the plan is made.
type expirationDateValidator struct{}

func (expirationDateValidator) Description(context.Context) string {
	return "a date, local date-time or RFC 3339 instant: " + expirationFormats
}
func (v expirationDateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (expirationDateValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseExpiration(req.ConfigValue.ValueString(), ""); err != nil {
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
	if _, err := parseTimeZone(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time zone", err.Error())
	}
}

// durationValidator checks a Go duration such as "30m" between min and max.
type durationValidator struct{ min, max time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("a duration such as \"30s\", \"30m\" or \"12h\", from %s to %s", duration.Format(v.min), duration.Format(v.max))
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < v.min || d > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// rotationDurationValidator checks one duration of the rotation block.
type rotationDurationValidator struct{ min time.Duration }

func (v rotationDurationValidator) Description(context.Context) string {
	if v.min > 0 {
		return duration.Formats + ", at least " + duration.Format(v.min)
	}
	return duration.Formats + ", or 0s"
}

func (v rotationDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v rotationDurationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
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

// nodeIDValidator accepts a whole number from 1 to 9223372036854775807.
type nodeIDValidator struct{}

var _ validator.Number = nodeIDValidator{}

func (nodeIDValidator) Description(context.Context) string {
	return "a node ID: a whole number from 1 to 9223372036854775807"
}
func (v nodeIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v nodeIDValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if id, ok := nodeID(req.ConfigValue); !ok || id < 1 {
		// Set elements have no readable path of their own, so name the set.
		resp.Diagnostics.AddAttributeError(req.Path.ParentPath(), "Invalid node ID in "+req.Path.ParentPath().String(),
			formatNumber(req.ConfigValue.ValueBigFloat())+" is not "+v.Description(ctx)+".")
	}
}

// formatNumber writes a whole number with all its digits, others shortest.
func formatNumber(f *big.Float) string {
	if f.IsInt() {
		return f.Text('f', 0)
	}
	return f.Text('g', -1)
}

// regexValidator accepts a regular expression in Go's RE2 syntax.
type regexValidator struct{}

var _ validator.String = regexValidator{}

func (regexValidator) Description(context.Context) string {
	return "a regular expression in RE2 syntax"
}
func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", err.Error()+".")
	}
}
