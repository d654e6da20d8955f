package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// Values of on_destroy.
const (
	onDestroyDelete  = "delete"
	onDestroyDisable = "disable"
)

var pathOnDestroy = path.Root("on_destroy")

func onDestroyAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		Default:  stringdefault.StaticString(onDestroyDelete),
		MarkdownDescription: "What removing the token from Terraform (destroy, or the old token of a replacement) does in " +
			"SolarNetwork. `delete` (default) deletes it. `disable` sets its status to `Disabled` and leaves it in " +
			"SolarNetwork, for audit or to enable again by hand; Terraform then only forgets it. A token that is due for " +
			"rotation with `rotation.overlap` set is neither: its expiry is shortened to the overlap and it is left to " +
			"expire (see `rotation`).",
		Validators: []validator.String{stringvalidator.OneOf(onDestroyDelete, onDestroyDisable)},
	}
}

// readOnDestroy gives a state from before on_destroy existed its default,
// so that the first plan after an upgrade is empty.
func (m *tokenModel) readOnDestroy() {
	if m.OnDestroy.IsNull() || m.OnDestroy.IsUnknown() {
		m.OnDestroy = types.StringValue(onDestroyDelete)
	}
}

// removal is what removing a token from Terraform does in SolarNetwork.
type removal int

const (
	removeDelete  removal = iota // delete it (on_destroy = "delete")
	removeDisable                // disable it and leave it (on_destroy = "disable")
	removeExpire                 // shorten its expiry to the overlap and leave it to expire
)

// removalOf decides what removing the token in state does, at now, under
// its rotation block, parsed (nil: none).
//
// Terraform does not tell a provider whether a delete is a destroy or the
// second half of a replacement, so the token decides: one that was due for
// rotation at the last refresh (ready_for_rotation) is being rotated out,
// and with rotation.overlap it is left working for the overlap and then
// expires. Any other token, and one that has expired already, goes as
// on_destroy says. A forced replacement (-replace, a taint) of a token not
// yet due therefore removes it at once: that is what a leaked secret needs.
func (m *tokenModel) removalOf(rotation *rotationSettings, now time.Time) removal {
	expiry := m.expiresAtTime()
	if rotation != nil && rotation.overlap > 0 && m.ReadyForRotation.ValueBool() &&
		m.Status.ValueString() == client.StatusActive && (expiry == nil || expiry.After(now)) {
		return removeExpire
	}
	return m.onDestroy()
}

// onDestroy is the removal on_destroy asks for.
func (m *tokenModel) onDestroy() removal {
	if m.OnDestroy.ValueString() == onDestroyDisable {
		return removeDisable
	}
	return removeDelete
}

// removalOutcome says, for a plan, what happens to the token when Terraform
// removes it; rotation is its rotation block, parsed.
func (m *tokenModel) removalOutcome(rotation *rotationSettings, now time.Time) string {
	switch m.removalOf(rotation, now) {
	case removeExpire:
		latest := ""
		if expiry := m.expiresAtTime(); expiry != nil {
			latest = ", never later than its expiry at " + expiration.FormatInstant(*expiry)
		}
		return "The old token is not deleted: when it is removed, its expiry moves to overlap = " + quote(rotation.overlapText) +
			" after that moment" + latest + ", so whoever still uses its secret keeps working while switching to the new one. " +
			"It then expires on its own and stays in SolarNetwork, expired."
	case removeDisable:
		return "The old token is disabled, not deleted (on_destroy = \"disable\"): it stays in SolarNetwork, where it can be " +
			"enabled again by hand."
	default:
		return "The old token is deleted (on_destroy = \"delete\")."
	}
}

// warnRemoval tells, in a destroy plan, what destroying a token does when
// that is not a plain delete.
func (r *tokenResource) warnRemoval(in *tokenPlanInputs, diags *diag.Diagnostics) {
	state := in.prior
	if state == nil {
		return
	}
	switch state.removalOf(in.priorRotation, in.now) {
	case removeExpire:
		diags.AddWarning("Token "+state.ID.ValueString()+" is left to expire, not deleted",
			"Token "+state.tokenLabel()+" was due for rotation at the last refresh, and rotation.overlap = "+quote(in.priorRotation.overlapText)+
				" is set: removing it moves its expiry to the overlap after the apply (never later than it was) and leaves it to "+
				"expire, instead of deleting it. It stays in SolarNetwork, expired.")
	case removeDisable:
		diags.AddWarning("Token "+state.ID.ValueString()+" is disabled, not deleted",
			"on_destroy = \"disable\": destroying token "+state.tokenLabel()+" sets its status to Disabled and leaves it in "+
				"SolarNetwork; Terraform only forgets it. Set on_destroy = \"delete\" (and apply) before destroying to delete it.")
	}
}

// removeToken removes the token in state from SolarNetwork as removalOf
// decides. A token already gone is not an error.
func (r *tokenResource) removeToken(ctx context.Context, state *tokenModel, diags *diag.Diagnostics) {
	id := state.ID.ValueString()
	now := r.now()
	settings, _ := state.rotation(ctx)
	how := state.removalOf(settings, now)
	if r.guardOwnToken(id, removalLockout(how, settings), atApply, diags) {
		return // an error keeps the token in state
	}
	if how == removeExpire {
		left, err := r.expireAfter(ctx, id, now.Add(settings.overlap))
		if err != nil {
			addAPIError(ctx, diags, "Could not shorten the expiry of rotated-out token "+id, err)
			return
		}
		if left {
			return
		}
		// Expired, disabled or gone since the refresh: there is nothing to keep working.
		how = state.onDestroy()
	}
	if how == removeDisable {
		if err := r.store.UpdateTokenStatus(ctx, id, client.StatusDisabled); err != nil && !client.IsNotFound(err) {
			addAPIError(ctx, diags, "Could not disable security token "+id+" (on_destroy = \"disable\")", err)
		}
		return
	}
	if err := r.store.DeleteToken(ctx, id); err != nil {
		addAPIError(ctx, diags, "Could not delete security token "+id, err)
	}
}

// expireAfter moves the token's expiry to until unless it expires sooner,
// keeping the rest of its policy. left is false when there is nothing to
// leave working: the token is gone, disabled or expired already.
func (r *tokenResource) expireAfter(ctx context.Context, id string, until time.Time) (left bool, err error) {
	token, found, err := r.store.Token(ctx, id)
	if err != nil || !found {
		return false, err
	}
	var current *time.Time
	if token.Policy != nil {
		current = token.Policy.NotAfter
	}
	now := r.now()
	if token.Status != client.StatusActive || (current != nil && !current.After(now)) {
		return false, nil
	}
	until = until.UTC().Truncate(time.Millisecond)
	if current != nil && !until.Before(*current) {
		return true, nil // it expires sooner already
	}
	// A merge changes only notAfter: restrictions made elsewhere stay.
	held, err := r.store.MergeTokenPolicy(ctx, id, client.SecurityPolicy{NotAfter: &until})
	switch {
	case client.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, err
	}
	// The answer decides, as for every policy write: a token whose expiry
	// did not move would keep working past the overlap.
	var heldExpiry *time.Time
	if held.Policy != nil {
		heldExpiry = held.Policy.NotAfter
	}
	if lost := policyNotKept(&client.SecurityPolicy{NotAfter: &until}, &client.SecurityPolicy{NotAfter: heldExpiry}); len(lost) > 0 {
		return false, errors.New(notKeptDetail(id, lost) + " Its expiry did not move to the end of the overlap, so it stays " +
			"in state and the next apply tries again; delete or disable it by hand if it must stop working now.")
	}
	return true, nil
}
