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
	record := func(s *terraform.State) {
		made = nil
		for _, r := range s.RootModule().Resources {
			made = append(made, r.Primary.ID)
		}
	}
	wantRestricted := regexp.MustCompile(`(?s)The provider's token is restricted.*policy\.api_paths.*User token whose policy sets\s+nothing but`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			sim.DeleteToken(restricted.ID) // made by the test, not by Terraform
			return checkDestroyed(sim)(nil)
		},
		Steps: []resource.TestStep{
			{Config: good, ConfigPlanChecks: emptyPlanAfterApply, Check: func(s *terraform.State) error { record(s); return nil }},
			{Config: bad, PlanOnly: true, ExpectError: wantRestricted},
			{Config: bad, ExpectError: wantRestricted},
			{
				Config:           good,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(s *terraform.State) error {
					record(s)
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
	// A forced replacement plans the create half with no prior state; the
	// plan is refused all the same, and so is the apply.
	for _, cmd := range [][]string{
		{"plan", "-input=false", "-no-color", "-replace=solarnetwork_security_token.self"},
		{"apply", "-auto-approve", "-input=false", "-no-color", "-replace=solarnetwork_security_token.self"},
	} {
		out, err := run(cmd...)
		if flat := strings.Join(strings.Fields(out), " "); err == nil || !strings.Contains(flat, admin+" is the one") ||
			!strings.Contains(flat, "this plan would replace it (delete it and create another), as -replace") {
			t.Errorf("%s -replace was not refused (err %v):\n%s", cmd[0], err, out)
		}
		ownTokenIntact(t, sim, cmd[0]+" -replace")
	}
	// A tainted object is planned as a create with nothing to tell it is the
	// provider's token: the delete refuses it at apply, and it stays in state.
	if out, err := run("taint", "solarnetwork_security_token.self"); err != nil {
		t.Fatalf("taint: %v\n%s", err, out)
	}
	out, err := run("apply", "-auto-approve", "-input=false", "-no-color")
	if flat := strings.Join(strings.Fields(out), " "); err == nil || !strings.Contains(flat, "Error: This would lock the provider out") ||
		!strings.Contains(flat, admin+" is the one this provider signs its requests with, and this apply would delete it") ||
		!strings.Contains(flat, "stays in state") || !strings.Contains(flat, "terraform state rm") {
		t.Errorf("apply of the tainted token was not refused (err %v):\n%s", err, out)
	}
	ownTokenIntact(t, sim, "taint")
	if out, err := run("state", "show", "-no-color", "solarnetwork_security_token.self"); err != nil || !strings.Contains(out, admin) || !strings.Contains(out, "tainted") {
		t.Errorf("state after the refused apply: %v\n%s", err, out)
	}
	if out, err := run("state", "rm", "solarnetwork_security_token.self"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
	ownTokenIntact(t, sim, "state rm")
}

// ownTokenIntact fails the test unless the provider's own token is in
// SolarNetwork as the simulator made it (active, no policy), no other
// token was made, and no request but reads was sent.
func ownTokenIntact(t *testing.T, sim *simulator.Simulator, after string) {
	t.Helper()
	admin, _ := sim.AdminCredentials()
	if tok, ok := sim.Token(admin); !ok || tok.Status != simulator.StatusActive || tok.Policy != nil {
		t.Errorf("after %s: the provider's token exists %v, status %q, policy %+v", after, ok, tok.Status, tok.Policy)
	}
	for _, tok := range nonAdminTokens(sim) {
		t.Errorf("after %s: token %s was made", after, tok.ID)
	}
	for _, req := range sim.Requests() {
		if req.Method != "GET" {
			t.Errorf("after %s: %s %s was sent", after, req.Method, req.Path)
		}
	}
}

// With create_before_destroy and for_each, every path that would remove the
// provider's own token is refused: a replacement by a type change or by
// -replace (refused at plan, so no new token is made) and the removal of its
// key.
func TestAccSecurityToken_ownTokenGuardForEach(t *testing.T) {
	sim := testAccSimulator(t)
	admin, _ := sim.AdminCredentials()
	run := cliRunner(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
provider "solarnetwork" {}
variable "keys" {
  type    = set(string)
  default = ["own"]
}
variable "type" {
  type    = string
  default = "User"
}
resource "solarnetwork_security_token" "self" {
  for_each = var.keys
  type     = var.type
  lifecycle {
    create_before_destroy = true
  }
}
`})
	addr := `solarnetwork_security_token.self["own"]`
	if out, err := run("import", "-input=false", "-no-color", addr, admin); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("plan after import is not empty: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"type change", []string{"-var", "type=ReadNodeData"}, "this plan would replace it (delete it and create another), because its type changes"},
		{"-replace", []string{"-replace=" + addr}, "this plan would replace it (delete it and create another), as -replace"},
		{"key removed", []string{"-var", "keys=[]"}, "this plan would delete it."},
	} {
		for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
			out, err := run(append(append(cmd, "-input=false", "-no-color"), tc.args...)...)
			if flat := strings.Join(strings.Fields(out), " "); err == nil || !strings.Contains(flat, "Error: This would lock the provider out") ||
				!strings.Contains(flat, admin+" is the one") || !strings.Contains(flat, tc.want) {
				t.Errorf("%s %s was not refused (err %v):\n%s", cmd[0], tc.name, err, out)
			}
			ownTokenIntact(t, sim, cmd[0]+" "+tc.name)
		}
	}
	// A taint with create_before_destroy: the CLI makes the new token before
	// it removes the tainted one, and the provider learns only then that the
	// tainted one is its own. Its removal is refused; the new token is in
	// state with its secret, and the old one stays in state, deposed.
	if out, err := run("taint", addr); err != nil {
		t.Fatalf("taint: %v\n%s", err, out)
	}
	out, err := run("apply", "-auto-approve", "-input=false", "-no-color")
	if flat := strings.Join(strings.Fields(out), " "); err == nil || !strings.Contains(flat, "Error: This would lock the provider out") ||
		!strings.Contains(flat, admin+" is the one this provider signs its requests with") || !strings.Contains(flat, "would delete it") {
		t.Errorf("apply of the tainted token was not refused (err %v):\n%s", err, out)
	}
	if tok, ok := sim.Token(admin); !ok || tok.Status != simulator.StatusActive || tok.Policy != nil {
		t.Errorf("after taint: the provider's token exists %v, status %q, policy %+v", ok, tok.Status, tok.Policy)
	}
	made := nonAdminTokens(sim)
	if len(made) != 1 {
		t.Fatalf("after taint: %d tokens made, want the replacement", len(made))
	}
	out, err = run("state", "pull")
	out = strings.Join(strings.Fields(out), "") // OpenTofu writes it compact, Terraform indented
	if err != nil || !strings.Contains(out, `"id":"`+made[0].ID+`"`) || !strings.Contains(out, made[0].Secret) {
		t.Errorf("the replacement %s is not in state with its secret: %v", made[0].ID, err)
	}
	if !strings.Contains(out, `"id":"`+admin+`"`) || !strings.Contains(out, `"deposed"`) {
		t.Errorf("the provider's token %s is not in state, deposed", admin)
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
