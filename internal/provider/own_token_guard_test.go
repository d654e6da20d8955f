package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// guardNow is the clock of the guard's unit tests.
var guardNow = time.Date(2031, 3, 4, 5, 0, 0, 0, time.UTC)

// ownTokenModels returns the state of the provider's own token, imported,
// and the same state for another token.
func ownTokenModels(sim *simulator.Simulator) (own, other tokenModel) {
	admin, _ := sim.AdminCredentials()
	own = newModel()
	own.ID, own.Type, own.Secret = types.StringValue(admin), types.StringValue(client.TokenTypeUser), types.StringNull()
	own.EffectivePolicy, own.ExpiresAt, own.Expired = types.ObjectNull(policyAttrTypes), types.StringNull(), types.BoolValue(false)
	own.Created, own.UserID = types.StringValue("2026-01-01T00:00:00Z"), types.Int64Value(123)
	own.ReadyForRotation = types.BoolValue(false)
	other = own
	other.ID = types.StringValue(sim.CreateToken(simulator.TypeUser, nil).ID)
	return own, other
}

// dueForRotation makes m a token due for rotation at guardNow, with an
// overlap, so that removing it shortens its expiry instead of deleting it.
func dueForRotation(m tokenModel) tokenModel {
	created := guardNow.Add(-50 * time.Minute)
	m.Created = types.StringValue(created.Format(time.RFC3339Nano))
	m.ExpiresAt = types.StringValue(expiration.FormatInstant(created.Add(time.Hour)))
	m.Rotation = types.ObjectValueMust(rotationType().(types.ObjectType).AttrTypes, map[string]attr.Value{
		"lifetime": types.StringValue("1h"), "rotate_before": types.StringValue("30m"), "overlap": types.StringValue("5m")})
	m.ReadyForRotation = types.BoolValue(true)
	return m
}

// planReplace plans a replacement as the CLI does for -replace: first an
// update from the prior state, then the create half again with no prior
// state but the private state the first pass left. It returns the errors of
// each pass.
func (r *tokenResource) planReplace(t *testing.T, prior, cfg tokenModel) (first, second string) {
	t.Helper()
	ctx := context.Background()
	req := resource.ModifyPlanRequest{State: stateOf(t, &prior), Plan: planOf(t, cfg), Config: tfsdk.Config{Schema: unitSchema, Raw: planOf(t, cfg).Raw}}
	req.Private = emptyPrivate(req.Private)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(ctx, req, &resp)
	first = errorsOf(resp.Diagnostics)

	create := cfg
	create.ID, create.Created, create.UserID, create.Secret = types.StringUnknown(), types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
	req2 := resource.ModifyPlanRequest{State: stateOf(t, nil), Plan: planOf(t, create), Config: req.Config, Private: resp.Private}
	resp2 := resource.ModifyPlanResponse{Plan: req2.Plan, Private: req2.Private}
	r.ModifyPlan(ctx, req2, &resp2)
	return first, errorsOf(resp2.Diagnostics)
}

// writes counts the requests that change tokens.
func writes(sim *simulator.Simulator) int {
	n := 0
	for _, req := range sim.Requests() {
		if req.Method != "GET" {
			n++
		}
	}
	return n
}

// Every plan that would delete, replace, disable, restrict or expire the
// provider's own token is refused, naming the attribute; the same plan of
// another token is not.
func TestOwnTokenGuardPlanUnit(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return guardNow }})
	own, other := ownTokenModels(sim)
	if _, err := r.store.Tokens(context.Background()); err != nil {
		t.Fatal(err)
	}
	type edit func(m *tokenModel)
	for _, tc := range []struct {
		name  string
		prior func(tokenModel) tokenModel // nil: as is
		edit  edit                        // nil: destroy
		want  string
	}{
		{"status", nil, func(m *tokenModel) { m.Status = types.StringValue(client.StatusDisabled) }, `would disable it (status = "Disabled")`},
		{"policy", nil, func(m *tokenModel) { m.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}}) }, "restrict it with policy.node_ids"},
		{"past expiry", nil, func(m *tokenModel) { m.ExpirationDate = types.StringValue("2020-01-01") }, "already passed"},
		{"type", nil, func(m *tokenModel) { m.Type = types.StringValue(client.TokenTypeReadNodeData) }, "because its type changes"},
		{"rotation due", func(m tokenModel) tokenModel { m = dueForRotation(m); m.Rotation = rotationWithoutOverlap(); return m },
			func(m *tokenModel) {}, "because it is due for rotation"},
		{"destroy", nil, nil, "would delete it."},
		{"destroy, on_destroy disable", func(m tokenModel) tokenModel { m.OnDestroy = types.StringValue(onDestroyDisable); return m },
			nil, `disable it (on_destroy = "disable")`},
		{"destroy, rotated out with overlap", dueForRotation, nil, `shorten its expiry to rotation.overlap = "5m"`},
	} {
		for _, prior := range []tokenModel{own, other} {
			if tc.prior != nil {
				prior = tc.prior(prior)
			}
			var cfg *tokenModel
			if tc.edit != nil {
				c := prior
				c.EffectivePolicy, c.ExpiresAt, c.Expired = types.ObjectUnknown(policyAttrTypes), types.StringUnknown(), types.BoolUnknown()
				tc.edit(&c)
				cfg = &c
			}
			_, errs := r.plan(t, &prior, cfg)
			got := strings.Join(errs, "\n")
			isOwn := prior.ID.Equal(own.ID)
			if refused := strings.Contains(got, "This would lock the provider out"); refused != isOwn || isOwn && !strings.Contains(got, tc.want) {
				t.Errorf("%s of %s: errors %q, want %q", tc.name, prior.ID.ValueString(), got, tc.want)
			}
		}
	}
	// An expiry in the future and refresh_allowed do not lock it out.
	fine := own
	fine.ExpirationDate = types.StringValue("2099-01-01")
	fine.Policy = policyValue(t, &client.SecurityPolicy{RefreshAllowed: ptrTo(true)})
	if _, errs := r.plan(t, &own, &fine); len(errs) != 0 {
		t.Errorf("a harmless change was refused: %v", errs)
	}
}

func rotationWithoutOverlap() types.Object {
	return types.ObjectValueMust(rotationType().(types.ObjectType).AttrTypes, map[string]attr.Value{
		"lifetime": types.StringValue("1h"), "rotate_before": types.StringValue("30m"), "overlap": types.StringNull()})
}

// A forced replacement (-replace, replace_triggered_by) plans the create half
// with no prior state: the first half's private state tells it that the
// token it replaces is the provider's own, and it is refused. Another
// token's replacement, and a plain create, are not.
func TestOwnTokenGuardForcedReplacementUnit(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return guardNow }})
	own, other := ownTokenModels(sim)
	first, second := r.planReplace(t, own, own)
	if first != "" || !strings.Contains(second, "This would lock the provider out") ||
		!strings.Contains(second, own.ID.ValueString()+" is the one this provider signs its requests with, and this plan would replace it") {
		t.Errorf("replacing the own token: first pass %q, create half %q", first, second)
	}
	if first, second := r.planReplace(t, other, other); first != "" || second != "" {
		t.Errorf("replacing another token: first pass %q, create half %q", first, second)
	}
	// A mark left in private state by an earlier plan is written afresh by
	// each first pass: the plan of another token clears it.
	ctx := context.Background()
	req := resource.ModifyPlanRequest{State: stateOf(t, &other), Plan: planOf(t, other), Config: tfsdk.Config{Schema: unitSchema, Raw: planOf(t, other).Raw}}
	req.Private = emptyPrivate(req.Private)
	req.Private.SetKey(ctx, privatePlannedOwnToken, []byte(`"`+own.ID.ValueString()+`"`))
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(ctx, req, &resp)
	if id := plannedOwnToken(ctx, resp.Private); id != "" || resp.Diagnostics.HasError() {
		t.Errorf("mark %q left by the plan of another token, errors %v", id, resp.Diagnostics)
	}
	if _, errs := r.plan(t, nil, &own); len(errs) != 0 {
		t.Errorf("a create was refused: %v", errs)
	}
}

// At apply, Delete refuses to delete, disable or retire the provider's own
// token: the error names it and says how to go on, the resource stays in
// state and nothing is sent. Another token goes as planned.
func TestOwnTokenGuardDeleteUnit(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return guardNow }})
	for name, state := range map[string]func(tokenModel) tokenModel{
		"delete":      func(m tokenModel) tokenModel { return m },
		"on_destroy":  func(m tokenModel) tokenModel { m.OnDestroy = types.StringValue(onDestroyDisable); return m },
		"rotated out": dueForRotation,
		"rotated, disabled": func(m tokenModel) tokenModel {
			m = dueForRotation(m)
			m.OnDestroy = types.StringValue(onDestroyDisable)
			return m
		},
	} {
		own, other := ownTokenModels(sim)
		sim.ResetRequests()
		resp := resource.DeleteResponse{State: stateOf(t, ptrTo(state(own)))}
		r.Delete(context.Background(), resource.DeleteRequest{State: resp.State}, &resp)
		got := errorsOf(resp.Diagnostics)
		if !strings.Contains(got, "This would lock the provider out") || !strings.Contains(got, own.ID.ValueString()+" is the one") ||
			!strings.Contains(got, "this apply would") || !strings.Contains(got, "stays in state") || !strings.Contains(got, "terraform state rm") {
			t.Errorf("%s: errors %q", name, got)
		}
		if resp.State.Raw.IsNull() {
			t.Errorf("%s: the resource left state", name)
		}
		if n := writes(sim); n != 0 {
			t.Errorf("%s: %d writes sent: %+v", name, n, sim.Requests())
		}
		if tok, ok := sim.Token(own.ID.ValueString()); !ok || tok.Status != client.StatusActive || tok.Policy != nil && tok.Policy.NotAfter != nil {
			t.Errorf("%s: the provider's token is now %+v (found %v)", name, tok, ok)
		}

		resp = resource.DeleteResponse{State: stateOf(t, ptrTo(state(other)))}
		r.Delete(context.Background(), resource.DeleteRequest{State: resp.State}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s of another token: %v", name, resp.Diagnostics)
		}
	}
}

// At apply, Update refuses to disable, restrict or expire the provider's
// own token, even when the plan did not refuse it (a saved plan applied with
// another credential): state stays as it was and nothing is sent.
func TestOwnTokenGuardUpdateUnit(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return guardNow }})
	own, other := ownTokenModels(sim)
	if _, err := r.store.Tokens(context.Background()); err != nil {
		t.Fatal(err)
	}
	past := guardNow.Add(-time.Minute)
	for name, edit := range map[string]func(m *tokenModel){
		"status": func(m *tokenModel) { m.Status = types.StringValue(client.StatusDisabled) },
		"policy": func(m *tokenModel) {
			m.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}})
			m.EffectivePolicy = m.Policy
		},
		"expiry": func(m *tokenModel) {
			m.ExpirationDate = types.StringValue(expiration.FormatInstant(past))
			m.EffectivePolicy = policyValue(t, &client.SecurityPolicy{NotAfter: &past})
			m.ExpiresAt, m.Expired = types.StringValue(expiration.FormatInstant(past)), types.BoolValue(true)
		},
	} {
		for _, state := range []tokenModel{own, other} {
			plan := state
			edit(&plan)
			sim.ResetRequests()
			out, errs := r.update(t, state, plan)
			got := strings.Join(errs, "\n")
			if !state.ID.Equal(own.ID) {
				if got != "" {
					t.Errorf("%s of another token: %s", name, got)
				}
				continue
			}
			if !strings.Contains(got, "This would lock the provider out") || !strings.Contains(got, "this apply would") {
				t.Errorf("%s: errors %q", name, got)
			}
			if !out.Status.Equal(state.Status) || !out.Policy.Equal(state.Policy) || !out.ExpirationDate.Equal(state.ExpirationDate) {
				t.Errorf("%s: state after the refusal %+v", name, out)
			}
			if n := writes(sim); n != 0 {
				t.Errorf("%s: %d writes sent", name, n)
			}
		}
	}
}

// The guard itself: only the caller's token, and only a lockout, is refused.
func TestGuardOwnTokenUnit(t *testing.T) {
	r, sim := unitResource(t)
	admin, _ := sim.AdminCredentials()
	harm := &lockout{pathOnDestroy, "disable it"}
	for _, c := range []struct {
		id   string
		harm *lockout
		want bool
	}{{admin, harm, true}, {admin, nil, false}, {"other00000000000000", harm, false}} {
		var diags diag.Diagnostics
		if got := r.guardOwnToken(c.id, c.harm, atPlan, &diags); got != c.want || diags.HasError() != c.want {
			t.Errorf("%s %+v: refused %v, errors %v", c.id, c.harm, got, diags)
		}
	}
	var diags diag.Diagnostics
	if (&tokenResource{}).guardOwnToken(admin, harm, atPlan, &diags) {
		t.Error("an unconfigured resource refused")
	}
}
