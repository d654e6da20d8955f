package provider

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// solarnetwork_caller reports the credential the provider signs with, from
// one whoami request, and a check block can hold a workspace to its token.
func TestAccCallerDataSource(t *testing.T) {
	sim := testAccSimulator(t)
	id, _ := sim.AdminCredentials()
	admin, ok := sim.Token(id)
	if !ok {
		t.Fatal("no admin token")
	}
	check := func(expected string) string {
		return providerConfig(sim) + `
data "solarnetwork_caller" "me" {}
check "ci_token" {
  assert {
    condition     = data.solarnetwork_caller.me.token_id == "` + expected + `"
    error_message = "runs as ${data.solarnetwork_caller.me.token_id}"
  }
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: check(id),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.solarnetwork_caller.me", "token_id", id),
					resource.TestCheckResourceAttr("data.solarnetwork_caller.me", "type", "User"),
					resource.TestCheckResourceAttr("data.solarnetwork_caller.me", "user_id", strconv.FormatInt(admin.UserID, 10)),
					func(*terraform.State) error {
						if n := sim.Count(http.MethodGet, "/solaruser/api/v1/sec/whoami"); n < 1 {
							t.Errorf("whoami requests = %d", n)
						}
						return nil
					},
				),
			},
			{
				// A postcondition stops the run where a check block only warns.
				Config: providerConfig(sim) + `
data "solarnetwork_caller" "me" {
  lifecycle {
    postcondition {
      condition     = self.token_id == "AnotherTokenId000000"
      error_message = "runs as ${self.token_id}"
    }
  }
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)runs as ` + regexp.QuoteMeta(id)),
			},
		},
	})
}
