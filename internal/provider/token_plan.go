package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// ModifyPlan computes effective_policy, expires_at and expired, so the plan
// shows exactly what SolarNetwork will hold after apply. The request is
// decoded once (planInputs); each step below works from that.
func (r *tokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	in, diags := r.planInputs(ctx, req)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	if in.plan == nil { // destroy
		r.guardPlan(ctx, in, resp)
		r.warnRemoval(in, &resp.Diagnostics)
		return
	}
	prior, plan := in.prior, in.plan
	r.planSecret(in, resp)
	desired, known, diags := plan.desiredPolicy(ctx, in.rotation, in.rotationKnown)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !known || plan.PolicyUpdate.IsUnknown() {
		plan.EffectivePolicy = types.ObjectUnknown(policyAttrTypes)
		plan.ExpiresAt = types.StringUnknown()
		plan.Expired = types.BoolUnknown()
		r.guardPlan(ctx, in, resp)
		resp.Diagnostics.Append(writeTokenModel(ctx, &resp.Plan.Raw, plan)...)
		return
	}

	var planned *client.SecurityPolicy
	priorExpiresAt := types.StringNull()
	if prior == nil {
		planned = desired.Clone().Normalize()
	} else {
		owned, d := prior.owned(ctx)
		if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
			return
		}
		planned = planPolicy(plan.PolicyUpdate.ValueString(), desired, in.priorPolicy, owned)
		checkHiddenLists(desired, planned, &resp.Diagnostics)
		priorExpiresAt = prior.ExpiresAt
	}

	plan.EffectivePolicy = policyToObject(planned)
	plan.ExpiresAt = types.StringNull()
	plan.Expired = types.BoolValue(false)
	if planned != nil && planned.NotAfter != nil {
		plan.ExpiresAt = types.StringValue(expiration.FormatInstant(*planned.NotAfter))
		plan.Expired = types.BoolValue(planned.NotAfter.Before(in.now))
		if plan.Expired.ValueBool() && !plan.ExpiresAt.Equal(priorExpiresAt) {
			addPastExpiry(&resp.Diagnostics, plan.ExpiresAt.ValueString(), prior == nil && !plan.AllowExpired.ValueBool())
		}
	}
	r.warnPolicy(ctx, prior, plan, planned, &resp.Diagnostics)
	r.planRotation(in, resp)
	r.planGuardrails(in, planned, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		// The guard judges the finished plan, effective policy included.
		r.guardPlan(ctx, in, resp)
	}
	resp.Diagnostics.Append(writeTokenModel(ctx, &resp.Plan.Raw, plan)...)
}

// addPastExpiry reports an expiry that has already passed: an error for a
// new token unless allow_expired is set, a warning otherwise.
func addPastExpiry(diags *diag.Diagnostics, expiresAt string, refuse bool) {
	detail := "The token will expire at " + expiresAt + ", which has already passed: SolarNetwork will refuse it from the start. " +
		"Set a later expiration_date, or remove it for a token that does not expire."
	if refuse {
		diags.AddAttributeError(pathExpirationDate, "Expiry in the past",
			detail+" To create an expired token on purpose (to test how clients handle one), set allow_expired = true.")
		return
	}
	diags.AddAttributeWarning(pathExpirationDate, "Expiry in the past", detail)
}

// checkHiddenLists refuses a merge that would configure an explicit list
// the server hides behind a min level set outside Terraform: the plan could
// never become empty.
func checkHiddenLists(desired, planned *client.SecurityPolicy, diags *diag.Diagnostics) {
	if desired == nil || planned == nil {
		return
	}
	for _, level := range client.PolicyFields() {
		list, hides := client.PolicyFieldNamed(level.Hides)
		if !hides || !list.IsSet(desired) || !level.IsSet(planned) {
			continue
		}
		levelName, listName := attributeName(level.JSON), attributeName(list.JSON)
		value := *client.FieldOf[string](level, planned)
		diags.AddAttributeError(pathPolicy.AtName(listName), "Conflicts with "+levelName+" on the token",
			fmt.Sprintf("The token has %s = %q, set outside Terraform, and SolarNetwork ignores an explicit %s list while a minimum is set. "+
				"Use policy_update = \"replace\", or set %s instead.", levelName, value, listName, levelName))
	}
}
