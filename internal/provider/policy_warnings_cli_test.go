package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

const policyWarningsHead = `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
`

// The policy warnings reach the user through the CLI, each once per token
// per plan, naming the attribute; none for a token left as it is; an error
// for a change naming a node the account does not own.
func TestAccPolicyWarnings(t *testing.T) {
	sim := testAccSimulatorWith(t, simulator.Options{NodeIDs: []int64{1, 2}, ArchivedNodeIDs: []int64{9}})
	tokens := `
resource "solarnetwork_security_token" "admin" {
  type = "User"
}
resource "solarnetwork_security_token" "import" {
  type = "User"
  policy {
    api_paths       = ["/user/import/**", "!/user/import/jobs/*/delete"]
    refresh_allowed = false
  }
}
resource "solarnetwork_security_token" "data" {
  type = "ReadNodeData"
  policy {
    node_ids        = var.nodes
    source_ids      = ["/meter/**", "/meter/1", "/pv/.*"]
    refresh_allowed = false
  }
}
`
	run := cliRunner(t, sim, map[string]string{"main.tf": policyWarningsHead + `
variable "nodes" { type = list(number) }
variable "off" {
  type    = list(string)
  default = null
}
provider "solarnetwork" {
  disabled_warnings = var.off
}
` + tokens})
	plan := func(nodes string, args ...string) (string, error) {
		return run(append([]string{"plan", "-input=false", "-no-color", "-var", "nodes=[" + nodes + "]"}, args...)...)
	}
	out, err := plan("1, 9, 1010")
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	for _, want := range []string{
		`(?s)Warning: User token without api_paths.*solarnetwork_security_token\.admin`,
		`(?s)Warning: refresh_allowed is not set.*solarnetwork_security_token\.admin`,
		`(?s)Warning: api_paths "!" entries do not deny what they seem to.*solarnetwork_security_token\.import.*api_paths.*"/user/import/\*\*"\s+allows it`,
		`(?s)Warning: node_ids not in the account.*solarnetwork_security_token\.data.*node_ids.*Node 1010 is not among`,
		`(?s)Warning: source_ids pattern already covered.*solarnetwork_security_token\.data.*"/meter/1" is already covered by\s+"/meter/\*\*"`,
		`(?s)Warning: source_ids pattern that will not match.*solarnetwork_security_token\.data.*"/pv/\.\*"`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("plan output lacks %s:\n%s", want, out)
		}
	}
	// Once each per token and plan. The CLI folds repeated warnings into
	// "(and N more similar warnings elsewhere)", so that must not follow one.
	for _, block := range strings.Split(out, "Warning: ")[1:] {
		if strings.Contains(block, "similar warning") {
			t.Errorf("a warning said more than once: %s", block)
		}
	}
	if n := policyWarningCount(out); n != 6 {
		t.Errorf("%d policy warnings, want 6:\n%s", n, out)
	}
	// The account's nodes were read once, both lists.
	if n := sim.Count("GET", "/solaruser/api/v1/sec/nodes") + sim.Count("GET", "/solaruser/api/v1/sec/nodes/archived"); n != 2 {
		t.Errorf("%d node list requests, want 2", n)
	}

	// Turned off in the provider block, with its names checked at plan.
	out, err = plan("1, 9, 1010", "-var", `off=["user_token_without_api_paths", "refresh_allowed_unset", "api_paths_negation", `+
		`"node_ids_not_in_account", "source_ids_redundant", "source_ids_never_match"]`)
	if err != nil || policyWarningCount(out) != 0 {
		t.Errorf("plan with every policy warning off: %v\n%s", err, out)
	}
	if out, err = plan("1", "-var", `off=["api_path_negation"]`); err == nil || !regexp.MustCompile(`(?s)Error: Invalid Attribute Value Match.*disabled_warnings`).MatchString(out) {
		t.Errorf("a misspelt warning name: %v\n%s", err, out)
	}

	// Applied, then planned again unchanged: no policy warning.
	if out, err = run("apply", "-input=false", "-no-color", "-auto-approve", "-var", "nodes=[1, 9, 2]"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if out, err = plan("1, 9, 2", "-detailed-exitcode"); err != nil || policyWarningCount(out) != 0 {
		t.Errorf("plan of unchanged tokens: %v\n%s", err, out)
	}

	// A change adding a node the account does not own: SolarNetwork would
	// store it, so the plan fails.
	out, err = plan("1, 9, 2, 77")
	if err == nil || !regexp.MustCompile(`(?s)Error: node_ids not in the account.*solarnetwork_security_token\.data.*Node 77 is not among`).MatchString(out) {
		t.Errorf("plan adding node 77: %v\n%s", err, out)
	}
	if out, err = run("destroy", "-input=false", "-no-color", "-auto-approve", "-var", "nodes=[1]"); err != nil {
		t.Errorf("destroy: %v\n%s", err, out)
	}
}

// policyWarningCount counts the warnings of policy_warnings.go in CLI output.
func policyWarningCount(out string) int {
	n := 0
	for _, summary := range []string{"User token without api_paths", "refresh_allowed is not set", `api_paths "!" entries`,
		"node_ids not in the account", "Could not check node_ids", "source_ids pattern"} {
		n += strings.Count(out, "Warning: "+summary)
	}
	return n
}
