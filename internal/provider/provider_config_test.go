package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Provider configuration errors name the attribute and the environment
// variable, and never echo the secret.
func TestAccProvider_configErrors(t *testing.T) {
	sim := testAccSimulator(t)
	t.Setenv(envToken, "")
	t.Setenv(envSecret, "")
	t.Setenv(envURL, "")
	t.Setenv(envProfile, "")
	t.Setenv("HOME", t.TempDir()) // no s10k default profile
	id, secret := sim.AdminCredentials()
	resourceBlock := `
resource "solarnetwork_security_token" "test" {
  type = "User"
}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      `provider "solarnetwork" { url = "` + sim.URL() + `" }` + resourceBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Missing SolarNetwork credentials.*"token".*SOLARNETWORK_TOKEN.*"secret".*SOLARNETWORK_SECRET`),
			},
			{
				Config: `provider "solarnetwork" {
  url    = "http://solarnetwork.example.com"
  token  = "` + id + `"
  secret = "` + secret + `"
}` + resourceBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid SolarNetwork URL.*plain http, which is allowed only for\s+loopback hosts`),
			},
			{
				// Credentials from the environment.
				PreConfig: func() {
					t.Setenv(envURL, sim.URL())
					t.Setenv(envToken, id)
					t.Setenv(envSecret, secret)
				},
				Config:             `provider "solarnetwork" {}` + resourceBlock,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// A wrong secret is refused with advice, and is not echoed.
				Config: `provider "solarnetwork" {
  secret = "not-the-secret-at-all"
}
data "solarnetwork_security_tokens" "all" {}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)HTTP 403: Bad\s+credentials.*the\s+secret\s+is\s+wrong`),
			},
			{
				Config:      `provider "solarnetwork" { request_timeout = "500ms" }` + resourceBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)request_timeout.*"500ms" is not a duration such as "30s", "30m" or\s+"12h", from 1s to 1h`),
			},
		},
	})
}
