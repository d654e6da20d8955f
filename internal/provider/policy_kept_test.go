package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// An older SolarNetwork that does not know api paths stores a token without
// them: less restricted than written. The provider deletes such a token and
// says why, instead of leaving it usable.
func TestCreateDeletesATokenWhosePolicyWasNotKept(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{UnknownPolicyFields: []string{"apiPaths"}})
	cfg := newModel()
	cfg.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}, APIPaths: []string{"/datum/**"}})
	planned, errs := r.plan(t, nil, &cfg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	before := len(sim.Tokens())
	resp := resource.CreateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	resp.Private = emptyPrivate(resp.Private)
	r.Create(context.Background(), resource.CreateRequest{Plan: planOf(t, planned)}, &resp)
	got := errorsOf(resp.Diagnostics)
	if !strings.Contains(got, "did not keep the token's policy") || !strings.Contains(got, "policy.api_paths") || !strings.Contains(got, "was deleted") {
		t.Errorf("errors %q", got)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("a deleted token is still in state")
	}
	if n := len(sim.Tokens()); n != before {
		t.Errorf("%d tokens after the create, want %d: the unkept token is still there", n, before)
	}

	// The same through the ephemeral resource.
	e := &tokenEphemeral{store: r.store}
	m := ephemeralConfig(t)
	m.Policy = cfg.Policy
	open := openEphemeral(t, e, m)
	if !strings.Contains(errorsOf(open.Diagnostics), "policy.api_paths") || len(sim.Tokens()) != before {
		t.Errorf("ephemeral: errors %q, %d tokens, want %d", errorsOf(open.Diagnostics), len(sim.Tokens()), before)
	}

	// A token whose delete fails too stays in state, and the error says so.
	sim.InjectFault(simulator.Fault{Method: "DELETE", Status: 500, Times: -1})
	defer sim.ClearFaults()
	resp = resource.CreateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	resp.Private = emptyPrivate(resp.Private)
	r.Create(context.Background(), resource.CreateRequest{Plan: planOf(t, planned)}, &resp)
	var kept tokenModel
	resp.State.Get(context.Background(), &kept)
	if !strings.Contains(errorsOf(resp.Diagnostics), "stays in state") || kept.ID.IsNull() || kept.Secret.ValueString() == "" {
		t.Errorf("errors %q, state %v", errorsOf(resp.Diagnostics), kept.ID)
	}
	if _, ok := sim.Token(kept.ID.ValueString()); !ok {
		t.Error("the token in state does not exist")
	}
}

// An update SolarNetwork does not keep is an error, and state records what
// it holds, so the next plan shows the difference.
func TestUpdateReportsAPolicyNotKept(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{UnknownPolicyFields: []string{"userMetadataPaths"}})
	cfg := newModel()
	cfg.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}})
	planned, _ := r.plan(t, nil, &cfg)
	state := r.create(t, planned)
	next := cfg
	next.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}, UserMetadataPaths: []string{"/m/*"}})
	next.ID, next.Secret, next.Created, next.UserID = state.ID, state.Secret, state.Created, state.UserID
	updatePlan, errs := r.plan(t, &state, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	out, errs := r.update(t, state, updatePlan)
	if got := strings.Join(errs, "\n"); !strings.Contains(got, "did not keep the planned policy") || !strings.Contains(got, "policy.user_metadata_paths") {
		t.Errorf("errors %q", got)
	}
	tok, _ := sim.Token(state.ID.ValueString())
	if held := policyToObject(&client.SecurityPolicy{NodeIDs: tok.Policy.NodeIDs}); !out.EffectivePolicy.Equal(held) {
		t.Errorf("state holds %v, SolarNetwork %+v", out.EffectivePolicy, tok.Policy)
	}
	if !out.ID.Equal(state.ID) {
		t.Errorf("state lost the token: %v", out.ID)
	}
}

// A rotated-out token whose expiry SolarNetwork does not move would keep
// working past its overlap: the delete fails, naming it, and the token
// stays in state for the next apply.
func TestOverlapExpiryNotKept(t *testing.T) {
	now := time.Date(2031, 3, 4, 5, 0, 0, 0, time.UTC)
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return now }, UnknownPolicyFields: []string{"notAfter"}})
	created := now.Add(-50 * time.Minute)
	expiry := created.Add(time.Hour)
	tok := sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{NotAfter: &expiry})
	state := newModel()
	state.ID, state.Secret, state.UserID = types.StringValue(tok.ID), types.StringValue(tok.Secret), types.Int64Value(tok.UserID)
	state.Created = types.StringValue(created.Format(time.RFC3339Nano))
	state.ExpiresAt, state.Expired = types.StringValue(expiration.FormatInstant(expiry)), types.BoolValue(false)
	state.EffectivePolicy = types.ObjectNull(policyAttrTypes)
	state.Rotation = types.ObjectValueMust(rotationType().(types.ObjectType).AttrTypes, map[string]attr.Value{
		"lifetime": types.StringValue("1h"), "rotate_before": types.StringValue("30m"), "overlap": types.StringValue("5m")})
	state.ReadyForRotation = types.BoolValue(true)

	resp := resource.DeleteResponse{}
	r.Delete(context.Background(), resource.DeleteRequest{State: stateOf(t, &state)}, &resp)
	if got := errorsOf(resp.Diagnostics); !strings.Contains(got, "expiration_date") || !strings.Contains(got, "did not move") {
		t.Errorf("errors %q", got)
	}
	if held, ok := sim.Token(tok.ID); !ok || !held.Policy.NotAfter.Equal(expiry) {
		t.Errorf("SolarNetwork holds %+v", held)
	}
}
