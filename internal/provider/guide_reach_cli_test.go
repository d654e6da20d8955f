package provider

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// The guide "Proving what a token can reach", through the CLI: its
// configuration applies and plans empty, widening the dashboard's nodes
// fails the plan, and its test file passes with `terraform test` /
// `tofu test`. The function example needs Terraform 1.8+ (OpenTofu 1.7+),
// and the test command 1.6+.
func TestAccGuideProvingWhatATokenCanReach(t *testing.T) {
	sim := testAccSimulator(t)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	v := cliVersion(t, cli)
	names := []string{"main.tf", "token.tf", "reach.tf"}
	withFunctions := !v.LessThan(version.Must(version.NewVersion("1.8.0")))
	if withFunctions {
		names = append(names, "functions.tf", "tests/reach.tftest.hcl")
	}
	files := exampleFiles(t, "guides/proving-what-a-token-can-reach", names...)
	run := cliRunner(t, sim, files)
	quotes := newQuoteChecker(t, "proving-what-a-token-can-reach")

	if withFunctions {
		out, err := run("test", "-no-color")
		if err != nil || !strings.Contains(out, "2 passed, 0 failed") {
			t.Fatalf("test: %v\n%s", err, out)
		}
		if len(sim.Tokens()) != 1 {
			t.Errorf("the test file left tokens behind: %v", sim.Tokens())
		}
	}
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}
	out, err := run("plan", "-input=false", "-no-color", "-var", "dashboard_node_ids=[100, 101, 102]")
	if err == nil || !regexp.MustCompile(`(?s)Error: Resource postcondition failed.*The dashboard token reaches more than its two nodes`).MatchString(out) {
		t.Errorf("a third node: %v\n%s", err, out)
	}
	quotes.check("proving-what-a-token-can-reach/postcondition", out, nil)
	quotes.done()
	if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if err := checkDestroyed(sim)(nil); err != nil {
		t.Error(err)
	}
}
