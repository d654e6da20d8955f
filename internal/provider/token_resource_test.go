package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

const tokenAddr = "solarnetwork_security_token.test"

func equalStrings(what string, got, want []string) error {
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s %q, want %q", what, got, want)
	}
	return nil
}

// The three examples of the s10k sec-tokens update manual, as configurations.
func TestAccSecurityToken_manualExamples(t *testing.T) {
	sim := testAccSimulator(t)
	start := `
resource "solarnetwork_security_token" "test" {
  type        = "User"
  name        = "Reporting: region 1"
  description = "Allow access to region 1 for reporting team."
  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
    refresh_allowed = true
  }
}`
	// s10k sec-tokens update --node-id 107,164 --source-id '/REGION2/**'
	merge := `
resource "solarnetwork_security_token" "test" {
  type          = "User"
  name          = "Reporting: region 1"
  description   = "Allow access to region 1 for reporting team."
  policy_update = "merge"
  policy {
    node_ids   = [107, 164]
    source_ids = ["/REGION2/**"]
  }
}`
	// ... --replace
	replace := `
resource "solarnetwork_security_token" "test" {
  type          = "User"
  name          = "Reporting: region 1"
  description   = "Allow access to region 1 for reporting team."
  policy_update = "replace"
  policy {
    node_ids   = [107, 164]
    source_ids = ["/REGION2/**"]
  }
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           providerConfig(sim) + start,
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				PreConfig: sim.ResetRequests,
				Config:    providerConfig(sim) + merge,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
						// The plan already shows the merged policy.
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(100), knownvalue.Int64Exact(101), knownvalue.Int64Exact(107), knownvalue.Int64Exact(164)})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					simToken(sim, func(tok simulator.Token) error {
						if err := equalInt64s(tok.Policy.NodeIDs, []int64{100, 101, 107, 164}); err != nil {
							return err
						}
						if err := equalStrings("source ids", tok.Policy.SourceIDs, []string{"/REGION1/**", "/REGION2/**"}); err != nil {
							return err
						}
						if tok.Policy.MinAggregation != "Hour" || tok.Policy.RefreshAllowed == nil || !*tok.Policy.RefreshAllowed {
							return fmt.Errorf("merge lost restrictions: %+v", tok.Policy)
						}
						return nil
					}),
					func(*terraform.State) error {
						// Pure additions go out as a merge.
						if n := sim.Count("PATCH", "/policy"); n != 1 {
							return fmt.Errorf("%d PATCH /policy requests, want 1", n)
						}
						if n := sim.Count("PUT", "/policy"); n != 0 {
							return fmt.Errorf("%d PUT /policy requests, want 0", n)
						}
						return nil
					},
				),
			},
			{
				Config:           providerConfig(sim) + replace,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if err := equalInt64s(tok.Policy.NodeIDs, []int64{107, 164}); err != nil {
						return err
					}
					if err := equalStrings("source ids", tok.Policy.SourceIDs, []string{"/REGION2/**"}); err != nil {
						return err
					}
					if tok.Policy.MinAggregation != "" || tok.Policy.RefreshAllowed != nil {
						return fmt.Errorf("replace kept old restrictions: %+v", tok.Policy)
					}
					if tok.Name != "Reporting: region 1" || tok.Description != "Allow access to region 1 for reporting team." {
						return fmt.Errorf("name/description %q/%q", tok.Name, tok.Description)
					}
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("min_aggregation"), knownvalue.Null()),
				},
			},
		},
	})
}

// The manual's first example: set name and description of a data token.
func TestAccSecurityToken_nameDescription(t *testing.T) {
	sim := testAccSimulator(t)
	cfg := func(extra string) string {
		return providerConfig(sim) + `
resource "solarnetwork_security_token" "test" {
  type = "ReadNodeData"
  ` + extra + `
}`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           cfg(""),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("secret"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-Za-z._-]{24,31}$`))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-Za-z._-]{20}$`))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("created"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`))),
				},
			},
			{
				Config:           cfg(`name = "Student access"` + "\n" + `description = "Allow access to school system data."`),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Name != "Student access" || tok.Description != "Allow access to school system data." {
						return fmt.Errorf("name/description %q/%q", tok.Name, tok.Description)
					}
					return nil
				}),
			},
			{
				// Lengths count characters, as SolarNetwork's columns do, not bytes.
				Config:           cfg(`name = "` + strings.Repeat("é", 128) + `"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Name != strings.Repeat("é", 128) {
						return fmt.Errorf("name %q", tok.Name)
					}
					return nil
				}),
			},
			{
				// Clearing the description keeps the name: /info always gets both.
				Config:           cfg(`name = "Student access"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Name != "Student access" || tok.Description != "" {
						return fmt.Errorf("name/description %q/%q", tok.Name, tok.Description)
					}
					return nil
				}),
			},
			{
				Config:           cfg(""),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Name != "" || tok.Description != "" {
						return fmt.Errorf("name/description %q/%q not cleared", tok.Name, tok.Description)
					}
					return nil
				}),
			},
		},
	})
}
