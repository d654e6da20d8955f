package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Each rule refuses exactly the tokens it names, under the attribute at fault.
func TestGuardrailsCheck(t *testing.T) {
	created := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { e := created.Add(d); return &e }
	days := func(n int) *time.Duration { d := time.Duration(n) * 24 * time.Hour; return &d }
	all := &guardrails{maxLifetime: 90 * 24 * time.Hour, maxLifetimeText: "90d", requireExpiry: true, requireAPIPaths: true,
		allowedTypes: []string{"ReadNodeData"}}
	for _, tc := range []struct {
		name string
		g    *guardrails
		tok  guardedToken
		want []string // attribute paths, in order
	}{
		{"compliant data token", all, guardedToken{tokenType: "ReadNodeData", expiry: at(90 * 24 * time.Hour), created: created}, nil},
		{"one millisecond too long", all, guardedToken{tokenType: "ReadNodeData", expiry: at(90*24*time.Hour + time.Millisecond), created: created}, []string{"expiration_date"}},
		{"never expires", all, guardedToken{tokenType: "ReadNodeData", created: created}, []string{"expiration_date"}},
		{"rotation within", all, guardedToken{tokenType: "ReadNodeData", lifetime: days(90), created: created}, nil},
		{"rotation too long", all, guardedToken{tokenType: "ReadNodeData", lifetime: days(91), created: created}, []string{"rotation.lifetime"}},
		{"user token: type and api paths", all, guardedToken{tokenType: "User", expiry: at(time.Hour), created: created}, []string{"type", "policy.api_paths"}},
		{"user token with api paths", &guardrails{requireAPIPaths: true}, guardedToken{tokenType: "User", apiPaths: true}, nil},
		{"require expiration only", &guardrails{requireExpiry: true}, guardedToken{tokenType: "User"}, []string{"expiration_date"}},
		{"require expiration, far expiry", &guardrails{requireExpiry: true}, guardedToken{tokenType: "User", expiry: at(100 * 365 * 24 * time.Hour)}, nil},
		{"no rules", &guardrails{}, guardedToken{tokenType: "User"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range tc.g.check(tc.tok) {
				got = append(got, b.attr.String())
				if !strings.Contains(b.detail, "guardrails.") {
					t.Errorf("detail %q does not name the rule", b.detail)
				}
			}
			if err := equalStrings("breaches", got, tc.want); err != nil {
				t.Error(err)
			}
		})
	}
}

const guardrailsProvider = `
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
  guardrails {
    max_lifetime                      = "90d"
    require_api_paths_for_user_tokens = true
    allowed_types                     = ["ReadNodeData", "User"]
    enforcement                       = %q
  }
}
`

// At plan time the guardrails refuse a token that breaks them (before any
// request that makes one), or warn with enforcement = "warn"; a token
// already in SolarNetwork that breaks them is imported and reported at
// refresh, unchanged.
func TestAccGuardrails(t *testing.T) {
	env := testAccClocked(t)
	id, secret := env.sim.AdminCredentials()
	provider := func(enforcement string) string {
		return fmt.Sprintf(guardrailsProvider, env.sim.URL(), id, secret, enforcement)
	}
	longLived := env.sim.CreateToken(simulator.TypeReadNodeData, nil) // never expires
	forever := `
resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  policy {
    node_ids = [1]
  }
}
`
	admin := `
resource "solarnetwork_security_token" "admin" {
  type            = "User"
  expiration_date = "` + env.clock.Now().Add(24*time.Hour).UTC().Format("2006-01-02") + `"
}
`
	imported := `
import {
  to = solarnetwork_security_token.legacy
  id = "` + longLived.ID + `"
}
resource "solarnetwork_security_token" "legacy" {
  type = "ReadNodeData"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config:      provider("error") + forever,
				ExpectError: regexp.MustCompile(`(?s)Token breaks the provider's guardrails.*guardrails.max_lifetime\s+is\s+90d,\s+and\s+this\s+token\s+never\s+expires`),
			},
			{
				Config:      provider("error") + admin,
				ExpectError: regexp.MustCompile(`(?s)require_api_paths_for_user_tokens\s+is\s+set,\s+and\s+this\s+User\s+token\s+sets\s+no\s+policy.api_paths`),
			},
			{
				PreConfig: env.diags.Reset,
				Config:    provider("warn") + forever,
				Check: resource.ComposeTestCheckFunc(
					env.diags.expect("plan", `guardrails.max_lifetime is 90d.*\(guardrails.enforcement = "warn"\)`),
				),
			},
			{
				PreConfig: env.diags.Reset,
				Config:    provider("error") + forever + imported,
				Check: resource.ComposeTestCheckFunc(
					env.diags.expect("read", `Token `+longLived.ID+`: guardrails.max_lifetime is 90d.*left as it is`),
				),
			},
		},
	})
}

// The ephemeral resource is held to the same rules when it opens, before
// any token is made.
func TestAccGuardrails_ephemeral(t *testing.T) {
	sim := testAccSimulator(t)
	id, secret := sim.AdminCredentials()
	providers := map[string]func() (tfprotov6.ProviderServer, error){
		"solarnetwork": testAccProviders["solarnetwork"],
		"echo":         echoprovider.NewProviderServer(),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providers,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(guardrailsProvider, sim.URL(), id, secret, "error") + `
ephemeral "solarnetwork_security_token" "run" {
  type       = "User"
  expires_in = "1h"
}
provider "echo" {
  data = ephemeral.solarnetwork_security_token.run
}
resource "echo" "token" {}
`,
			ExpectError: regexp.MustCompile(`(?s)The\s+ephemeral\s+token:\s+guardrails.require_api_paths_for_user_tokens`),
		}},
	})
	if n := sim.Count("POST", "/auth-tokens/generate/User"); n != 0 {
		t.Errorf("%d generate requests, want none", n)
	}
}

// The provider documentation's guardrails example, with the simulator's
// credentials: a token that follows it is made, one that does not is
// refused at plan.
func TestAccGuardrails_example(t *testing.T) {
	sim := testAccSimulator(t)
	id, secret := sim.AdminCredentials()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "provider", "guardrails.tf"))
	if err != nil {
		t.Fatal(err)
	}
	provider := strings.Replace(string(data), "provider \"solarnetwork\" {\n",
		fmt.Sprintf("provider \"solarnetwork\" {\n  url = %q\n  token = %q\n  secret = %q\n", sim.URL(), id, secret), 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config: provider + `
resource "solarnetwork_security_token" "ok" {
  type = "ReadNodeData"
  rotation {
    lifetime      = "30d"
    rotate_before = "7d"
  }
}`,
			},
			{
				Config: provider + `
resource "solarnetwork_security_token" "ok" {
  type = "ReadNodeData"
  rotation {
    lifetime      = "120d"
    rotate_before = "7d"
  }
}`,
				ExpectError: regexp.MustCompile(`(?s)guardrails.max_lifetime\s+is\s+90d,\s+and\s+rotation.lifetime\s+is\s+longer`),
			},
		},
	})
}
