package provider

import (
	"regexp"
	"slices"
	"testing"
)

// Plan-time warnings reach the user, with the attribute named. The test
// harness cannot see warnings, so these run the CLI directly.
func TestAccWarnings(t *testing.T) {
	sim := testAccSimulator(t)
	run := cliRunner(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
provider "solarnetwork" {}
resource "solarnetwork_security_token" "late" {
  type            = "ReadNodeData"
  expiration_date = "2020-01-01"
  allow_expired   = true
}
resource "solarnetwork_security_token" "user" {
  type   = "User"
  policy { node_ids = [1] }
}
resource "solarnetwork_security_token" "api" {
  type   = "User"
  policy { api_paths = ["/datum/**"] }
}
`})
	out, err := run("plan", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	for _, want := range []string{
		`(?s)Warning: Expiry in the past.*solarnetwork_security_token\.late.*expiration_date.*2020-01-01T00:00:00Z, which has\s+already passed`,
		`(?s)Warning: User token restricted by node_ids.*solarnetwork_security_token\.user.*node_ids here.*cannot be this\s+provider's\s+token`,
		// api_paths restricts a User token as much as data restrictions do.
		`(?s)Warning: User token restricted by api_paths.*solarnetwork_security_token\.api.*api_paths here`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("plan output lacks %s:\n%s", want, out)
		}
	}
	// Configuring the provider lists the tokens once; planning sends nothing
	// more but the account's two node lists, once, for the node_ids check.
	var got []string
	for _, q := range sim.Requests() {
		got = append(got, q.Method+" "+q.Path)
	}
	if want := []string{"GET /solaruser/api/v1/sec/user/auth-tokens", "GET /solaruser/api/v1/sec/nodes", "GET /solaruser/api/v1/sec/nodes/archived"}; !slices.Equal(got, want) {
		t.Errorf("planning new tokens sent %v, want %v", got, want)
	}
}
