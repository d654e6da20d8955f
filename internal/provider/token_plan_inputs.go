package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// tokenPlanInputs is everything ModifyPlan works from, decoded from its
// request once, without reflection: the CLI asks for a plan of every token
// of every run, so each step takes this value rather than decoding the
// request or parsing the rotation block again.
type tokenPlanInputs struct {
	now   time.Time   // the instant the plan judges the token by (planTime)
	prior *tokenModel // the state; nil for a create
	plan  *tokenModel // the plan, which ModifyPlan completes; nil for a destroy

	// priorPolicy is the policy SolarNetwork holds per the prior state,
	// expiry included (nil: none, or a create or destroy).
	priorPolicy *client.SecurityPolicy

	// The rotation blocks, parsed. rotation is nil without a block, and
	// rotationKnown false while any of it is unknown or invalid; state holds
	// no unknowns, and validation refused an invalid block before it got
	// there, so priorRotation needs no such flag.
	rotation      *rotationSettings
	rotationKnown bool
	priorRotation *rotationSettings

	// configuredRecipients is secret_recipients as configured, the one
	// attribute the plan needs from the configuration: the plan holds the
	// provider's default in its place.
	configuredRecipients types.Set

	// replacedOwnToken is, for a create that is the second half of a
	// replacement of the provider's own token, that token's ID as the
	// first half recorded it; "" otherwise.
	replacedOwnToken string
}

// planInputs decodes req.
func (r *tokenResource) planInputs(ctx context.Context, req resource.ModifyPlanRequest) (*tokenPlanInputs, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := &tokenPlanInputs{now: r.planTime(ctx, req)}
	if req.State.Raw.IsNull() {
		in.replacedOwnToken = plannedOwnToken(ctx, req.Private)
	} else {
		in.prior = &tokenModel{}
		if diags.Append(readTokenModel(ctx, req.State.Raw, in.prior)...); diags.HasError() {
			return nil, diags
		}
		in.priorRotation, _ = in.prior.rotation(ctx)
	}
	if req.Plan.Raw.IsNull() {
		return in, diags // a destroy
	}
	in.plan = &tokenModel{}
	if diags.Append(readTokenModel(ctx, req.Plan.Raw, in.plan)...); diags.HasError() {
		return nil, diags
	}
	in.rotation, in.rotationKnown = in.plan.rotation(ctx)
	if in.prior != nil {
		var d diag.Diagnostics
		in.priorPolicy, d = in.prior.effective(ctx)
		diags.Append(d...)
	}
	recipients, d := configuredRecipients(ctx, req.Config.Raw)
	in.configuredRecipients = recipients
	diags.Append(d...)
	return in, diags
}
