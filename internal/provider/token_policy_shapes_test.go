package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// In merge mode an expiry set elsewhere is kept while Terraform configures
// none, overridden when it configures one, and cleared when Terraform drops
// the one it set.
func TestAccSecurityToken_mergeExpiry(t *testing.T) {
	sim := testAccSimulator(t)
	rec := &idRecorder{}
	cfg := func(extra string) string {
		return tokenConfig(sim, `
  type          = "ReadNodeData"
  policy_update = "merge"
  policy { source_ids = ["/a/**"] }
`+extra)
	}
	elsewhere := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg(""), ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
			{
				PreConfig: func() { mustEdit(t, sim.MergePolicy(rec.id, &simulator.Policy{NotAfter: &elsewhere})) },
				Config:    cfg(""),
				PlanOnly:  true, // kept: not Terraform's
			},
			{
				Config:           cfg(""),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2031-01-02T03:04:05Z")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expiration_date"), knownvalue.Null()),
				},
			},
			{
				Config:           cfg(`expiration_date = "2032-01-01"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2032-01-01T00:00:00Z")),
				},
			},
			{
				Config: cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.Null())},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Policy.NotAfter != nil {
						return fmt.Errorf("expiry %v not cleared", tok.Policy.NotAfter)
					}
					return sameElements("sources", tok.Policy.SourceIDs, []string{"/a/**"})
				}),
			},
		},
	})
}

// An empty policy block, refresh_allowed = false and values known only
// after apply all converge to an empty plan.
func TestAccSecurityToken_policyShapes(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy {}`),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy"), knownvalue.Null()),
				},
			},
			{
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy { refresh_allowed = false }`),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Policy == nil || tok.Policy.RefreshAllowed == nil || *tok.Policy.RefreshAllowed {
						return fmt.Errorf("refreshAllowed not false: %+v", tok.Policy)
					}
					return nil
				}),
			},
			{
				Config: providerConfig(sim) + `
resource "terraform_data" "node" {
  input = 42
}
resource "solarnetwork_security_token" "test" {
  type   = "ReadNodeData"
  policy { node_ids = [terraform_data.node.output] }
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("effective_policy")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					return equalInt64s(tok.Policy.NodeIDs, []int64{42})
				}),
			},
		},
	})
}
