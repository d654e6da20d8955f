package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// A token made by hand (as with s10k) adopted with `terraform import`: the
// matching configuration then plans no change, and the secret is null.
func TestAccSecurityToken_importCommand(t *testing.T) {
	sim := testAccSimulator(t)
	refresh := true
	expiry := time.Date(2029, 10, 29, 11, 0, 0, 0, time.UTC)
	tok := sim.CreateToken("ReadNodeData", &simulator.Policy{
		NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: &refresh, NotAfter: &expiry,
	})
	mustEdit(t, sim.SetInfo(tok.ID, "Reporting: region 1", "Allow access to region 1 for reporting team."))
	cfg := tokenConfig(sim, `
  type            = "ReadNodeData"
  name            = "Reporting: region 1"
  description     = "Allow access to region 1 for reporting team."
  expiration_date = "2029-10-29T11:00:00Z"
  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
    refresh_allowed = true
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       tokenAddr,
				ImportState:        true,
				ImportStateId:      tok.ID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d states imported", len(states))
					}
					attrs := states[0].Attributes
					if _, hasSecret := attrs["secret"]; hasSecret && attrs["secret"] != "" {
						return fmt.Errorf("imported secret %q, want null", attrs["secret"])
					}
					if attrs["name"] != "Reporting: region 1" || attrs["policy.min_aggregation"] != "Hour" || attrs["expires_at"] != "2029-10-29T11:00:00Z" {
						return fmt.Errorf("imported %v", attrs)
					}
					return nil
				},
			},
			{
				// The matching configuration plans no change.
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

// The same with an import block (Terraform 1.5+ and OpenTofu).
func TestAccSecurityToken_importBlock(t *testing.T) {
	sim := testAccSimulator(t)
	tok := sim.CreateToken("User", &simulator.Policy{APIPaths: []string{"/user/import/**"}})
	cfg := tokenConfig(sim, `
  type = "User"
  policy {
    api_paths = ["/user/import/**"]
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config: cfg + fmt.Sprintf(`
import {
  to = solarnetwork_security_token.test
  id = %q
}`, tok.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Imported with no change: the config matches the token.
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("id"), knownvalue.StringExact(tok.ID)),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("policy_update"), knownvalue.StringExact("replace")),
				},
			},
		},
	})
}

// Import by resource identity (Terraform 1.12+, OpenTofu 1.12+), and the
// identity recorded for a token Terraform created.
func TestAccSecurityToken_importIdentity(t *testing.T) {
	sim := testAccSimulator(t)
	cfg := tokenConfig(sim, `
  type = "ReadNodeData"
  name = "By identity"
  policy {
    source_ids = ["/REGION1/**"]
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(tokenAddr, map[string]knownvalue.Check{
						"id": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-Za-z._-]{20}$`)),
					}),
					statecheck.ExpectIdentityValueMatchesState(tokenAddr, tfjsonpath.New("id")),
				},
			},
			{
				Config:          cfg,
				ResourceName:    tokenAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
