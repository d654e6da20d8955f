package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Every class of bad input fails at plan time, names the attribute, and
// sends no request to SolarNetwork.
func TestAccSecurityToken_badInputFailsAtPlan(t *testing.T) {
	sim := testAccSimulator(t)
	cases := []struct {
		name, body, want string
	}{
		{"type", `type = "Admin"`, `(?s)Attribute type value must be one of.*"User"`},
		{"status", `type = "User"` + "\n" + `status = "Enabled"`, `(?s)Attribute status value must be one of.*"Disabled"`},
		{"name too long", `type = "User"` + "\n" + fmt.Sprintf("name = %q", strings.Repeat("n", 129)), `(?s)Attribute name UTF-8 character count must be at most 128, got: 129`},
		{"blank name", `type = "User"` + "\n" + `name = "  "`, `(?s)name.*Remove the attribute`},
		{"date", `type = "User"` + "\n" + `expiration_date = "30/10/2027"`, `(?s)expiration_date.*is not a valid date`},
		{"zone", `type = "User"` + "\n" + `expiration_date = "2027-10-30"` + "\n" + `time_zone = "Mars/Olympus"`, `(?s)time_zone.*not a known time zone`},
		{"zone without date", `type = "User"` + "\n" + `time_zone = "UTC"`, `(?s)time_zone.*expiration_date`},
		{"node id", `type = "ReadNodeData"` + "\n" + `policy { node_ids = [0] }`, `(?s)Invalid node ID in policy.node_ids.*0 is not a node ID: a whole number from 1`},
		{"fractional node id", `type = "ReadNodeData"` + "\n" + `policy { node_ids = [1, 1.5] }`, `(?s)Invalid node ID in policy.node_ids.*1.5 is not a node ID`},
		{"node id beyond 64 bits", `type = "ReadNodeData"` + "\n" + `policy { node_ids = [9223372036854775808] }`,
			`(?s)Invalid node ID in policy.node_ids.*9223372036854775808 is not a node ID`},
		{"huge node id", `type = "ReadNodeData"` + "\n" + `policy { node_ids = [1e30] }`, `(?s)Invalid node ID in policy.node_ids.*1000000000000000000000000000000 is not a\s+node ID`},
		{"empty set", `type = "ReadNodeData"` + "\n" + `policy { source_ids = [] }`, `(?s)policy.source_ids.*at least 1`},
		{"min aggregation", `type = "ReadNodeData"` + "\n" + `policy { min_aggregation = "hour" }`, `(?s)policy.min_aggregation.*"Hour"`},
		{"aggregation", `type = "ReadNodeData"` + "\n" + `policy { aggregations = ["Daily"] }`, `(?s)policy.aggregations.*"Day"`},
		{"location precision", `type = "ReadNodeData"` + "\n" + `policy { min_location_precision = "City" }`, `(?s)policy.min_location_precision.*"PostalCode"`},
		{"location precisions", `type = "ReadNodeData"` + "\n" + `policy { location_precisions = ["City"] }`, `(?s)policy.location_precisions.*"Locality"`},
		{"min and list", `type = "ReadNodeData"` + "\n" + "policy {\n  min_aggregation = \"Hour\"\n  aggregations = [\"Day\"]\n}", `(?s)"policy.aggregations" cannot be specified when\s+"policy.min_aggregation"`},
		{"source pattern", `type = "ReadNodeData"` + "\n" + `policy { source_ids = ["/a//b"] }`, `(?s)policy.source_ids.*empty path segment`},
		{"node metadata path", `type = "ReadNodeData"` + "\n" + `policy { node_metadata_paths = ["pm/public"] }`, `(?s)policy.node_metadata_paths.*"pm/public" must start with "/": write\s+"/pm/public"`},
		{"empty zone", `type = "User"` + "\n" + `expiration_date = "2027-10-30"` + "\n" + `time_zone = ""`, `(?s)time_zone.*An empty time_zone would silently mean UTC`},
		{"user metadata path", `type = "ReadNodeData"` + "\n" + `policy { user_metadata_paths = ["/m/"] }`, `(?s)policy.user_metadata_paths.*ends with "/"`},
		{"api path", `type = "User"` + "\n" + `policy { api_paths = ["user/auth-tokens"] }`, `(?s)policy.api_paths.*must start with "/" or "!/"`},
		// A misspelled policy argument must never make a less restricted token.
		{"misspelled policy argument", `type = "ReadNodeData"` + "\n" + `policy { node_id = [1] }`, `(?s)Unsupported argument.*"node_id" is not expected here`},
		{"policy as an attribute", `type = "ReadNodeData"` + "\n" + `policy = { node_ids = [1] }`, `(?s)Unsupported argument.*"policy" is not expected here`},
		{"policy update", `type = "User"` + "\n" + `policy_update = "append"`, `(?s)policy_update value must be one of`},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      tokenConfig(sim, c.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    steps,
	})
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("bad input sent %d requests to SolarNetwork, want none", n)
	}
}

// A User token with data restrictions is allowed but warned about.
func TestAccSecurityToken_userTokenDataRestrictionWarns(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			Config:           tokenConfig(sim, `type = "User"`+"\n"+`policy { node_ids = [5] }`),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            resource.TestCheckResourceAttr(tokenAddr, "effective_policy.node_ids.#", "1"),
		}},
	})
}

var _ terraform.State
