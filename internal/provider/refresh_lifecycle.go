package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
func (r *tokenResource) readLifecycle(ctx context.Context, state *tokenModel, resp *resource.ReadResponse) {
	now := r.now()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRefreshedAt, refreshedAtValue(now))...)
	state.readOnDestroy()
	rotating := state.readRotation(ctx, now)
	expiry := state.expiresAtTime()
	state.Expired = types.BoolValue(expiry != nil && expiry.Before(now))
	if !state.Expired.ValueBool() {
		return
	}
	renew := "To renew it, set a later expiration_date (the same token and secret then work again), or add a rotation " +
		"block so that Terraform replaces it on a schedule."
	if rotating {
		renew = "rotation is set, so the plan replaces it with a new token."
	}
	resp.Diagnostics.AddWarning("Token "+state.ID.ValueString()+" has expired",
		"Security token "+state.tokenLabel()+" expired at "+formatInstant(*expiry)+" ("+relative(*expiry, now)+") and can no "+
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
