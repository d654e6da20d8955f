package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// minLifetime keeps a token from being due before the run that made it ends.
const minLifetime = time.Minute

// rotationModel is the rotation block as written.
type rotationModel struct {
	Lifetime     types.String `tfsdk:"lifetime"`
	RotateBefore types.String `tfsdk:"rotate_before"`
	Overlap      types.String `tfsdk:"overlap"`
}

// rotationSettings is the rotation block, parsed.
type rotationSettings struct {
	lifetime, rotateBefore, overlap time.Duration
	// The durations as written, for messages.
	lifetimeText, rotateBeforeText, overlapText string
}

// rotation reads the rotation block. It is nil when the block is absent;
// known is false while any of it is unknown, and when a value is invalid
// (validation reports that).
func (m *tokenModel) rotation(ctx context.Context) (settings *rotationSettings, known bool) {
	if m.Rotation.IsNull() {
		return nil, true
	}
	if m.Rotation.IsUnknown() || hasUnknown(m.Rotation) {
		return nil, false
	}
	var rm rotationModel
	if diags := m.Rotation.As(ctx, &rm, basetypes.ObjectAsOptions{}); diags.HasError() {
		return nil, false
	}
	s := &rotationSettings{lifetimeText: rm.Lifetime.ValueString(), rotateBeforeText: rm.RotateBefore.ValueString(), overlapText: rm.Overlap.ValueString()}
	var err error
	if s.lifetime, err = duration.Parse(s.lifetimeText); err != nil {
		return nil, false
	}
	if s.rotateBefore, err = duration.Parse(s.rotateBeforeText); err != nil {
		return nil, false
	}
	if !rm.Overlap.IsNull() {
		if s.overlap, err = duration.Parse(s.overlapText); err != nil {
			return nil, false
		}
	}
	return s, true
}

// expiry is when a token created at created expires under these settings,
// at SolarNetwork's millisecond precision.
func (s *rotationSettings) expiry(created time.Time) time.Time {
	return created.Add(s.lifetime).UTC().Truncate(time.Millisecond)
}

// windowStart is when a token created at created becomes due for rotation.
func (s *rotationSettings) windowStart(created time.Time) time.Time {
	return s.expiry(created).Add(-s.rotateBefore)
}

// due reports whether a token created at created is due for rotation at now.
func (s *rotationSettings) due(created, now time.Time) bool {
	return !now.Before(s.windowStart(created))
}

// createdTime parses the created attribute; ok is false while it is unknown
// (a token not made yet).
func (m *tokenModel) createdTime() (created time.Time, ok bool) {
	if m.Created.IsNull() || m.Created.IsUnknown() {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, m.Created.ValueString())
	return t, err == nil
}

// rotationExpiry is desiredExpiry under rotation, m's rotation block as
// rotation parses it: applies is false without a block. For a token not
// created yet the expiry is nil but known: the rest of the policy is known,
// and ModifyPlan marks expires_at unknown.
func (m *tokenModel) rotationExpiry(s *rotationSettings, known bool) (expiry *time.Time, expiryKnown, applies bool) {
	switch {
	case s == nil && known:
		return nil, false, false
	case !known:
		return nil, false, true
	}
	created, ok := m.createdTime()
	if !ok {
		return nil, true, true
	}
	t := s.expiry(created)
	return &t, true, true
}

// validateRotation checks the rotation block against itself and the rest
// of the configuration, naming the attribute at fault.
func validateRotation(ctx context.Context, cfg *tokenModel, diags *diag.Diagnostics) {
	if cfg.Rotation.IsNull() || cfg.Rotation.IsUnknown() {
		return
	}
	var rm rotationModel
	if d := cfg.Rotation.As(ctx, &rm, basetypes.ObjectAsOptions{}); d.HasError() {
		return
	}
	parse := func(v types.String) (time.Duration, bool) {
		if v.IsNull() || v.IsUnknown() {
			return 0, false
		}
		d, err := duration.Parse(v.ValueString())
		return d, err == nil
	}
	for _, a := range []struct {
		name string
		v    types.String
	}{{"lifetime", rm.Lifetime}, {"rotate_before", rm.RotateBefore}} {
		if name := a.name; a.v.IsNull() {
			diags.AddAttributeError(pathRotation.AtName(name), "Missing rotation."+name,
				"The rotation block needs lifetime (how long each token lives) and rotate_before (how long before its expiry it is "+
					"replaced), for example lifetime = \"30d\" and rotate_before = \"7d\".")
		}
	}
	lifetime, okLifetime := parse(rm.Lifetime)
	rotateBefore, okBefore := parse(rm.RotateBefore)
	overlap, okOverlap := parse(rm.Overlap)
	if okLifetime && okBefore && rotateBefore >= lifetime {
		diags.AddAttributeError(pathRotation.AtName("rotate_before"), "rotate_before must be shorter than lifetime",
			fmt.Sprintf("rotate_before = %q is not shorter than lifetime = %q: every token would be due for rotation as soon as it is "+
				"made, and every plan would replace it. Make rotate_before a fraction of lifetime, such as a week of 30 days.",
				rm.RotateBefore.ValueString(), rm.Lifetime.ValueString()))
	}
	if okLifetime && okOverlap && overlap > lifetime {
		diags.AddAttributeError(pathRotation.AtName("overlap"), "overlap must not be longer than lifetime",
			fmt.Sprintf("overlap = %q is longer than lifetime = %q. A rotated-out token is never kept past its own expiry, which is at "+
				"most lifetime after it was made, so this overlap could never take effect; check the units.",
				rm.Overlap.ValueString(), rm.Lifetime.ValueString()))
	}
	if okBefore && okOverlap && overlap > rotateBefore && (!okLifetime || overlap <= lifetime) {
		diags.AddAttributeWarning(pathRotation.AtName("overlap"), "overlap is longer than rotate_before",
			fmt.Sprintf("A token is rotated out at the earliest rotate_before = %q ahead of its expiry, and its expiry is never moved later, "+
				"so a rotated-out token keeps working for at most %q after a scheduled rotation, not overlap = %q.",
				rm.RotateBefore.ValueString(), rm.RotateBefore.ValueString(), rm.Overlap.ValueString()))
	}
}

// withExpiry returns a copy of p that expires at expiry.
func withExpiry(p *client.SecurityPolicy, expiry time.Time) *client.SecurityPolicy {
	q := p.Clone()
	q.NotAfter = &expiry
	return q
}

// rotationDue reports whether token m, created already, is due for rotation
// at now under its rotation block, parsed (nil: none).
func rotationDue(m *tokenModel, rotation *rotationSettings, now time.Time) bool {
	created, ok := m.createdTime()
	return rotation != nil && ok && rotation.due(created, now)
}
