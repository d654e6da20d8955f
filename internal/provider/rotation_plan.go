package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// planRotation completes a plan under rotation: a new token's expiry is known
// only after apply (its creation time plus lifetime), and an existing token
// that is due for rotation is replaced, with a warning that says why.
// ready_for_rotation is false in every other plan.
func (r *tokenResource) planRotation(in *tokenPlanInputs, resp *resource.ModifyPlanResponse) {
	plan, state, settings, now := in.plan, in.prior, in.rotation, in.now
	plan.ReadyForRotation = types.BoolValue(false)
	switch {
	case !in.rotationKnown:
		plan.ReadyForRotation = types.BoolUnknown()
		return
	case settings == nil:
		return
	case state == nil:
		plan.ExpiresAt = types.StringUnknown()
		plan.Expired = types.BoolValue(false)
		return
	}
	created, ok := state.createdTime()
	if !ok {
		return
	}
	expiry, window := settings.expiry(created), settings.windowStart(created)
	own := r.store != nil && state.ID.ValueString() == r.store.CallerID()
	switch {
	case own && !settings.due(created, now):
		resp.Diagnostics.AddAttributeWarning(pathRotation, "Rotation of the provider's own token will be refused",
			"Token "+state.tokenLabel()+" is the one this provider signs its requests with. From "+expiration.FormatInstant(window)+
				" it is due for rotation, and every plan will then be refused: replacing it would lock the provider out. "+
				"Rotate it by hand instead (make a new User token, switch the provider to it), or remove the rotation block.")
	case own:
		// guardOwnToken refuses the plan, naming rotation.
	case settings.due(created, now):
		plan.ReadyForRotation = types.BoolUnknown()
		resp.RequiresReplace = append(resp.RequiresReplace, pathReadyForRotation)
		when := "expires at " + expiration.FormatInstant(expiry) + " (" + relative(expiry, now) + ")"
		if !now.Before(expiry) {
			when = "expired at " + expiration.FormatInstant(expiry) + " (" + relative(expiry, now) + ")"
		}
		resp.Diagnostics.AddAttributeWarning(pathRotation, "Token "+state.ID.ValueString()+" is due for rotation",
			"Token "+state.tokenLabel()+" "+when+", and rotate_before = "+quote(settings.rotateBeforeText)+" made it due for "+
				"rotation from "+expiration.FormatInstant(window)+". This plan replaces it with a new token, with a new ID and secret, that "+
				"expires lifetime = "+quote(settings.lifetimeText)+" after it is created. "+
				state.removalOutcome(in.priorRotation, now)+" Without lifecycle { create_before_destroy = true }, the old token is "+
				"removed before the new one is made.")
	}
}

// readRotation sets ready_for_rotation as of now, and reports whether the
// token has a rotation block.
func (m *tokenModel) readRotation(settings *rotationSettings, now time.Time) (rotating bool) {
	m.ReadyForRotation = types.BoolValue(rotationDue(m, settings, now))
	return !m.Rotation.IsNull()
}
