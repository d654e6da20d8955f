package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// An update that disables a token, renames it and changes its policy, whose
// policy write a SolarUser server handles from a copy cached before the
// status and name writes: that write puts Active and the old name back.
// The update fails naming both, state records what SolarNetwork holds, and
// the next apply sends them again.
func TestUpdateReportsWritesUndoneByAStaleCopy(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{})
	cfg := newModel()
	cfg.Name = types.StringValue("Dashboard")
	cfg.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}})
	planned, _ := r.plan(t, nil, &cfg)
	state := r.create(t, planned)

	next := cfg
	next.Name = types.StringValue("Dashboard (retired)")
	next.Status = types.StringValue(client.StatusDisabled)
	next.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 2}})
	next.ID, next.Secret, next.Created, next.UserID = state.ID, state.Secret, state.Created, state.UserID
	updatePlan, errs := r.plan(t, &state, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sim.InjectFault(simulator.Fault{Method: "PUT", Path: "/policy", StaleRow: 2})
	out, errs := r.update(t, state, updatePlan)
	got := strings.Join(errs, "\n")
	for _, want := range []string{"undid part of this update", `status ("Active", not "Disabled")`, `name ("Dashboard", not "Dashboard (retired)")`} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q: %q", want, got)
		}
	}
	tok, _ := sim.Token(state.ID.ValueString())
	if tok.Status != client.StatusActive || tok.Name != "Dashboard" {
		t.Fatalf("SolarNetwork holds %s %q: the stale copy was not written back", tok.Status, tok.Name)
	}
	if out.Status.ValueString() != tok.Status || out.Name.ValueString() != tok.Name || !out.ID.Equal(state.ID) {
		t.Errorf("state holds %v %v %v, SolarNetwork %s %q", out.ID, out.Status, out.Name, tok.Status, tok.Name)
	}

	// The next apply, planned from that state, sends them again.
	retryPlan, errs := r.plan(t, &out, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, errs := r.update(t, out, retryPlan); len(errs) > 0 {
		t.Fatal(errs)
	}
	if tok, _ := sim.Token(state.ID.ValueString()); tok.Status != client.StatusDisabled || tok.Name != "Dashboard (retired)" {
		t.Errorf("after the next apply SolarNetwork holds %s %q", tok.Status, tok.Name)
	}
}

// What the update did not write is not judged: a token disabled outside
// Terraform since the last refresh is drift for the next plan to show, not
// a write undone.
func TestUpdateDoesNotJudgeWhatItDidNotWrite(t *testing.T) {
	r, sim := unitResourceWith(t, simulator.Options{})
	cfg := newModel()
	cfg.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}})
	planned, _ := r.plan(t, nil, &cfg)
	state := r.create(t, planned)
	mustEdit(t, sim.SetStatus(state.ID.ValueString(), simulator.StatusDisabled))

	next := cfg
	next.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 2}})
	next.ID, next.Secret, next.Created, next.UserID = state.ID, state.Secret, state.Created, state.UserID
	updatePlan, errs := r.plan(t, &state, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, errs := r.update(t, state, updatePlan); len(errs) > 0 {
		t.Errorf("errors %q", errs)
	}
}

// Through the CLI: the failed update keeps the token in state as
// SolarNetwork holds it (Active, old name), the CLI accepts that state, and
// the next apply disables and renames it.
func TestAccSecurityToken_writesUndoneByAStaleCopy(t *testing.T) {
	sim := testAccSimulator(t)
	rec := &idRecorder{}
	cfg := func(body string) string { return tokenConfig(sim, "\n  type = \"ReadNodeData\"\n"+body) }
	before := cfg(`  name = "Dashboard"
  policy { node_ids = [1] }
`)
	after := cfg(`  name   = "Dashboard (retired)"
  status = "Disabled"
  policy { node_ids = [1, 2] }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: before, Check: rec.record},
			{
				PreConfig:   func() { sim.InjectFault(simulator.Fault{Method: "PUT", Path: "/policy", StaleRow: 2}) },
				Config:      after,
				ExpectError: regexp.MustCompile(`(?s)undid part of this update.*status \("Active", not\s+"Disabled"\)`),
			},
			{
				Config:           after,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(*terraform.State) error {
					if tok, _ := sim.Token(rec.id); tok.Status != client.StatusDisabled || tok.Name != "Dashboard (retired)" {
						return fmt.Errorf("SolarNetwork holds %s %q", tok.Status, tok.Name)
					}
					return nil
				},
			},
		},
	})
}
