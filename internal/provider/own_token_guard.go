package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// guardOwnToken refuses, at plan time, a change that would lock the
// provider out: destroying, replacing (also by rotation), disabling,
// restricting or expiring the token it signs its requests with. prior is the
// state (nil for a create), plan nil for a destroy; now is the instant the
// plan judges by.
func (r *tokenResource) guardOwnToken(ctx context.Context, prior, plan *tokenModel, now time.Time, diags *diag.Diagnostics) {
	if r.store == nil || prior == nil || prior.ID.ValueString() != r.store.CallerID() {
		return
	}
	refuse := func(attr path.Path, what string) {
		detail := "Token " + prior.ID.ValueString() + " is the one this provider signs its requests with, and this plan would " + what +
			". SolarNetwork would then refuse the provider every later request. Manage this token with a different " +
			"User token in the provider configuration, or remove it from Terraform with `terraform state rm` " +
			"(or a removed block) so that destroy leaves it alone."
		if attr.Equal(pathRotation) {
			detail += " A token cannot rotate the credential it is used as: remove the rotation block, and rotate it by hand " +
				"(make a new User token, switch the provider to it, then remove or delete this one)."
		}
		if attr.Equal(path.Empty()) {
			diags.AddError("This would lock the provider out", detail)
			return
		}
		diags.AddAttributeError(attr, "This would lock the provider out", detail)
	}
	switch {
	case plan == nil:
		switch how, settings := prior.removalOf(ctx, now); how {
		case removeDisable:
			refuse(pathOnDestroy, "disable it (on_destroy = \"disable\")")
		case removeExpire:
			refuse(pathRotation, "shorten its expiry to rotation.overlap = "+quote(settings.overlapText)+" from now, because it is due for rotation")
		default:
			refuse(path.Empty(), "delete it")
		}
	case rotationDue(ctx, plan, now):
		refuse(pathRotation, "replace it (delete it and create another), because it is due for rotation: it expires at "+
			plan.ExpiresAt.ValueString()+", within rotation.rotate_before")
	case !plan.Type.Equal(prior.Type): // the type cannot change in place
		refuse(path.Root("type"), "replace it (delete it and create another), because its type changes")
	case plan.Status.ValueString() == client.StatusDisabled:
		refuse(path.Root("status"), "disable it (status = \"Disabled\")")
	default:
		planned, _ := plan.effective(ctx)
		if fields := planned.RestrictingFields(); len(fields) > 0 {
			attr := attributeName(fields[0])
			refuse(pathPolicy.AtName(attr), "restrict it with policy."+attr+", and a restricted token is refused token management")
		} else if planned != nil && planned.NotAfter != nil && !planned.NotAfter.After(now) {
			refuse(pathExpirationDate, "set an expiration_date that has already passed")
		}
	}
}
