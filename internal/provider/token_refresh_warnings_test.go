package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The CLI shows the warning a refresh gives for an expired token, naming the
// token and the instant. This runs the CLI directly, with the real clock:
// the token is made to expire an hour ago, out of band.
func TestAccWarnings_expiredOnRefresh(t *testing.T) {
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
  name            = "Late"
  expiration_date = "2099-01-01"
}
`})
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	tokens := nonAdminTokens(sim)
	if len(tokens) != 1 {
		t.Fatalf("tokens: %+v", tokens)
	}
	id := tokens[0].ID
	expiry := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	mustEdit(t, sim.SetPolicy(id, &simulator.Policy{NotAfter: &expiry}))
	out, err := run("plan", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	want := `(?s)Warning: Token ` + regexp.QuoteMeta(id) + ` has expired.*Security token ` + regexp.QuoteMeta(id) + `\s+\("Late"\)\s+expired\s+at\s+` +
		regexp.QuoteMeta(expiration.FormatInstant(expiry)) + `.*To\s+renew\s+it,\s+set\s+a\s+later\s+expiration_date`
	if !regexp.MustCompile(want).MatchString(out) {
		t.Errorf("plan output lacks %s:\n%s", want, out)
	}
	if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if err := checkDestroyed(sim)(nil); err != nil {
		t.Error(err)
	}
}
