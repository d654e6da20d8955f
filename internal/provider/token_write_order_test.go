package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// tokenWrites returns the writes to token id, as "METHOD /last-path-segment",
// in the order SolarNetwork answered them.
func tokenWrites(sim *simulator.Simulator, id string) []string {
	var out []string
	for _, r := range sim.Requests() {
		if r.Target == id {
			out = append(out, r.Method+" "+r.Path[strings.LastIndex(r.Path, "/"):])
		}
	}
	return out
}

// disabledFirst is the order a create of a Disabled token with a policy,
// name and description sends its writes after the generate.
var disabledFirst = []string{"POST /status", "PUT /policy", "POST /info"}

// A token configured Disabled is disabled right after the generate, before
// its policy, name and description are set: it must not be usable while
// the rest of the create runs.
func TestCreateDisablesFirstUnit(t *testing.T) {
	r, sim := unitResource(t)
	cfg := newModel()
	cfg.Type = types.StringValue(client.TokenTypeUser)
	cfg.Name, cfg.Description = types.StringValue("Ops"), types.StringValue("Disabled until needed")
	cfg.Status = types.StringValue(client.StatusDisabled)
	cfg.Policy = policyValue(t, &client.SecurityPolicy{RefreshAllowed: new(false)})
	planned, errs := r.plan(t, nil, &cfg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sim.ResetRequests()
	state := r.create(t, planned)
	if got := tokenWrites(sim, state.ID.ValueString()); !slices.Equal(got, disabledFirst) {
		t.Errorf("create sent %v after the generate, want %v", got, disabledFirst)
	}
	if reqs := sim.Requests(); len(reqs) == 0 || !strings.Contains(reqs[0].Path, "/generate/") {
		t.Errorf("the create did not begin with its generate: %+v", reqs)
	}
	tok, _ := sim.Token(state.ID.ValueString())
	if tok.Status != client.StatusDisabled || tok.Name != "Ops" || tok.Description != "Disabled until needed" ||
		tok.Policy == nil || tok.Policy.RefreshAllowed == nil || *tok.Policy.RefreshAllowed {
		t.Errorf("SolarNetwork holds %+v", tok)
	}
	if o := sim.OverlappingWrites(); len(o) != 0 {
		t.Errorf("overlapping writes %+v", o)
	}
}

// writeOrderConfig is n tokens, each with every part a write sets.
func writeOrderConfig(sim *simulator.Simulator, n int, name, status, nodes string) string {
	return providerConfig(sim) + fmt.Sprintf(`
resource "solarnetwork_security_token" "t" {
  count       = %d
  type        = "ReadNodeData"
  name        = "%s ${count.index}"
  description = "%s ${count.index}"
  status      = %q
  policy {
    node_ids   = [%s]
    source_ids = ["/w/${count.index}/**"]
  }
}
`, n, name, name, status, nodes)
}

// SolarNetwork rewrites a token's whole row on each write, so two writes to
// one token in flight at once can lose one. The provider never overlaps its
// own writes to a token, on create or update, whatever -parallelism runs
// beside them; a Disabled token is disabled before anything else.
func TestAccSecurityToken_writesDoNotOverlap(t *testing.T) {
	sim := testAccSimulator(t)
	const n = 4
	holds := func(name, status string, nodes []int64) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if o := sim.OverlappingWrites(); len(o) != 0 {
				return fmt.Errorf("writes to one token overlapped: %+v", o)
			}
			toks := nonAdminTokens(sim)
			if len(toks) != n {
				return fmt.Errorf("%d tokens, want %d", len(toks), n)
			}
			for _, tok := range toks {
				if !strings.HasPrefix(tok.Name, name+" ") || !strings.HasPrefix(tok.Description, name+" ") || tok.Status != status ||
					tok.Policy == nil || !slices.Equal(tok.Policy.NodeIDs, nodes) || len(tok.Policy.SourceIDs) != 1 {
					return fmt.Errorf("token %s holds %+v: a write was lost", tok.ID, tok)
				}
			}
			return nil
		}
	}
	createdDisabledFirst := func(*terraform.State) error {
		for _, tok := range nonAdminTokens(sim) {
			if got := tokenWrites(sim, tok.ID); !slices.Equal(got, disabledFirst) {
				return fmt.Errorf("token %s: the create sent %v after the generate, want %v", tok.ID, got, disabledFirst)
			}
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				PreConfig:        sim.ResetRequests,
				Config:           writeOrderConfig(sim, n, "First", "Disabled", "1"),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(holds("First", "Disabled", []int64{1}), createdDisabledFirst),
			},
			{
				PreConfig:        sim.ResetRequests,
				Config:           writeOrderConfig(sim, n, "Second", "Active", "2, 3"),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(holds("Second", "Active", []int64{2, 3}),
					expectCalls(sim, map[string]int{"POST /info": n, "POST /status": n, "PUT /policy": n})),
			},
		},
	})
}
