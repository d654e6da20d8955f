package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A rotation of 90 days rehearsed in seconds, as the rotating-tokens guide
// shows with solarsim: SolarNetwork's clock moves 80 days on, its answers
// refuse the provider's date, the provider takes SolarNetwork's clock from
// them, and the plan replaces the token that is now due.
func TestAccSecurityToken_rotationRehearsedByServerClock(t *testing.T) {
	sim := testAccSimulator(t)
	config := providerConfig(sim) + `
resource "solarnetwork_security_token" "test" {
  type = "ReadNodeData"
  rotation {
    lifetime      = "90d"
    rotate_before = "14d"
    overlap       = "1d"
  }
  lifecycle {
    create_before_destroy = true
  }
}
`
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					first = s.RootModule().Resources[tokenAddr].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() { sim.SetClockOffset(80 * 24 * time.Hour) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreateBeforeDestroy)},
				},
				Check: func(s *terraform.State) error {
					rs := s.RootModule().Resources[tokenAddr].Primary
					if rs.ID == first {
						return fmt.Errorf("token %s was not rotated", first)
					}
					expires, err := time.Parse(time.RFC3339, rs.Attributes["expires_at"])
					if err != nil {
						return err
					}
					// Created by SolarNetwork's clock: 80 days on, plus 90.
					if want := time.Now().Add(170 * 24 * time.Hour); expires.Sub(want).Abs() > time.Hour {
						return fmt.Errorf("expires_at %v, want about %v", expires, want)
					}
					old, ok := sim.Token(first)
					if !ok || old.Policy == nil || old.Policy.NotAfter == nil {
						return fmt.Errorf("the rotated-out token %s is gone or never expires", first)
					}
					if want := time.Now().Add(81 * 24 * time.Hour); old.Policy.NotAfter.Sub(want).Abs() > time.Hour {
						return fmt.Errorf("the rotated-out token expires %v, want the overlap's end, about %v", old.Policy.NotAfter, want)
					}
					return nil
				},
			},
		},
	})
}
