package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A token that expires: refresh sets expired and warns, naming the token
// and the instant, and says how to renew it; the plan stays empty. A later
// expiration_date renews the same token in place.
func TestAccSecurityToken_expiryAwareness(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	expiry := clock.Now().Add(30 * time.Minute)
	cfg := func(exp time.Time) string {
		return tokenConfig(sim, `
  type            = "ReadNodeData"
  name            = "Dashboard"
  expiration_date = "`+formatInstant(exp)+`"`)
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
					env.diags.expect("read", `Token \S+ has expired: Security token \S+ \("Dashboard"\) expired at `+
						regexp.QuoteMeta(formatInstant(expiry))+` \(30m0s ago\) and can no longer authenticate\. To renew it, set a later `+
						`expiration_date`),
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

// tokenHistory keeps the IDs (and secrets) the test resource had, in order.
type tokenHistory struct {
	ids, secrets []string
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
