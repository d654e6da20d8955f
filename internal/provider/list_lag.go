package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// SolarNetwork's token list can lag (solarnetwork-api.md §10): with several
// SolarUser processes, a list may come from one whose cache of tokens is up
// to 15 minutes old, and lacks a token made since. Absence alone is
// therefore not deletion while the token is newer than the list may be:
// Read keeps a token that this provider created, or saw listed, less than
// list_lag_window ago (client.TokenStore.ListLag), and warns.

// privateListedAt is the private-state key of the instant the token was last
// known to exist: when this provider created it, or last saw it listed. It
// is remembered across runs, so a token a lagging list lacks in the next
// run is still judged by when it was last seen.
const privateListedAt = "listed_at"

// listedAt returns when the token was last known to exist: the instant in
// private state, or, in a state written before it was kept, the token's
// creation. ok is false when neither is known.
func listedAt(ctx context.Context, private privateState, state *tokenModel) (t time.Time, ok bool) {
	if private != nil {
		if raw, diags := private.GetKey(ctx, privateListedAt); !diags.HasError() && len(raw) > 0 {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
					return t, true
				}
			}
		}
	}
	created, err := time.Parse(time.RFC3339Nano, state.Created.ValueString())
	return created, err == nil
}

// privateSetter is the part of Terraform's private state a response carries.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordListed records now as the instant the token was last known to exist.
func recordListed(ctx context.Context, private privateSetter, now time.Time) diag.Diagnostics {
	return private.SetKey(ctx, privateListedAt, refreshedAtValue(now))
}

// keepUnlisted reports whether a token missing from the list stays in state
// because the list may lag behind it, and warns, naming the token and when
// its absence will count.
func (r *tokenResource) keepUnlisted(ctx context.Context, private privateState, state *tokenModel, diags *diag.Diagnostics) bool {
	window := r.store.ListLag()
	seen, ok := listedAt(ctx, private, state)
	now := r.now()
	if !ok || window <= 0 || !now.Before(seen.Add(window)) {
		return false
	}
	counts := seen.Add(window)
	diags.AddWarning("Token "+state.ID.ValueString()+" is missing from SolarNetwork's token list",
		"Security token "+state.tokenLabel()+" is not in the token list SolarNetwork answered, but this provider created or "+
			"last saw it listed at "+expiration.FormatInstant(seen)+" ("+relative(seen, now)+"), less than list_lag_window ("+
			duration.Format(window)+") ago, and SolarNetwork's list can lag that much behind its tokens. It stays in state "+
			"unchanged. If it was deleted outside Terraform, its absence counts from "+expiration.FormatInstant(counts)+" ("+
			relative(counts, now)+"): a plan from then on removes it from state and creates it again.")
	return true
}
