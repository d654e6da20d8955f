package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// lockout is a change that would stop a token's holder from signing
// requests: deleting, replacing, disabling, restricting or expiring it. what
// completes "this plan would ..."; attr is the attribute that asks for it,
// empty when no single attribute does.
type lockout struct {
	attr path.Path
	what string
}

// stage is when the guard is asked: at plan, or at apply just before the
// write.
type stage string

const (
	atPlan  stage = "plan"
	atApply stage = "apply"
)

// guardOwnToken is the one check that every path which removes, disables,
// restricts or expires a token makes before it does: at plan in ModifyPlan,
// at apply in Delete (which also retires a rotated-out token) and Update. It
// refuses, with an error and refused true, a lockout of the token the
// provider signs its requests with; SolarNetwork would refuse the provider
// every request after it. A nil harm is no lockout. Create needs no check:
// it writes only to the token its own generate just made.
func (r *tokenResource) guardOwnToken(id string, harm *lockout, when stage, diags *diag.Diagnostics) (refused bool) {
	if harm == nil || r.store == nil || id != r.store.CallerID() {
		return false
	}
	detail := "Token " + id + " is the one this provider signs its requests with, and this " + string(when) + " would " + harm.what +
		". SolarNetwork would then refuse the provider every later request."
	if when == atApply {
		detail += " Nothing was changed: the token is as it was in SolarNetwork and stays in state."
	}
	detail += " Manage this token with a different User token in the provider configuration, or remove it from Terraform " +
		"without touching it, with `terraform state rm` (or a removed block), so that destroy leaves it alone."
	if harm.attr.Equal(pathRotation) {
		detail += " A token cannot rotate the credential it is used as: remove the rotation block, and rotate it by hand " +
			"(make a new User token, switch the provider to it, then remove or delete this one)."
	}
	if harm.attr.Equal(path.Empty()) {
		diags.AddError("This would lock the provider out", detail)
	} else {
		diags.AddAttributeError(harm.attr, "This would lock the provider out", detail)
	}
	return true
}

// removalLockout is what removing a token does, as removalOf decides.
func removalLockout(how removal, settings *rotationSettings) *lockout {
	switch how {
	case removeDisable:
		return &lockout{pathOnDestroy, "disable it (on_destroy = \"disable\")"}
	case removeExpire:
		return &lockout{pathRotation, "shorten its expiry to rotation.overlap = " + quote(settings.overlapText) +
			" from now, because it is due for rotation"}
	default:
		return &lockout{path.Empty(), "delete it"}
	}
}

// updateLockout is what an in-place update to plan does to the token that
// locks it out, judged at now: nil when nothing does.
func updateLockout(ctx context.Context, plan *tokenModel, now time.Time) *lockout {
	if plan.Status.ValueString() == client.StatusDisabled {
		return &lockout{path.Root("status"), "disable it (status = \"Disabled\")"}
	}
	planned, _ := plan.effective(ctx)
	if fields := planned.RestrictingFields(); len(fields) > 0 {
		attr := attributeName(fields[0])
		return &lockout{pathPolicy.AtName(attr), "restrict it with policy." + attr + ", and a restricted token is refused token management"}
	}
	if planned != nil && planned.NotAfter != nil && !planned.NotAfter.After(now) {
		return &lockout{pathExpirationDate, "set an expiration_date that has already passed"}
	}
	return nil
}

// plannedLockout is what the plan from prior to plan (nil for a destroy)
// does to the token that locks it out, judged at now.
func plannedLockout(ctx context.Context, in *tokenPlanInputs) *lockout {
	prior, plan, now := in.prior, in.plan, in.now
	switch {
	case plan == nil:
		return removalLockout(prior.removalOf(in.priorRotation, now), in.priorRotation)
	case rotationDue(plan, in.rotation, now):
		return &lockout{pathRotation, "replace it (delete it and create another), because it is due for rotation: it expires at " +
			plan.ExpiresAt.ValueString() + ", within rotation.rotate_before"}
	case !plan.Type.Equal(prior.Type): // the type cannot change in place
		return &lockout{path.Root("type"), "replace it (delete it and create another), because its type changes"}
	default:
		return updateLockout(ctx, plan, now)
	}
}

// privatePlannedOwnToken is the private-state key under which a plan of the
// provider's own token records its ID. When the CLI replaces a resource
// (-replace, replace_triggered_by) it plans the create half again with no
// prior state but with the private state of the first half: this key is
// all the create half has to tell that the token it replaces is the
// provider's own.
const privatePlannedOwnToken = "planned_own_token"

// guardPlan is the plan-time step of the own-token guard, for a plan with
// prior state (nil for a create) and plan (nil for a destroy).
func (r *tokenResource) guardPlan(ctx context.Context, in *tokenPlanInputs, resp *resource.ModifyPlanResponse) {
	prior, plan := in.prior, in.plan
	if prior == nil {
		if id := in.replacedOwnToken; id != "" {
			r.guardOwnToken(id, &lockout{path.Empty(), "replace it (delete it and create another), as -replace or " +
				"lifecycle.replace_triggered_by asks"}, atPlan, &resp.Diagnostics)
		}
		return
	}
	id := prior.ID.ValueString()
	if plan != nil {
		var mark []byte // none clears the key
		if r.store != nil && id == r.store.CallerID() {
			mark, _ = json.Marshal(id)
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePlannedOwnToken, mark)...)
	}
	r.guardOwnToken(id, plannedLockout(ctx, in), atPlan, &resp.Diagnostics)
}

// plannedOwnToken reads the ID guardPlan recorded, "" when there is none.
func plannedOwnToken(ctx context.Context, private privateState) string {
	if private == nil {
		return ""
	}
	raw, diags := private.GetKey(ctx, privatePlannedOwnToken)
	var id string
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &id) != nil {
		return ""
	}
	return id
}
