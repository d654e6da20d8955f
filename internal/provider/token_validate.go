package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ValidateConfig checks the rotation block as a whole, and warns about
// restrictions on a User token: SolarNetwork then treats it as a restricted
// actor and refuses it every token-management call. The configuration is
// read once for both: this runs for every token of every plan.
func (r *tokenResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg tokenModel
	resp.Diagnostics.Append(readTokenModel(ctx, req.Config.Raw, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateRotation(ctx, &cfg, &resp.Diagnostics)
}
