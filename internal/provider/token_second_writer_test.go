package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// betweenPlanAndApply runs edit after the plan is saved and before it is
// applied, as another writer would while a saved plan (plan -out) waits or
// while an interactive apply waits for approval.
type betweenPlanAndApply func()

func (f betweenPlanAndApply) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}

// Merge mode, another writer between plan and apply: nothing is written,
// the other writer's restriction survives, the error says to plan again,
// and the next plan and apply converge without dropping it.
func TestAccSecurityToken_mergeSecondWriterBetweenPlanAndApply(t *testing.T) {
	for name, next := range map[string]string{
		"planned addition": "1, 2, 3",
		"planned removal":  "1",
	} {
		t.Run(name, func(t *testing.T) {
			sim := testAccSimulator(t)
			rec := &idRecorder{}
			cfg := func(nodes string) string {
				return tokenConfig(sim, `
  type          = "ReadNodeData"
  policy_update = "merge"
  policy {
    node_ids = [`+nodes+`]
  }`)
			}
			otherWriter := betweenPlanAndApply(func() {
				mustEdit(t, sim.MergePolicy(rec.id, &simulator.Policy{SourceIDs: []string{"/theirs/**"}}))
			})
			keepsTheirs := simToken(sim, func(tok simulator.Token) error {
				if tok.Policy == nil || !slices.Contains(tok.Policy.SourceIDs, "/theirs/**") {
					return fmt.Errorf("the other writer's restriction was dropped: %+v", tok.Policy)
				}
				return nil
			})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             checkDestroyed(sim),
				Steps: []resource.TestStep{
					{Config: cfg("1, 2"), ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
					{
						Config:           cfg(next),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{otherWriter}},
						ExpectError:      regexp.MustCompile(`(?s)changed since the plan was made.*plan again`),
					},
					{
						// Nothing was written: the token still has what the first apply
						// made plus the other writer's restriction.
						PreConfig: func() {
							tok, _ := sim.Token(rec.id)
							if tok.Policy == nil || !slices.Equal(tok.Policy.NodeIDs, []int64{1, 2}) || !slices.Contains(tok.Policy.SourceIDs, "/theirs/**") {
								t.Errorf("after the refused apply the policy is %+v", tok.Policy)
							}
						},
						Config:           cfg(next),
						ConfigPlanChecks: emptyPlanAfterApply,
						Check:            keepsTheirs,
					},
				},
			})
		})
	}
}
