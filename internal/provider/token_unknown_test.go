package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Every configurable attribute accepts a value known only after apply:
// the plan shows what depends on it as unknown, apply converges, and the
// next plan is empty. Each case is one token whose attribute takes its
// value from a terraform_data output.
func TestAccSecurityToken_valuesKnownOnlyAfterApply(t *testing.T) {
	sim := testAccSimulator(t)
	cases := []struct {
		name, input, body string
		// attr and want check the applied state.
		attr, want string
	}{
		{"node_ids element", `42`, `type = "ReadNodeData"` + "\n" + `policy { node_ids = [V] }`, "effective_policy.node_ids.0", "42"},
		{"source_ids element", `"/a/**"`, `type = "ReadNodeData"` + "\n" + `policy { source_ids = [V, "/b/**"] }`, "effective_policy.source_ids.#", "2"},
		{"source_ids whole", `["/a/**"]`, `type = "ReadNodeData"` + "\n" + `policy { source_ids = V }`, "effective_policy.source_ids.0", "/a/**"},
		{"min_aggregation", `"Hour"`, `type = "ReadNodeData"` + "\n" + `policy { min_aggregation = V }`, "effective_policy.min_aggregation", "Hour"},
		{"aggregations", `"Day"`, `type = "ReadNodeData"` + "\n" + `policy { aggregations = [V] }`, "effective_policy.aggregations.0", "Day"},
		{"min_location_precision", `"Block"`, `type = "ReadNodeData"` + "\n" + `policy { min_location_precision = V }`, "effective_policy.min_location_precision", "Block"},
		{"location_precisions", `"Region"`, `type = "ReadNodeData"` + "\n" + `policy { location_precisions = [V] }`, "effective_policy.location_precisions.0", "Region"},
		{"node_metadata_paths", `"/pm/**"`, `type = "ReadNodeData"` + "\n" + `policy { node_metadata_paths = [V] }`, "effective_policy.node_metadata_paths.0", "/pm/**"},
		{"user_metadata_paths", `"/m/public/*"`, `type = "ReadNodeData"` + "\n" + `policy { user_metadata_paths = [V] }`, "effective_policy.user_metadata_paths.0", "/m/public/*"},
		{"api_paths", `"/datum/**"`, `type = "ReadNodeData"` + "\n" + `policy { api_paths = [V] }`, "effective_policy.api_paths.0", "/datum/**"},
		{"refresh_allowed", `true`, `type = "ReadNodeData"` + "\n" + `policy { refresh_allowed = V }`, "effective_policy.refresh_allowed", "true"},
		{"expiration_date", `"2031-01-01"`, `type = "ReadNodeData"` + "\n" + `expiration_date = V`, "expires_at", "2031-01-01T00:00:00Z"},
		{"time_zone", `"Pacific/Auckland"`, `type = "ReadNodeData"` + "\n" + `expiration_date = "2031-01-01"` + "\n" + `time_zone = V`, "expires_at", "2030-12-31T11:00:00Z"},
		{"name", `"From elsewhere"`, `type = "ReadNodeData"` + "\n" + `name = V`, "name", "From elsewhere"},
		{"description", `"Known later"`, `type = "ReadNodeData"` + "\n" + `description = V`, "description", "Known later"},
		{"status", `"Disabled"`, `type = "ReadNodeData"` + "\n" + `status = V`, "status", "Disabled"},
		{"policy_update", `"merge"`, `type = "ReadNodeData"` + "\n" + `policy_update = V` + "\n" + `policy { node_ids = [1] }`, "effective_policy.node_ids.0", "1"},
		{"type", `"User"`, `type = V`, "type", "User"},
	}
	var cfg strings.Builder
	cfg.WriteString(providerConfig(sim))
	var checks []resource.TestCheckFunc
	var unknownChecks []plancheck.PlanCheck
	for i, c := range cases {
		v := fmt.Sprintf("terraform_data.v%d.output", i)
		addr := fmt.Sprintf("solarnetwork_security_token.t%d", i)
		fmt.Fprintf(&cfg, "resource \"terraform_data\" \"v%d\" {\n  input = %s\n}\n", i, c.input)
		fmt.Fprintf(&cfg, "# %s\nresource \"solarnetwork_security_token\" \"t%d\" {\n%s\n}\n", c.name, i, strings.ReplaceAll(c.body, "V", v))
		checks = append(checks, resource.TestCheckResourceAttr(addr, c.attr, c.want))
		unknownChecks = append(unknownChecks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate))
		// What the unknown value decides is unknown in the plan too.
		switch {
		case strings.Contains(c.body, "policy"):
			unknownChecks = append(unknownChecks, plancheck.ExpectUnknownValue(addr, tfjsonpath.New("effective_policy")))
		case strings.Contains(c.body, "expiration_date"):
			unknownChecks = append(unknownChecks, plancheck.ExpectUnknownValue(addr, tfjsonpath.New("expires_at")))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             unknownChecks,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(append(checks, func(*terraform.State) error {
				if n := len(nonAdminTokens(sim)); n != len(cases) {
					return fmt.Errorf("%d tokens, want %d", n, len(cases))
				}
				return nil
			})...),
		}},
	})
}
