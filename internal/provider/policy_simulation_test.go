package provider

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The function through the CLI: effective_policy passed as is, a literal
// policy with some attributes, SolarNetwork's "!" rule, errors naming the
// argument, and the documented example's postconditions.
func TestAccFunctionPolicyAllows(t *testing.T) {
	sim := testAccSimulator(t)
	example := readExample(t, filepath.Join("..", "..", "examples", "functions", "policy_allows"))
	denied := func(names ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(names))
		for i, n := range names {
			checks[i] = knownvalue.StringExact(n)
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"allowed": knownvalue.Bool(len(names) == 0), "denied_by": knownvalue.ListExact(checks),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config: `
output "or_ed" {
  value = provider::solarnetwork::policy_allows({ api_paths = ["/datum/**", "!/datum/list"] }, { api_path = "/datum/list" })
}
output "raised" {
  value = provider::solarnetwork::policy_allows({ min_aggregation = "Month", node_ids = [1] }, { aggregation = "Day", node_id = 2 })
}
output "empty_policy" {
  value = provider::solarnetwork::policy_allows({}, { node_id = 7, api_path = "/x" })
}
output "user_metadata" {
  value = provider::solarnetwork::policy_allows({ node_ids = [1] }, { user_metadata_path = "/m/a" })
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("or_ed", denied()),
					statecheck.ExpectKnownOutputValue("raised", denied("node_ids", "min_aggregation")),
					statecheck.ExpectKnownOutputValue("empty_policy", denied()),
					statecheck.ExpectKnownOutputValue("user_metadata", denied("user_metadata_paths")),
				},
			},
			{
				Config:      `output "x" { value = provider::solarnetwork::policy_allows({ node_id = [1] }, {}) }`,
				ExpectError: regexp.MustCompile(`policy\s+has\s+no\s+attribute\s+node_id`),
			},
			{
				Config:      `output "x" { value = provider::solarnetwork::policy_allows({}, { aggregation = "Daily" }) }`,
				ExpectError: regexp.MustCompile(`aggregation\s+"Daily"\s+is\s+not\s+one\s+of`),
			},
			{
				Config: providerConfig(sim) + example,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("raw_data_denied_by", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("min_aggregation")})),
				},
			},
			{
				// The postcondition fails a plan once the token reaches node 102.
				Config:      providerConfig(sim) + regexp.MustCompile(`node_ids\s+= \[100, 101\]`).ReplaceAllString(example, "node_ids = [100, 101, 102]"),
				ExpectError: regexp.MustCompile(`must not read node 102`),
			},
		},
	})
}

// The data source on every CLI: a literal policy, a token's policy by ID
// (with its type), and the documented example with its check block.
func TestAccDataSourcePolicySimulation(t *testing.T) {
	sim := testAccSimulator(t)
	example := readExample(t, filepath.Join("..", "..", "examples", "data-sources", "solarnetwork_policy_simulation"))
	result := func(allowed bool, deniedBy ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(deniedBy))
		for i, n := range deniedBy {
			checks[i] = knownvalue.StringExact(n)
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"allowed": knownvalue.Bool(allowed), "denied_by": knownvalue.ListExact(checks)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(sim) + example + `
resource "solarnetwork_security_token" "user" {
  type = "User"
  policy {
    node_ids = [1]
  }
}
data "solarnetwork_policy_simulation" "by_id" {
  token_id = solarnetwork_security_token.user.id
  requests = [{ user_metadata_path = "/m/a" }, { user_metadata_path = "/m/a", token_type = "ReadNodeData" }, { node_id = 2 }]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.solarnetwork_policy_simulation.dashboard", tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{
						result(true), result(false, "node_ids"), result(true)})),
					statecheck.ExpectKnownOutputValue("all_allowed", knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.solarnetwork_policy_simulation.by_id", tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{
						result(true), result(false, "user_metadata_paths"), result(false, "node_ids")})),
				},
			},
			{
				Config: providerConfig(sim) + `
data "solarnetwork_policy_simulation" "bad" {
  policy   = { min_aggregation = "Hour" }
  requests = [{ location_precision = "Street address" }]
}
`,
				ExpectError: regexp.MustCompile(`location_precision "Street address" is not one of`),
			},
		},
	})
}
