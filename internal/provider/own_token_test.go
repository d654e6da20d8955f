package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// providerConfigAs points the provider at sim with other credentials.
func providerConfigAs(sim *simulator.Simulator, token, secret string) string {
	return fmt.Sprintf(`
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
}
`, sim.URL(), token, secret)
}

// A restricted provider credential sees only itself in the list. Refresh,
// plan and apply stop with one error naming the restriction, and the state
// keeps every token: once the credential is fixed, nothing is orphaned or
// made twice.
func TestAccProvider_restrictedCredentialKeepsState(t *testing.T) {
	sim := testAccSimulator(t)
	restricted := sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/user/auth-tokens/**"}})
	resources := `
resource "solarnetwork_security_token" "a" {
  type = "ReadNodeData"
}
resource "solarnetwork_security_token" "b" {
  type = "User"
  name = "b"
}`
	good := providerConfig(sim) + resources
	bad := providerConfigAs(sim, restricted.ID, restricted.Secret) + resources
	var made []string
	record := func(s *terraform.State) error { //nolint:unparam // a resource.TestCheckFunc
		made = nil
		for _, r := range s.RootModule().Resources {
			made = append(made, r.Primary.ID)
		}
		return nil
	}
	wantRestricted := regexp.MustCompile(`(?s)The provider's token is restricted.*policy\.api_paths.*User token whose policy sets\s+nothing but`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			sim.DeleteToken(restricted.ID) // made by the test, not by Terraform
			return checkDestroyed(sim)(nil)
		},
		Steps: []resource.TestStep{
			{Config: good, ConfigPlanChecks: emptyPlanAfterApply, Check: record},
			{Config: bad, PlanOnly: true, ExpectError: wantRestricted},
			{Config: bad, ExpectError: wantRestricted},
			{
				Config:           good,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(s *terraform.State) error {
					if err := record(s); err != nil {
						return err
					}
					if n := len(nonAdminTokens(sim)); n != 3 { // a, b and the restricted credential
						return fmt.Errorf("%d tokens besides the admin, want 3: %+v", n, nonAdminTokens(sim))
					}
					for _, id := range made {
						if _, ok := sim.Token(id); !ok {
							return fmt.Errorf("token %s in state does not exist", id)
						}
					}
					return nil
				},
			},
		},
	})
}

// A 200 list that cannot be complete stops the run; it is never read as
// "every token was deleted".
func TestAccProvider_incompleteListKeepsState(t *testing.T) {
	for name, body := range map[string]string{
		"data null":          `{"success":true,"data":null}`,
		"no data":            `{"success":true}`,
		"without the caller": `{"success":true,"data":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			sim := testAccSimulator(t)
			cfg := tokenConfig(sim, `type = "ReadNodeData"`)
			var id string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             checkDestroyed(sim),
				Steps: []resource.TestStep{
					{Config: cfg, Check: func(s *terraform.State) error { id = s.RootModule().Resources[tokenAddr].Primary.ID; return nil }},
					{
						PreConfig: func() {
							sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 200, Body: body, Times: -1})
						},
						Config:      cfg,
						ExpectError: regexp.MustCompile(`(?s)token list is incomplete.*rather than take the missing tokens as\s+deleted`),
					},
					{
						PreConfig:        sim.ClearFaults,
						Config:           cfg,
						ConfigPlanChecks: emptyPlanAfterApply,
						Check: func(s *terraform.State) error {
							if got := s.RootModule().Resources[tokenAddr].Primary.ID; got != id {
								return fmt.Errorf("token %s replaced by %s", id, got)
							}
							if n := len(nonAdminTokens(sim)); n != 1 {
								return fmt.Errorf("%d tokens, want 1", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// The provider refuses, at plan, to delete, replace, disable, restrict or
// expire the token it signs with.
func TestAccSecurityToken_ownTokenGuard(t *testing.T) {
	sim := testAccSimulator(t)
	admin, _ := sim.AdminCredentials()
	run := cliRunner(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
provider "solarnetwork" {}
variable "type" {
  type    = string
  default = "User"
}
variable "status" {
  type    = string
  default = "Active"
}
variable "nodes" {
  type    = list(number)
  default = null
}
variable "expiration_date" {
  type    = string
  default = null
}
import {
  to = solarnetwork_security_token.self
  id = "` + admin + `"
}
resource "solarnetwork_security_token" "self" {
  type            = var.type
  status          = var.status
  expiration_date = var.expiration_date
  dynamic "policy" {
    for_each = var.nodes == null ? [] : [1]
    content {
      node_ids = var.nodes
    }
  }
}
`})
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name string
		args []string
		attr string
	}{
		{"disable", []string{"-var", "status=Disabled"}, `disable it (status = "Disabled")`},
		{"restrict", []string{"-var", "nodes=[1]"}, "restrict it with policy.node_ids"},
		{"expire", []string{"-var", "expiration_date=2020-01-01"}, "set an expiration_date that has already passed"},
		{"replace", []string{"-var", "type=ReadNodeData"}, "replace it"},
		{"destroy", []string{"-destroy"}, "delete it."},
	} {
		out, err := run(append([]string{"plan", "-input=false", "-no-color"}, tc.args...)...)
		flat := strings.Join(strings.Fields(out), " ")
		if err == nil || !strings.Contains(flat, "Error: This would lock the provider out") || !strings.Contains(flat, admin+" is the one") ||
			!strings.Contains(flat, "this plan would "+tc.attr) {
			t.Errorf("%s: plan did not refuse with the attribute named (err %v):\n%s", tc.name, err, out)
		}
	}
	if out, err := run("state", "rm", "solarnetwork_security_token.self"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
	if _, ok := sim.Token(admin); !ok || len(sim.Tokens()) != 1 {
		t.Errorf("tokens after the refused plans: %+v", sim.Tokens())
	}
	if strings.Contains(fmt.Sprint(sim.Requests()), "DELETE") {
		t.Error("a DELETE was sent")
	}
}

// apply -refresh-only with a restricted credential used to empty the state.
func TestAccProvider_restrictedCredentialRefreshOnly(t *testing.T) {
	sim := testAccSimulator(t)
	restricted := sim.CreateToken(simulator.TypeUser, &simulator.Policy{NodeIDs: []int64{1}})
	run := cliRunner(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
variable "token" {
  type    = string
  default = null
}
variable "secret" {
  type      = string
  default   = null
  sensitive = true
}
provider "solarnetwork" {
  token  = var.token
  secret = var.secret
}
resource "solarnetwork_security_token" "a" {
  type = "ReadNodeData"
}
`})
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, err := run("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", "-var", "token="+restricted.ID, "-var", "secret="+restricted.Secret)
	if err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), "restricted by") && !strings.Contains(out, "The provider's token is restricted") {
		t.Errorf("refresh-only with a restricted credential: err %v\n%s", err, out)
	}
	if strings.Contains(out, restricted.Secret) {
		t.Error("the secret appears in the output")
	}
	if out, err := run("state", "list"); err != nil || !strings.Contains(out, "solarnetwork_security_token.a") {
		t.Errorf("state after the refused refresh: %v\n%s", err, out)
	}
	if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if n := len(nonAdminTokens(sim)); n != 1 { // the restricted credential
		t.Errorf("%d tokens left besides the admin, want only the restricted credential", n)
	}
}
