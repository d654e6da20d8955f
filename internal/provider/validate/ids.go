package validate

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

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
	if err := client.CheckTokenID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid token ID", err.Error())
	}
}

// TokenID refuses a value that cannot be a SolarNetwork token ID.
func TokenID() validator.String { return tokenIDValidator{} }
