package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// ModifyPlan computes effective_policy, expires_at and expired, so the plan
// shows exactly what SolarNetwork will hold after apply.
func (r *tokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	now := r.planTime(ctx, req)
	if req.Plan.Raw.IsNull() {
		r.guardOwnToken(ctx, req.State, nil, now, &resp.Diagnostics)
		r.warnRemoval(ctx, req, &resp.Diagnostics)
		return // destroy
	}
	var plan tokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer func() {
		if !req.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
			r.guardOwnToken(ctx, req.State, &plan, now, &resp.Diagnostics)
		}
	}()
	desired, known, diags := plan.desiredPolicy(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !known || plan.PolicyUpdate.IsUnknown() {
		plan.EffectivePolicy = types.ObjectUnknown(policyAttrTypes)
		plan.ExpiresAt = types.StringUnknown()
		plan.Expired = types.BoolUnknown()
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	var planned *client.SecurityPolicy
	priorExpiresAt := types.StringNull()
	if req.State.Raw.IsNull() {
		planned = normalizePolicy(clonePolicy(desired))
	} else {
		var state tokenModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		current, d := state.effective(ctx)
		resp.Diagnostics.Append(d...)
		owned, d := state.owned(ctx)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		planned = planPolicy(plan.PolicyUpdate.ValueString(), desired, current, owned)
		checkHiddenLists(desired, planned, &resp.Diagnostics)
		priorExpiresAt = state.ExpiresAt
	}

	plan.EffectivePolicy = policyToObject(planned)
	plan.ExpiresAt = types.StringNull()
	plan.Expired = types.BoolValue(false)
	if planned != nil && planned.NotAfter != nil {
		plan.ExpiresAt = types.StringValue(formatInstant(*planned.NotAfter))
		plan.Expired = types.BoolValue(planned.NotAfter.Before(now))
		if plan.Expired.ValueBool() && !plan.ExpiresAt.Equal(priorExpiresAt) {
			resp.Diagnostics.AddAttributeWarning(pathExpirationDate, "Expiry in the past",
				"The token will expire at "+plan.ExpiresAt.ValueString()+", which has already passed: SolarNetwork will refuse it "+
					"from the start. Set a later expiration_date, or remove it for a token that does not expire.")
		}
	}
	r.planRotation(ctx, req, resp, &plan, now)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkHiddenLists refuses a merge that would configure an explicit list
// the server hides behind a min level set outside Terraform: the plan could
// never become empty.
func checkHiddenLists(desired, planned *client.SecurityPolicy, diags *diag.Diagnostics) {
	if desired == nil || planned == nil {
		return
	}
	if len(desired.Aggregations) > 0 && planned.MinAggregation != "" {
		diags.AddAttributeError(pathPolicy.AtName("aggregations"), "Conflicts with min_aggregation on the token",
			"The token has min_aggregation = \""+planned.MinAggregation+"\", set outside Terraform, and SolarNetwork ignores an "+
				"explicit aggregations list while a minimum is set. Use policy_update = \"replace\", or set min_aggregation instead.")
	}
	if len(desired.LocationPrecisions) > 0 && planned.MinLocationPrecision != "" {
		diags.AddAttributeError(pathPolicy.AtName("location_precisions"), "Conflicts with min_location_precision on the token",
			"The token has min_location_precision = \""+planned.MinLocationPrecision+"\", set outside Terraform, and SolarNetwork ignores "+
				"an explicit location_precisions list while a minimum is set. Use policy_update = \"replace\", or set min_location_precision instead.")
	}
}

// ValidateConfig warns about restrictions on a User token: SolarNetwork
// then treats it as a restricted actor and refuses it every
// token-management call.
func (r *tokenResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg tokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Type.ValueString() != client.TokenTypeUser || cfg.Policy.IsNull() || cfg.Policy.IsUnknown() {
		return
	}
	attrs := cfg.Policy.Attributes()
	for _, f := range restrictingFields {
		if v, ok := attrs[f.attr]; ok && !v.IsNull() {
			resp.Diagnostics.AddAttributeWarning(pathPolicy.AtName(f.attr), "User token restricted by "+f.attr,
				"Any policy restriction ("+f.attr+" here; likewise node, source, aggregation, location, metadata or API paths) makes a "+
					"User token \"restricted\" in SolarNetwork: it may still call what its policy allows, but it can no longer manage "+
					"tokens or other account settings, and it cannot be this provider's token. For reading data, a ReadNodeData token "+
					"is the usual choice; a User token that must manage tokens may set only expiration_date and refresh_allowed.")
		}
	}
}
