package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The provider's token, read by /find?identifiers=<it> (as s10k sec-tokens
// list -id does) and then restricted, lists itself alone from SolarNetwork's
// per-token cache, as it was before: unrestricted. Every managed token then
// seems deleted. The refresh reads the caller again where no cache answers,
// refuses the restricted credential, and the token stays in state; with the
// restriction lifted, the plan is empty again.
func TestAccSecurityToken_restrictedCallerBehindTheCache(t *testing.T) {
	sim := testAccSimulatorWith(t, simulator.Options{FindCacheTTL: 15 * time.Minute})
	admin, _ := sim.AdminCredentials()
	rec := &idRecorder{}
	// list_lag_window = "0s": a token the list lacks counts as deleted at once.
	cfg := providerConfig(sim) + `
resource "solarnetwork_security_token" "test" {
  type = "ReadNodeData"
}
`
	cfg = regexp.MustCompile(`(?m)^provider "solarnetwork" \{$`).ReplaceAllString(cfg, "provider \"solarnetwork\" {\n  list_lag_window = \"0s\"")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg, Check: rec.record},
			{
				PreConfig: func() {
					sim.ReadByIdentifier(admin)
					mustEdit(t, sim.SetPolicy(admin, &simulator.Policy{NodeIDs: []int64{1}}))
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`The provider's token is restricted`),
			},
			{
				PreConfig:        func() { mustEdit(t, sim.SetPolicy(admin, nil)) },
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources[tokenAddr].Primary.ID; got != rec.id {
						return fmt.Errorf("token %s replaced by %s", rec.id, got)
					}
					if n := len(nonAdminTokens(sim)); n != 1 {
						return fmt.Errorf("%d tokens, want 1: one was orphaned", n)
					}
					return nil
				},
			},
		},
	})
}
