package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// max_retries reaches the client: a gateway error on the shared list is
// retried by default and surfaces with max_retries = 0.
func TestAccProvider_maxRetries(t *testing.T) {
	sim := testAccSimulator(t)
	id, secret := sim.AdminCredentials()
	cfg := func(retries string) string {
		return fmt.Sprintf(`
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
  %s
}
data "solarnetwork_security_tokens" "all" {}
`, sim.URL(), id, secret, retries)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.ResetRequests()
					sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 503})
				},
				Config: cfg(""),
				Check: func(*terraform.State) error {
					if n := sim.Count("GET", "/auth-tokens"); n < 2 {
						return fmt.Errorf("%d list requests, want the 503 retried", n)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 503})
				},
				Config:      cfg("max_retries = 0"),
				ExpectError: regexp.MustCompile(`HTTP 503`),
			},
		},
	})
}
