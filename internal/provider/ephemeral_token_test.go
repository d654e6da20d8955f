package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The ephemeral token exists while the run needs it, works with its
// secret, and is deleted afterwards; nothing of it is left in state but
// what the test copies there on purpose through the echo provider.
func TestAccSecurityTokenEphemeral(t *testing.T) {
	sim := testAccSimulator(t)
	providers := map[string]func() (tfprotov6.ProviderServer, error){
		"solarnetwork": testAccProviders["solarnetwork"],
		"echo":         echoprovider.NewProviderServer(),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providers,
		// Ephemeral resources: Terraform 1.10+, OpenTofu 1.11+.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		CheckDestroy:           checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(sim) + `
ephemeral "solarnetwork_security_token" "run" {
  type       = "User"
  name       = "CI run"
  expires_in = "30m"
  policy { api_paths = ["/user/auth-tokens/**"] }
}

provider "echo" {
  data = ephemeral.solarnetwork_security_token.run
}

resource "echo" "token" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-Za-z._-]{20}$`))),
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("name"), knownvalue.StringExact("CI run")),
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("policy").AtMapKey("api_paths"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/user/auth-tokens/**")})),
				},
				Check: func(s *terraform.State) error {
					attrs := s.RootModule().Resources["echo.token"].Primary.Attributes
					id, secret := attrs["data.id"], attrs["data.secret"]
					// The token worked while it existed: it had this secret
					// and a 30 minute expiry. By now it must be gone.
					if _, found := sim.Token(id); found {
						return fmt.Errorf("ephemeral token %s still exists after the run", id)
					}
					for _, tok := range sim.Tokens() {
						if tok.Name == "CI run" {
							return fmt.Errorf("an ephemeral token %s was left behind", tok.ID)
						}
					}
					expires, err := time.Parse(time.RFC3339Nano, attrs["data.expires_at"])
					if err != nil || time.Until(expires) > 30*time.Minute || time.Until(expires) < 25*time.Minute {
						return fmt.Errorf("expires_at %q, want about 30 minutes from now", attrs["data.expires_at"])
					}
					if len(secret) < 24 {
						return fmt.Errorf("secret %q", secret)
					}
					if n, d := sim.Count("POST", "/generate/User"), sim.Count("DELETE", "/auth-tokens"); n == 0 || n != d {
						return fmt.Errorf("%d ephemeral tokens generated, %d deleted", n, d)
					}
					return nil
				},
			},
		},
	})
}

// expires_in is bounded at plan time.
func TestAccSecurityTokenEphemeral_bounds(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{{
			Config: providerConfig(sim) + `
ephemeral "solarnetwork_security_token" "run" {
  type       = "ReadNodeData"
  expires_in = "30s"
}`,
			ExpectError: regexp.MustCompile(`(?s)expires_in.*from 1m to 168h`),
		}},
	})
}
