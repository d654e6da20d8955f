package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// tokenIDLength and tokenIDAlphabet describe every SolarNetwork token ID
// (UserBizConstants.generateRandomAuthToken, a CHARACTER(20) column).
const (
	tokenIDLength   = 20
	tokenIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-"
)

// checkTokenID says why id cannot be a token ID, or returns nil.
func checkTokenID(id string) error {
	const shape = "a SolarNetwork token ID has exactly 20 characters, each a letter, a digit, '.', '_' or '-'"
	if trimmed := strings.TrimSpace(id); trimmed != id {
		return fmt.Errorf("%q has leading or trailing spaces: %s", id, shape)
	}
	if n := utf8.RuneCountInString(id); n != tokenIDLength {
		return fmt.Errorf("%q has %d characters: %s", id, n, shape)
	}
	for _, c := range id {
		if !strings.ContainsRune(tokenIDAlphabet, c) {
			return fmt.Errorf("%q contains %q: %s", id, c, shape)
		}
	}
	return nil
}

// tokenIDValidator refuses a value that cannot be a token ID.
type tokenIDValidator struct{}

var _ validator.String = tokenIDValidator{}

func (tokenIDValidator) Description(context.Context) string {
	return "a token ID: 20 letters, digits, '.', '_' or '-'"
}
func (v tokenIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tokenIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkTokenID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid token ID", err.Error())
	}
}
