package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The account's nodes, active and archived, feed a policy: a token for
// every active node, made without typing one node ID.
func TestAccNodesDataSource(t *testing.T) {
	sim := testAccSimulatorWith(t, simulator.Options{NodeIDs: []int64{5, 3}, ArchivedNodeIDs: []int64{9}})
	node := func(id int64, archived bool) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(id), "name": knownvalue.Null(), "description": knownvalue.Null(),
			"created": knownvalue.NotNull(), "private": knownvalue.Bool(false), "archived": knownvalue.Bool(archived),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerConfig(sim) + `
data "solarnetwork_nodes" "all" {}

resource "solarnetwork_security_token" "fleet" {
  type = "ReadNodeData"
  policy {
    node_ids        = data.solarnetwork_nodes.all.ids
    refresh_allowed = false
  }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.solarnetwork_nodes.all", tfjsonpath.New("nodes"),
					knownvalue.ListExact([]knownvalue.Check{node(3, false), node(5, false), node(9, true)})),
				statecheck.ExpectKnownValue("data.solarnetwork_nodes.all", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(3), knownvalue.Int64Exact(5)})),
				statecheck.ExpectKnownValue("data.solarnetwork_nodes.all", tfjsonpath.New("archived_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(9)})),
				statecheck.ExpectKnownValue("solarnetwork_security_token.fleet", tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(3), knownvalue.Int64Exact(5)})),
			},
		}},
	})
}
