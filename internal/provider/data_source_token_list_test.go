package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// expectTokenIDs checks that a solarnetwork_security_tokens data source
// lists exactly these tokens, in this order.
func expectTokenIDs(name string, ids ...string) statecheck.StateCheck {
	items := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		items[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	return statecheck.ExpectKnownValue("data.solarnetwork_security_tokens."+name, tfjsonpath.New("tokens"), knownvalue.ListExact(items))
}

func TestAccSecurityTokensDataSource(t *testing.T) {
	sim := testAccSimulator(t)
	admin, _ := sim.AdminCredentials()
	// Tokens made out of band: two data tokens, two User tokens, one of
	// each Disabled.
	data := sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{NodeIDs: []int64{7}, SourceIDs: []string{"/a/**"}})
	user := sim.CreateToken(simulator.TypeUser, nil)
	dataOff := sim.CreateToken(simulator.TypeReadNodeData, nil)
	userOff := sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/user/import/**"}})
	for _, id := range []string{dataOff.ID, userOff.ID} {
		if err := sim.SetStatus(id, simulator.StatusDisabled); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.SetInfo(data.ID, "Data", "Reads /a"); err != nil {
		t.Fatal(err)
	}
	data, _ = sim.Token(data.ID)
	// The expected order is the simulator's: created, then id.
	var all []string
	for _, tok := range sim.Tokens() {
		all = append(all, tok.ID)
	}
	pick := func(want ...string) []string {
		set := map[string]bool{}
		for _, id := range want {
			set[id] = true
		}
		var out []string
		for _, id := range all {
			if set[id] {
				out = append(out, id)
			}
		}
		return out
	}

	config := providerConfig(sim) + fmt.Sprintf(`
data "solarnetwork_security_tokens" "all" {}

data "solarnetwork_security_tokens" "ids" {
  ids = [%[3]q, %[1]q, "NoSuchToken000000000"]
}

data "solarnetwork_security_tokens" "user" {
  type = "User"
}

data "solarnetwork_security_tokens" "disabled" {
  status = "Disabled"
}

data "solarnetwork_security_tokens" "combined" {
  ids    = [%[1]q, %[2]q, %[3]q, %[4]q]
  type   = "ReadNodeData"
  status = "Active"
}

data "solarnetwork_security_tokens" "none" {
  ids    = [%[1]q]
  status = "Disabled"
}

data "solarnetwork_security_tokens" "empty_ids" {
  ids = []
}

data "solarnetwork_security_token" "one" {
  id = %[2]q
}
`, data.ID, user.ID, dataOff.ID, userOff.ID)

	const (
		typeErr   = `type\s+value\s+must\s+be\s+one\s+of:\s+\["User"\s+"ReadNodeData"\],\s+got:\s+"Admin"`
		statusErr = `status\s+value\s+must\s+be\s+one\s+of:\s+\["Active"\s+"Disabled"\],\s+got:\s+"Enabled"`
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(sim) + `
data "solarnetwork_security_tokens" "test" {
  type   = "Admin"
  status = "Enabled"
}`,
				// Both values are refused at plan time, listing the valid ones.
				ExpectError: regexp.MustCompile(`(?s)` + typeErr + `.*` + statusErr + `|` + statusErr + `.*` + typeErr),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectTokenIDs("all", all...), // the provider's own token included
					expectTokenIDs("ids", pick(data.ID, dataOff.ID)...),
					expectTokenIDs("user", pick(admin, user.ID, userOff.ID)...),
					expectTokenIDs("disabled", pick(dataOff.ID, userOff.ID)...),
					expectTokenIDs("combined", data.ID),
					expectTokenIDs("none"),
					expectTokenIDs("empty_ids"),
					// Every attribute of an item, and nothing more (no secret).
					statecheck.ExpectKnownValue("data.solarnetwork_security_tokens.combined", tfjsonpath.New("tokens").AtSliceIndex(0),
						knownvalue.ObjectExact(tokenDataChecks(data, knownvalue.Null(), knownvalue.Bool(false),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"node_ids":               knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(7)}),
								"source_ids":             knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/a/**")}),
								"min_aggregation":        knownvalue.Null(),
								"aggregations":           knownvalue.Null(),
								"min_location_precision": knownvalue.Null(),
								"location_precisions":    knownvalue.Null(),
								"node_metadata_paths":    knownvalue.Null(),
								"user_metadata_paths":    knownvalue.Null(),
								"api_paths":              knownvalue.Null(),
								"refresh_allowed":        knownvalue.Null(),
							})))),
					statecheck.ExpectKnownValue("data.solarnetwork_security_tokens.disabled", tfjsonpath.New("tokens").AtSliceIndex(1).AtMapKey("policy").AtMapKey("api_paths"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/user/import/**")})),
					statecheck.ExpectKnownValue("data.solarnetwork_security_tokens.disabled", tfjsonpath.New("tokens").AtSliceIndex(1).AtMapKey("status"),
						knownvalue.StringExact("Disabled")),
				},
				Check: noSecretsInState(sim),
			},
			{
				// Eight data sources reading up to all five tokens cost one
				// list request and no /find. When Check runs, the harness has
				// run one plan (saved) and applied it: data sources are read
				// in that plan only, by one configured provider, so through
				// one TokenStore. The plans after Check do not count.
				PreConfig: sim.ResetRequests,
				Config:    config,
				Check: func(*terraform.State) error {
					if n := sim.Count("GET", "/auth-tokens"); n != 1 {
						return fmt.Errorf("%d list requests, want 1", n)
					}
					if n := sim.Count("", "/find"); n != 0 {
						return fmt.Errorf("%d /find requests, want 0", n)
					}
					if n := len(sim.Requests()); n != 1 {
						return fmt.Errorf("%d requests, want only the list: %+v", n, sim.Requests())
					}
					return nil
				},
			},
		},
	})
}
