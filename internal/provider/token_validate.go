package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
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
	if cfg.Type.ValueString() != client.TokenTypeUser || cfg.Policy.IsNull() || cfg.Policy.IsUnknown() {
		return
	}
	attrs := cfg.Policy.Attributes()
	for _, a := range policyAttributes() {
		if v, ok := attrs[a.name]; ok && a.field.Restricting && !v.IsNull() {
			resp.Diagnostics.AddAttributeWarning(pathPolicy.AtName(a.name), "User token restricted by "+a.name,
				"Any policy restriction ("+a.name+" here; likewise node, source, aggregation, location, metadata or API paths) makes a "+
					"User token \"restricted\" in SolarNetwork: it may still call what its policy allows, but it can no longer manage "+
					"tokens or other account settings, and it cannot be this provider's token. For reading data, a ReadNodeData token "+
					"is the usual choice; a User token that must manage tokens may set only expiration_date and refresh_allowed.")
		}
	}
}
