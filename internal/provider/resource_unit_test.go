package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// These tests call the resource's methods directly, with plans and states
// built from the schema, against an in-process simulator: the provider's
// logic is tested without a CLI. The acceptance tests keep the end-to-end
// checks.

var unitSchema = tokenResourceSchema()

func policyValue(t *testing.T, p *client.SecurityPolicy) types.Object {
	t.Helper()
	if p == nil {
		return types.ObjectNull(policyAttrTypes)
	}
	return policyObject(p)
}

// plan runs ModifyPlan as Terraform does for a create (prior nil), an
// update or a destroy (m nil).
func (r *tokenResource) plan(t *testing.T, prior, m *tokenModel) (tokenModel, []string) {
	t.Helper()
	req := resource.ModifyPlanRequest{State: stateOf(t, prior), Plan: tfsdk.Plan{Schema: unitSchema, Raw: nullRaw()}}
	if m != nil {
		req.Plan = planOf(t, *m)
		req.Config = tfsdk.Config{Schema: unitSchema, Raw: req.Plan.Raw}
	}
	req.Private = emptyPrivate(req.Private)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(context.Background(), req, &resp)
	var errs []string
	for _, d := range resp.Diagnostics.Errors() {
		errs = append(errs, d.Summary()+": "+d.Detail())
	}
	if m == nil || len(errs) > 0 {
		return tokenModel{}, errs
	}
	var out tokenModel
	resp.Plan.Get(context.Background(), &out)
	return out, errs
}

func (r *tokenResource) create(t *testing.T, plan tokenModel) tokenModel {
	t.Helper()
	req := resource.CreateRequest{Plan: planOf(t, plan)}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	resp.Private = emptyPrivate(resp.Private)
	r.Create(context.Background(), req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %v", resp.Diagnostics)
	}
	var out tokenModel
	resp.State.Get(context.Background(), &out)
	return out
}

func (r *tokenResource) read(t *testing.T, state tokenModel) (tokenModel, bool) {
	t.Helper()
	req := resource.ReadRequest{State: stateOf(t, &state)}
	resp := resource.ReadResponse{State: req.State}
	resp.Private = emptyPrivate(resp.Private)
	r.Read(context.Background(), req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("read: %v", resp.Diagnostics)
	}
	if resp.State.Raw.IsNull() {
		return tokenModel{}, false
	}
	var out tokenModel
	resp.State.Get(context.Background(), &out)
	return out, true
}

func (r *tokenResource) update(t *testing.T, state, plan tokenModel) (tokenModel, []string) {
	t.Helper()
	req := resource.UpdateRequest{State: stateOf(t, &state), Plan: planOf(t, plan)}
	resp := resource.UpdateResponse{State: req.State}
	resp.Private = emptyPrivate(resp.Private)
	r.Update(context.Background(), req, &resp)
	var errs []string
	for _, d := range resp.Diagnostics.Errors() {
		errs = append(errs, d.Summary()+": "+d.Detail())
	}
	var out tokenModel
	resp.State.Get(context.Background(), &out)
	return out, errs
}

func (r *tokenResource) destroy(t *testing.T, state tokenModel) {
	t.Helper()
	resp := resource.DeleteResponse{}
	r.Delete(context.Background(), resource.DeleteRequest{State: stateOf(t, &state)}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("delete: %v", resp.Diagnostics)
	}
}

// A token's whole life through the resource's methods: the plan predicts
// exactly what create, read and update leave in state and in SolarNetwork.
func TestResourceLifecycleUnit(t *testing.T) {
	r, sim := unitResource(t)
	cfg := newModel()
	cfg.Name = types.StringValue("Dashboard")
	cfg.Status = types.StringValue(client.StatusDisabled)
	cfg.ExpirationDate = types.StringValue("2031-01-01")
	cfg.TimeZone = types.StringValue("Pacific/Auckland")
	cfg.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{3, 1}, SourceIDs: []string{"/a/**"}, MinAggregation: "Hour", Aggregations: nil})

	planned, errs := r.plan(t, nil, &cfg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if planned.ExpiresAt.ValueString() != "2030-12-31T11:00:00Z" || planned.Expired.ValueBool() {
		t.Errorf("planned expires_at %v expired %v", planned.ExpiresAt, planned.Expired)
	}
	state := r.create(t, planned)
	if !state.EffectivePolicy.Equal(planned.EffectivePolicy) || !state.ExpiresAt.Equal(planned.ExpiresAt) {
		t.Errorf("created %v / %v, planned %v / %v", state.EffectivePolicy, state.ExpiresAt, planned.EffectivePolicy, planned.ExpiresAt)
	}
	if state.Secret.ValueString() == "" || state.Name.ValueString() != "Dashboard" || state.Status.ValueString() != client.StatusDisabled {
		t.Errorf("state after create: %+v", state)
	}
	tok, ok := sim.Token(state.ID.ValueString())
	if !ok || tok.Name != "Dashboard" || tok.Status != client.StatusDisabled || tok.Policy.MinAggregation != "Hour" {
		t.Fatalf("SolarNetwork holds %+v", tok)
	}

	// Read keeps the user's spelling of the same instant and changes nothing.
	read, found := r.read(t, state)
	if !found || !read.ExpirationDate.Equal(cfg.ExpirationDate) || !read.Policy.Equal(state.Policy) {
		t.Errorf("read: found=%v %+v", found, read)
	}

	// Merge mode: a restriction added elsewhere stays, an owned one is removed.
	if err := sim.MergePolicy(tok.ID, &simulator.Policy{SourceIDs: []string{"/theirs/**"}}); err != nil {
		t.Fatal(err)
	}
	r.store.Invalidate()
	read.PolicyUpdate = types.StringValue(policyUpdateMerge)
	read, _ = r.read(t, read)
	next := cfg
	next.PolicyUpdate = types.StringValue(policyUpdateMerge)
	next.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}, MinAggregation: "Hour", SourceIDs: []string{"/a/**"}})
	next.Status = types.StringValue(client.StatusActive)
	read.PolicyUpdate = types.StringValue(policyUpdateMerge)
	planned, errs = r.plan(t, &read, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := &client.SecurityPolicy{NodeIDs: []int64{1}, SourceIDs: []string{"/a/**", "/theirs/**"}, MinAggregation: "Hour"}
	if got, _, _ := policyFromObject(context.Background(), planned.EffectivePolicy); !client.PoliciesEqual(got, want) {
		t.Errorf("planned merge %+v, want %+v", got, want)
	}
	updated, errs := r.update(t, read, planned)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !updated.EffectivePolicy.Equal(planned.EffectivePolicy) || updated.Status.ValueString() != client.StatusActive {
		t.Errorf("updated %+v, planned %+v", updated.EffectivePolicy, planned.EffectivePolicy)
	}
	tok, _ = sim.Token(tok.ID)
	if !slices.Equal(tok.Policy.NodeIDs, []int64{1}) || !slices.Equal(tok.Policy.SourceIDs, []string{"/a/**", "/theirs/**"}) || tok.Status != client.StatusActive {
		t.Errorf("SolarNetwork holds %+v after the update", tok)
	}

	// Deleted elsewhere: read removes it from state (this state knows neither
	// when the token was created nor when it was last listed).
	sim.DeleteToken(tok.ID)
	r.store.Invalidate()
	if _, found := r.read(t, updated); found {
		t.Error("a token deleted outside Terraform is still in state")
	}
	r.destroy(t, updated) // deleting a token already gone succeeds
}

func ptrTo[T any](v T) *T { return &v }

// validateUnit runs ValidateConfig on m, as Terraform does before a plan,
// and returns warnings and errors.
func (r *tokenResource) validateUnit(t *testing.T, m tokenModel) (warnings, errs []string) {
	t.Helper()
	req := resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: unitSchema, Raw: planOf(t, m).Raw}}
	resp := resource.ValidateConfigResponse{}
	r.ValidateConfig(context.Background(), req, &resp)
	for _, d := range resp.Diagnostics.Warnings() {
		warnings = append(warnings, d.Summary())
	}
	for _, d := range resp.Diagnostics.Errors() {
		errs = append(errs, d.Summary()+": "+d.Detail())
	}
	return warnings, errs
}

// A User token with a restriction is warned about once, at plan (the CLI
// validates a configuration several times per run, and would repeat a
// warning made there); a rotation block that could never work is refused
// before any plan.
func TestValidateConfigUnit(t *testing.T) {
	r, _ := unitResource(t)
	user := newModel()
	user.Type = types.StringValue(client.TokenTypeUser)
	user.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}, APIPaths: []string{"/datum/**"}, RefreshAllowed: new(bool)})
	warnings, errs := r.validateUnit(t, user)
	if len(errs) > 0 || len(warnings) > 0 {
		t.Errorf("validation: warnings %q errors %q", warnings, errs)
	}
	planned := r.planDiagnostics(t, nil, &user)
	if n := slices.Index(planned, "Warning User token restricted by node_ids @ policy.node_ids"); n < 0 ||
		len(slices.DeleteFunc(slices.Clone(planned), func(s string) bool { return !strings.Contains(s, "restricted by") })) != 1 {
		t.Errorf("plan: %q, want one User token restricted by node_ids", planned)
	}
	data := user
	data.Type = types.StringValue(client.TokenTypeReadNodeData)
	if warnings, errs := r.validateUnit(t, data); len(warnings)+len(errs) > 0 {
		t.Errorf("a ReadNodeData token: warnings %q errors %q", warnings, errs)
	}

	rotating := newModel()
	rotationOf := func(lifetime, before, overlap string) types.Object {
		v := func(s string) attr.Value {
			if s == "" {
				return types.StringNull()
			}
			return types.StringValue(s)
		}
		return types.ObjectValueMust(rotationType().(types.ObjectType).AttrTypes,
			map[string]attr.Value{"lifetime": v(lifetime), "rotate_before": v(before), "overlap": v(overlap)})
	}
	for _, c := range []struct {
		lifetime, before, overlap, want string
	}{
		{"30d", "7d", "1h", ""},
		{"30d", "30d", "", "rotate_before must be shorter than lifetime"},
		{"1h", "10m", "2h", "overlap"},
		{"", "7d", "", "Missing rotation.lifetime"},
	} {
		rotating.Rotation = rotationOf(c.lifetime, c.before, c.overlap)
		_, errs := r.validateUnit(t, rotating)
		if got := strings.Join(errs, "\n"); (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("rotation %+v: errors %q, want %q", c, got, c.want)
		}
	}
}

// Import takes a token ID, or the identity's id, and refuses anything that
// cannot be one before SolarNetwork is asked.
func TestImportStateUnit(t *testing.T) {
	r, _ := unitResource(t)
	for id, wantErr := range map[string]bool{"abcdefghij0123456789": false, "not a token": true, "": true} {
		resp := resource.ImportStateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
		r.ImportState(context.Background(), resource.ImportStateRequest{ID: id}, &resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("import %q: %v", id, resp.Diagnostics)
			continue
		}
		var got types.String
		resp.State.GetAttribute(context.Background(), path.Root("id"), &got)
		if !wantErr && got.ValueString() != id {
			t.Errorf("import %q set id %v", id, got)
		}
	}
}
