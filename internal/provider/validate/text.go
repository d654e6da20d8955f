package validate

import (
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NotBlank refuses "" and whitespace: SolarNetwork stores them as no value,
// so the next plan would never be empty. Omit the attribute instead.
func NotBlank() validator.String {
	return stringCheck{
		description: "must not be blank; omit the attribute for no value",
		summary:     "Blank value",
		check: func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "SolarNetwork stores a blank value as no value. Remove the attribute instead of setting it to \"\"."
			}
			return ""
		},
	}
}

// Regex accepts a regular expression in Go's RE2 syntax.
func Regex() validator.String {
	return stringCheck{
		description: "a regular expression in RE2 syntax",
		summary:     "Invalid regular expression",
		check: func(s string) string {
			if _, err := regexp.Compile(s); err != nil {
				return err.Error() + "."
			}
			return ""
		},
	}
}
