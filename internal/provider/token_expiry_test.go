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

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// A token that expires without rotation: refresh sets expired and warns,
// naming the token and the instant, and says how to renew it; the plan
// stays empty. A later expiration_date renews the same token in place.
func TestAccSecurityToken_expiryAwareness(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	expiry := clock.Now().Add(30 * time.Minute)
	cfg := func(exp time.Time) string {
		return tokenConfig(sim, `
  type            = "ReadNodeData"
  name            = "Dashboard"
  expiration_date = "`+expiration.FormatInstant(exp)+`"`)
	}
	h := &tokenHistory{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           cfg(expiry),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(h.record, resource.TestCheckResourceAttr(tokenAddr, "expired", "false")),
			},
			{
				PreConfig: func() { clock.Advance(time.Hour); env.diags.Reset() },
				Config:    cfg(expiry),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(tokenAddr, "expired", "true"),
					resource.TestCheckResourceAttr(tokenAddr, "ready_for_rotation", "false"),
					env.diags.expect("read", `Token \S+ has expired: Security token \S+ \("Dashboard"\) expired at `+
						regexp.QuoteMeta(expiration.FormatInstant(expiry))+` \(30m ago\) and can no longer authenticate\. To renew it, set a later `+
						`expiration_date .* or add a rotation block`),
				),
			},
			{
				// Renewed in place: the same token, working again.
				PreConfig:        env.diags.Reset,
				Config:           cfg(clock.Now().Add(48 * time.Hour)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(h.record,
					resource.TestCheckResourceAttr(tokenAddr, "expired", "false"),
					func(*terraform.State) error {
						if len(h.ids) != 1 {
							return fmt.Errorf("token IDs %v: renewing replaced the token", h.ids)
						}
						return env.signsIn(h.ids[0], h.secrets[0])
					}),
			},
		},
	})
}

// With expiry_warning_window, a refresh warns about a token that expires
// within it, naming the token, the instant and the window; not before, not
// for a token with a rotation block, and not once the expiry moves out.
func TestAccSecurityToken_expiryWarningWindow(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	expiry := clock.Now().Add(72 * time.Hour)
	cfg := func(exp time.Time) string {
		return strings.Replace(providerConfig(sim), "provider \"solarnetwork\" {", "provider \"solarnetwork\" {\n  expiry_warning_window = \"2d\"", 1) + `
resource "solarnetwork_security_token" "test" {
  type            = "ReadNodeData"
  name            = "Dashboard"
  expiration_date = "` + expiration.FormatInstant(exp) + `"
}
resource "solarnetwork_security_token" "rotating" {
  type = "ReadNodeData"
  name = "Rotating"
  rotation {
    lifetime      = "3d"
    rotate_before = "1h"
  }
}`
	}
	soon := `Token \S+ expires soon`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           cfg(expiry),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            env.diags.expectNone(soon),
			},
			{
				PreConfig: func() { clock.Advance(36 * time.Hour); env.diags.Reset() },
				Config:    cfg(expiry),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.diags.expect("read", `Token \S+ expires soon: Security token \S+ \("Dashboard"\) expires at `+
						regexp.QuoteMeta(expiration.FormatInstant(expiry))+` \(in 36h\), within the provider's expiry_warning_window \(2d\)\. `+
						`Set a later expiration_date`),
					env.diags.expectNone(`Rotating.*expires soon|expires soon.*Rotating`),
					resource.TestCheckResourceAttr(tokenAddr, "expired", "false"),
				),
			},
			{
				// The refresh before this apply still warns: the expiry moves
				// only when it is applied.
				Config:           cfg(clock.Now().Add(30 * 24 * time.Hour)),
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				PreConfig:        env.diags.Reset,
				Config:           cfg(clock.Now().Add(30 * 24 * time.Hour)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            env.diags.expectNone(soon),
			},
		},
	})
}

// The provider's own token cannot be rotated by a plan that signs with it:
// while it is not due the plan warns, and once it is due the plan is refused
// with the reason.
func TestAccSecurityToken_rotationOfOwnTokenRefused(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	admin, _ := sim.AdminCredentials()
	cfg := providerConfig(sim) + `
import {
  to = solarnetwork_security_token.self
  id = "` + admin + `"
}
resource "solarnetwork_security_token" "self" {
  type = "User"
  rotation {
    lifetime      = "1h"
    rotate_before = "15m"
  }
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				PreConfig:          func() { clock.Advance(10 * time.Minute) },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true, // the import, and the expiry rotation sets
			},
			{
				PreConfig: func() {
					if err := env.diags.expect("plan", `Rotation of the provider's own token will be refused: Token `+admin+
						` is the one this provider signs its requests with\. From \S+ it is due for rotation`)(nil); err != nil {
						t.Error(err)
					}
					clock.Advance(40 * time.Minute)
				},
				Config:   cfg,
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)This would lock the provider out.*` + admin + `\s+is\s+the\s+one.*replace\s+it\s+\(delete\s+it\s+and` +
					`\s+create\s+another\),\s+because\s+it\s+is\s+due\s+for\s+rotation.*remove\s+the\s+rotation\s+block`),
			},
			{
				// An apply is refused by the same plan.
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)This would lock the provider out.*because\s+it\s+is\s+due\s+for\s+rotation`),
			},
		},
	})
	ownTokenIntact(t, sim, "rotation")
}

// Bad rotation settings are refused at plan time, naming the attribute.
func TestAccSecurityToken_rotationValidation(t *testing.T) {
	sim := testAccSimulator(t)
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{
			Config:      tokenConfig(sim, "  type = \"ReadNodeData\"\n"+body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}
	}
	rotation := func(args string) string { return "  rotation {\n" + args + "\n  }" }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step(rotation(`lifetime = "1h"
rotate_before = "1h"`), `(?s)rotate_before must be shorter than lifetime.*rotate_before = "1h" is not shorter than\s+lifetime = "1h"`),
			step(rotation(`lifetime = "1h"
rotate_before = "15m"
overlap = "2h"`), `(?s)overlap must not be longer than lifetime`),
			step(rotation(`lifetime = "30s"
rotate_before = "0s"`), `(?s)Duration too short.*"30s" is shorter than 1m\.`),
			step(rotation(`lifetime = "30 days"
rotate_before = "7d"`), `(?s)Invalid duration.*"30 days" is not a duration`),
			step(rotation(`lifetime = "30d"`), `(?s)Missing rotation.rotate_before.*needs lifetime`),
			step(rotation(`lifetime = "30d"
rotate_before = "7d"
rotate_after = "1d"`), `(?s)Unsupported argument.*rotate_after`),
			step(`  expiration_date = "2040-01-01"
`+rotation(`lifetime = "30d"
rotate_before = "7d"`), `(?s)Invalid Attribute Combination.*expiration_date`),
			step(`  on_destroy = "keep"`, `(?s)on_destroy.*value must be one of`),
		},
	})
}

func (h *tokenHistory) record(s *terraform.State) error {
	rs, ok := s.RootModule().Resources[tokenAddr]
	if !ok {
		return fmt.Errorf("%s not in state", tokenAddr)
	}
	if n := len(h.ids); n == 0 || h.ids[n-1] != rs.Primary.ID {
		h.ids = append(h.ids, rs.Primary.ID)
		h.secrets = append(h.secrets, rs.Primary.Attributes["secret"])
	}
	return nil
}

func (h *tokenHistory) last() string { return h.ids[len(h.ids)-1] }
