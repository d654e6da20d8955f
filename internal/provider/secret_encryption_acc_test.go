package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/ssh"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// decryptsWith checks that the test token's secret is null in state and its
// encrypted_secret opens with identity to the secret SolarNetwork holds.
func decryptsWith(sim *simulator.Simulator, identity string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[tokenAddr]
		if !ok {
			return fmt.Errorf("%s not in state", tokenAddr)
		}
		if v := rs.Primary.Attributes["secret"]; v != "" {
			return fmt.Errorf("state holds the secret in plain text")
		}
		tok, ok := sim.Token(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("token %s is not in SolarNetwork", rs.Primary.ID)
		}
		got, diags := openTokenSecret(rs.Primary.Attributes["encrypted_secret"], identity)
		if diags.HasError() || got != tok.Secret {
			return fmt.Errorf("encrypted_secret of token %s opens to %q (%v), SolarNetwork holds %q", tok.ID, got, diags, tok.Secret)
		}
		return nil
	}
}

// A token made with recipients: the same keys spelled otherwise change
// nothing but state; other recipients replace it, with a warning that says
// why; a rotation encrypts the new token to the same recipients.
func TestAccSecretRecipients_changeAndRotation(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	ageKey, sshKey := testAgeKey(t), testSSHKey(t, ssh.KeyAlgoED25519, "")
	config := func(recipient string) string {
		return rotatingToken(sim, fmt.Sprintf(`  }
  secret_recipients = [%q]
  lifecycle { create_before_destroy = true }`, recipient))
	}
	relabelled := strings.TrimSuffix(sshKey.recipient, "ops@example") + "ops@laptop"
	h := &tokenHistory{}
	sameToken := func(n int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if len(h.ids) != n {
				return fmt.Errorf("token IDs %v, want %d", h.ids, n)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           config(sshKey.recipient),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(h.record, decryptsWith(sim, sshKey.identity)),
			},
			{
				// The same SSH key with another comment.
				Config: config(relabelled),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, sameToken(1), decryptsWith(sim, sshKey.identity)),
			},
			{
				PreConfig: env.diags.Reset,
				Config:    config(ageKey.recipient),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreateBeforeDestroy)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, sameToken(2), decryptsWith(sim, ageKey.identity),
					env.diags.expect("plan", `Changing secret_recipients replaces token \S+: The token will be replaced by a new one, `+
						`with a new ID and secret, because its secret is encrypted to the old recipients, and the provider never has `+
						`the plain text again`)),
			},
			{
				// Due for rotation: the new token is encrypted too.
				PreConfig: func() { clock.Advance(50 * time.Minute) },
				Config:    config(ageKey.recipient),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreateBeforeDestroy)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, sameToken(3), decryptsWith(sim, ageKey.identity)),
			},
		},
	})
}

// A malformed recipient fails at plan, before any token is made.
func TestAccSecretRecipients_malformed(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      tokenConfig(sim, `  type = "ReadNodeData"`+"\n"+`  secret_recipients = ["age1notakey"]`),
				ExpectError: regexp.MustCompile(`Invalid secret recipient[\s\S]*not a valid age X25519 recipient`),
				PlanOnly:    true,
			},
			{
				Config: providerConfig(sim) + `
provider "solarnetwork" {
  alias             = "encrypting"
  secret_recipients = ["ssh-dss AAAA"]
}

resource "solarnetwork_security_token" "test" {
  provider = solarnetwork.encrypting
  type     = "ReadNodeData"
}
`,
				ExpectError: regexp.MustCompile(`Invalid secret recipient`),
				PlanOnly:    true,
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(nonAdminTokens(sim)); n > 0 {
				return fmt.Errorf("%d tokens were made", n)
			}
			return nil
		},
	})
}
