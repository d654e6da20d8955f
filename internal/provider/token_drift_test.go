package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func (r *idRecorder) record(s *terraform.State) error {
	r.id = s.RootModule().Resources[tokenAddr].Primary.ID
	return nil
}

// Replace mode: restrictions added elsewhere show as drift and apply removes
// them; restrictions removed elsewhere are put back.
func TestAccSecurityToken_driftReplace(t *testing.T) {
	sim := testAccSimulator(t)
	rec := &idRecorder{}
	cfg := tokenConfig(sim, `
  type = "ReadNodeData"
  policy {
    node_ids   = [1, 2]
    source_ids = ["/mine/**"]
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
			{
				// Someone adds a node and a min aggregation with s10k.
				PreConfig: func() {
					mustEdit(t, sim.MergePolicy(rec.id, &simulator.Policy{NodeIDs: []int64{9}, MinAggregation: "Day"}))
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("min_aggregation"), knownvalue.Null()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Policy.MinAggregation != "" {
						return fmt.Errorf("min aggregation %q not removed", tok.Policy.MinAggregation)
					}
					return equalInt64s(tok.Policy.NodeIDs, []int64{1, 2})
				}),
			},
			{
				// Someone removes everything.
				PreConfig: func() { mustEdit(t, sim.SetPolicy(rec.id, nil)) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Policy == nil {
						return fmt.Errorf("policy not put back")
					}
					return equalInt64s(tok.Policy.NodeIDs, []int64{1, 2})
				}),
			},
			{
				// Name, status and expiry changed elsewhere are put back too.
				PreConfig: func() {
					mustEdit(t, sim.SetInfo(rec.id, "renamed", ""))
					mustEdit(t, sim.SetStatus(rec.id, "Disabled"))
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: simToken(sim, func(tok simulator.Token) error {
				if tok.Name != "" || tok.Status != "Active" {
					return fmt.Errorf("token %+v not restored", tok)
				}
				return nil
			})},
		},
	})
}

// Merge mode: restrictions added elsewhere are kept and shown in
// effective_policy; ones Terraform owns that are removed elsewhere come back.
func TestAccSecurityToken_driftMerge(t *testing.T) {
	sim := testAccSimulator(t)
	rec := &idRecorder{}
	cfg := func(policy string) string {
		return tokenConfig(sim, `
  type          = "ReadNodeData"
  policy_update = "merge"
  policy {
`+policy+`
  }`)
	}
	owned := cfg(`node_ids = [1, 2]
    source_ids = ["/mine/**"]`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: owned, ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
			{
				// Added elsewhere: kept, and the plan stays empty.
				PreConfig: func() {
					mustEdit(t, sim.MergePolicy(rec.id, &simulator.Policy{NodeIDs: []int64{9}, SourceIDs: []string{"/theirs/**"}, MinAggregation: "Day"}))
				},
				Config:   owned,
				PlanOnly: true,
			},
			{
				Config:            owned,
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: nil,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(tokenAddr, "effective_policy.min_aggregation", "Day"),
					resource.TestCheckResourceAttr(tokenAddr, "effective_policy.node_ids.#", "3"),
					resource.TestCheckResourceAttr(tokenAddr, "policy.node_ids.#", "2"),
				),
			},
			{
				// Removed elsewhere: a diff, and apply puts it back without
				// touching what others added.
				PreConfig: func() {
					mustEdit(t, sim.SetPolicy(rec.id, &simulator.Policy{NodeIDs: []int64{1, 9}, SourceIDs: []string{"/theirs/**"}, MinAggregation: "Day"}))
					sim.ResetRequests()
				},
				Config: owned,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					simToken(sim, func(tok simulator.Token) error {
						if err := equalInt64s(tok.Policy.NodeIDs, []int64{1, 2, 9}); err != nil {
							return err
						}
						if err := sameElements("sources", tok.Policy.SourceIDs, []string{"/theirs/**", "/mine/**"}); err != nil {
							return err
						}
						if tok.Policy.MinAggregation != "Day" {
							return fmt.Errorf("min aggregation lost")
						}
						return nil
					}),
					expectCalls(sim, map[string]int{"PATCH /policy": 1, "PUT /policy": 0}),
				),
			},
			{
				// Dropping an owned restriction removes only it.
				PreConfig: sim.ResetRequests,
				Config:    cfg(`node_ids = [1]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(1), knownvalue.Int64Exact(9)})),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("source_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/theirs/**")})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					simToken(sim, func(tok simulator.Token) error {
						if err := equalInt64s(tok.Policy.NodeIDs, []int64{1, 9}); err != nil {
							return err
						}
						return sameElements("sources", tok.Policy.SourceIDs, []string{"/theirs/**"})
					}),
					expectCalls(sim, map[string]int{"PUT /policy": 1}),
				),
			},
		},
	})
}

// A token deleted outside Terraform stays in state while the list may lag
// behind it (list_lag_window after it was last seen listed), then leaves
// state and is planned again.
func TestAccSecurityToken_deletedOutOfBand(t *testing.T) {
	env := testAccClocked(t)
	sim := env.sim
	rec := &idRecorder{}
	cfg := tokenConfig(sim, `type = "ReadNodeData"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
			{
				// Within the window: no drift yet, and a warning says when it will count.
				PreConfig: func() {
					sim.DeleteToken(rec.id)
					env.clock.Advance(10 * time.Minute)
					env.diags.Reset()
				},
				Config:   cfg,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					if err := env.diags.expect("read", `Token `+rec.id+` is missing from SolarNetwork's token list: .*absence counts from 2031-03-01T09:15:00Z`)(nil); err != nil {
						t.Error(err)
					}
					env.clock.Advance(5 * time.Minute)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.ID == rec.id {
						return fmt.Errorf("expected a new token")
					}
					return nil
				}),
			},
		},
	})
}

// SolarNetwork's lists lag (another SolarUser process, up to 15 minutes) and
// its response cache is on: apply then plan keeps the new tokens in state, a
// second apply makes no duplicates, and a token deleted elsewhere is removed
// once list_lag_window has passed.
func TestAccSecurityToken_listLag(t *testing.T) {
	env := testAccClocked(t)
	sim := env.sim
	sim.SetCaches(simulator.Caches{ResponseCacheTTL: time.Minute, ListLag: 15 * time.Minute})
	cfg := providerConfig(sim) + `
resource "solarnetwork_security_token" "many" {
  count = 2
  type  = "ReadNodeData"
  name  = "Lagging ${count.index}"
}`
	var first []string
	var many0, many1 string // the tokens of many[0] and many[1]: made together, they list in no set order
	sameTokens := func(*terraform.State) error {
		var ids []string
		for _, tok := range nonAdminTokens(sim) {
			ids = append(ids, tok.ID)
		}
		if first == nil {
			first = ids
		}
		return sameElements("tokens in SolarNetwork", ids, first)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				// The plan after the apply reads a list made before it.
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(sameTokens, func(s *terraform.State) error {
					if len(first) != 2 {
						return fmt.Errorf("%d tokens, want 2", len(first))
					}
					many0 = s.RootModule().Resources["solarnetwork_security_token.many.0"].Primary.ID
					many1 = s.RootModule().Resources["solarnetwork_security_token.many.1"].Primary.ID
					return nil
				}),
			},
			{
				PreConfig:        func() { env.clock.Advance(5 * time.Minute) },
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(sameTokens, func(*terraform.State) error { // no duplicates
					for _, id := range first {
						if len(env.diags.matching("read", `Token `+id+` is missing from SolarNetwork's token list: .*absence counts from 2031-03-01T09:15:00Z`)) == 0 {
							return fmt.Errorf("no warning about unlisted token %s:%s", id, env.diags)
						}
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					sim.DeleteToken(many0)
					env.clock.Advance(11 * time.Minute) // the lists catch up; the window has passed
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("solarnetwork_security_token.many[0]", plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					toks := nonAdminTokens(sim)
					if len(toks) != 2 || (toks[0].ID != many1 && toks[1].ID != many1) || toks[0].ID == many0 || toks[1].ID == many0 {
						return fmt.Errorf("tokens %+v, want %s and one new", toks, many1)
					}
					return nil
				},
			},
		},
	})
}
