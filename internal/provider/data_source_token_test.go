package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// wrappedText matches text in CLI output, where diagnostics are word-wrapped.
func wrappedText(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// expectDataToken checks every attribute of a solarnetwork_security_token
// data source, one by one (the root of a resource cannot be matched whole).
func expectDataToken(addr string, checks map[string]knownvalue.Check) []statecheck.StateCheck {
	out := make([]statecheck.StateCheck, 0, len(checks))
	for name, c := range checks {
		out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), c))
	}
	return out
}

func TestAccSecurityTokenDataSource(t *testing.T) {
	sim := testAccSimulator(t)
	admin, _ := sim.AdminCredentials()
	notAfter := time.Date(2027, 10, 29, 23, 45, 0, 0, time.UTC)
	refresh := true
	// Made out of band, like s10k sec-tokens create -t ReadNodeData -node 101,100
	// -source '/REGION1/**' -agg Hour -exp 2027-10-30T12:45 -tz Pacific/Auckland -r
	tok := sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{
		NodeIDs:        []int64{101, 100},
		SourceIDs:      []string{"/REGION1/**"},
		MinAggregation: "Hour",
		NotAfter:       &notAfter,
		RefreshAllowed: &refresh,
	})
	if err := sim.SetInfo(tok.ID, "Reporting: region 1", "Allow access to region 1 for reporting team."); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	old := sim.CreateToken(simulator.TypeUser, &simulator.Policy{NotAfter: &past})

	config := providerConfig(sim) + fmt.Sprintf(`
data "solarnetwork_security_token" "test" {
  id = %q
}

data "solarnetwork_security_token" "admin" {
  id = %q
}

data "solarnetwork_security_token" "old" {
  id = %q
}
`, tok.ID, admin, old.ID)

	const addr = "data.solarnetwork_security_token.test"
	policy := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"node_ids":               knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(100), knownvalue.Int64Exact(101)}),
		"source_ids":             knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/REGION1/**")}),
		"min_aggregation":        knownvalue.StringExact("Hour"),
		"aggregations":           knownvalue.Null(),
		"min_location_precision": knownvalue.Null(),
		"location_precisions":    knownvalue.Null(),
		"node_metadata_paths":    knownvalue.Null(),
		"user_metadata_paths":    knownvalue.Null(),
		"api_paths":              knownvalue.Null(),
		"refresh_allowed":        knownvalue.Bool(true),
	})
	read := func() []statecheck.StateCheck {
		cur, _ := sim.Token(tok.ID) // with name and description
		adminTok, _ := sim.Token(admin)
		checks := expectDataToken(addr, tokenDataChecks(cur, knownvalue.StringExact("2027-10-29T23:45:00Z"), knownvalue.Bool(false), policy))
		checks = append(checks, expectDataToken("data.solarnetwork_security_token.admin",
			tokenDataChecks(adminTok, knownvalue.Null(), knownvalue.Bool(false), knownvalue.Null()))...)
		// An expiry alone is no restriction: the policy is null.
		return append(checks, expectDataToken("data.solarnetwork_security_token.old",
			tokenDataChecks(old, knownvalue.StringExact("2020-01-02T03:04:05Z"), knownvalue.Bool(true), knownvalue.Null()))...)
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(sim) + `
data "solarnetwork_security_token" "test" {
  id = "NoSuchToken000000000"
}`,
				ExpectError: wrappedText("no security token with ID NoSuchToken000000000 in this SolarNetwork account"),
			},
			{
				Config:            config,
				ConfigStateChecks: read(),
				Check: resource.ComposeTestCheckFunc(
					noSecretsInState(sim),
					resource.TestCheckNoResourceAttr(addr, "secret"),
				),
			},
			{
				// Changes made elsewhere show at the next read.
				PreConfig: func() {
					if err := sim.SetStatus(tok.ID, simulator.StatusDisabled); err != nil {
						t.Fatal(err)
					}
					if err := sim.SetInfo(tok.ID, "Renamed", ""); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Disabled")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Renamed")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
				},
			},
		},
	})
}
