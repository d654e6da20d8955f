package validate

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

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

// NotBlank refuses "" and whitespace.
func NotBlank() validator.String { return notBlankValidator{} }

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

// Regex accepts a regular expression in Go's RE2 syntax.
func Regex() validator.String { return regexValidator{} }
