package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

// privateRefreshedAt is the private-state key of the instant of the last
// refresh. Plans judge "expired" and "due for rotation" as of that instant,
// not the time they run: Terraform plans once more during apply, and that
// second plan must come to the same answer even if the token's window opened
// in between (or a saved plan is applied hours later).
const privateRefreshedAt = "refreshed_at"

// privateState is the part of Terraform's private state a plan or read
// request carries.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// refreshedAt returns the instant of the last refresh recorded in private,
// or ok=false when there is none (a state written before this was kept).
func refreshedAt(ctx context.Context, private privateState) (t time.Time, ok bool) {
	if private == nil {
		return time.Time{}, false
	}
	raw, diags := private.GetKey(ctx, privateRefreshedAt)
	if diags.HasError() || len(raw) == 0 {
		return time.Time{}, false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func refreshedAtValue(t time.Time) []byte {
	raw, _ := json.Marshal(t.UTC().Format(time.RFC3339Nano))
	return raw
}

// planTime is the instant a plan judges the token by: the last refresh of an
// existing token, otherwise the provider's clock.
func (r *tokenResource) planTime(ctx context.Context, req resource.ModifyPlanRequest) time.Time {
	if !req.State.Raw.IsNull() {
		if t, ok := refreshedAt(ctx, req.Private); ok {
			return t
		}
	}
	return r.now()
}

// readLifecycle sets, as of now, what a refresh learns besides the token
// itself: expired, ready_for_rotation, the default on_destroy of a state from
// before it existed, and the instant of this refresh. An expired token is
// reported, with what renews it.
func (r *tokenResource) readLifecycle(ctx context.Context, state *tokenModel, rotation *rotationSettings, resp *resource.ReadResponse) {
	now := r.now()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRefreshedAt, refreshedAtValue(now))...)
	state.readOnDestroy()
	rotating := state.readRotation(rotation, now)
	expiry := state.expiresAtTime()
	state.Expired = types.BoolValue(expiry != nil && expiry.Before(now))
	if !state.Expired.ValueBool() {
		r.warnExpiringSoon(state, expiry, now, rotating, &resp.Diagnostics)
		return
	}
	renew := "To renew it, set a later expiration_date (the same token and secret then work again), or add a rotation " +
		"block so that Terraform replaces it on a schedule."
	if rotating {
		renew = "rotation is set, so the plan replaces it with a new token."
	}
	resp.Diagnostics.AddWarning("Token "+state.ID.ValueString()+" has expired",
		"Security token "+state.tokenLabel()+" expired at "+expiration.FormatInstant(*expiry)+" ("+relative(*expiry, now)+") and can no "+
			"longer authenticate. "+renew)
}

// expiresAtTime parses expires_at; nil when the token never expires or the
// value is not known.
func (m *tokenModel) expiresAtTime() *time.Time {
	if m.ExpiresAt.IsNull() || m.ExpiresAt.IsUnknown() {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, m.ExpiresAt.ValueString())
	if err != nil {
		return nil
	}
	return &t
}

// warnExpiringSoon warns about a token that expires within the provider's
// expiry_warning_window: a refresh shows it on every plan until the expiry
// moves. A rotating token is left out: its plan replaces it in time.
func (r *tokenResource) warnExpiringSoon(state *tokenModel, expiry *time.Time, now time.Time, rotating bool, diags *diag.Diagnostics) {
	if r.expiryWarning <= 0 || expiry == nil || rotating || expiry.Sub(now) > r.expiryWarning {
		return
	}
	diags.AddWarning("Token "+state.ID.ValueString()+" expires soon",
		"Security token "+state.tokenLabel()+" expires at "+expiration.FormatInstant(*expiry)+" ("+relative(*expiry, now)+"), within the "+
			"provider's expiry_warning_window ("+duration.Human(r.expiryWarning)+"). Set a later expiration_date to keep it (the same "+
			"token and secret go on working), or add a rotation block so that Terraform replaces it on a schedule.")
}

func expiryWarningWindowAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Warn at every refresh (so in every plan) about each token that expires within this long, as a " +
			"duration such as `14d` or `36h`. Unset or `0s`, the default: no warning until a token has expired, which a " +
			"refresh always reports. A token with a `rotation` block is left out, since its plan replaces it `rotate_before` " +
			"its expiry. A warning does not fail a run; for a plan that fails, put a `check` block on `expires_at` (see the " +
			"rotating tokens guide).",
		Validators: []validator.String{validate.DaysDuration(0)},
	}
}

// expiryWarningWindow reads expiry_warning_window; 0 when unset.
func expiryWarningWindow(v types.String) time.Duration {
	if v.IsNull() || v.IsUnknown() {
		return 0
	}
	d, _ := duration.Parse(v.ValueString()) // validated
	return d
}
