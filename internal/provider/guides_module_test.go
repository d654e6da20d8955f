package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// The testing-modules guide's module and its tests, run with the CLI's own
// test command: the mocked tests need no SolarNetwork, the others run
// against the simulator. mock_provider needs Terraform 1.7+ or OpenTofu
// 1.8+; .tftest.hcl files need 1.6+.
func TestAccGuideTestingModules(t *testing.T) {
	sim := testAccSimulator(t)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cliVersion(t, cli).LessThan(version.Must(version.NewVersion("1.8.0"))) {
		t.Skip("mock_provider needs Terraform 1.7+ or OpenTofu 1.8+")
	}
	run := cliRunner(t, sim, exampleFiles(t, "guides/testing-modules", "main.tf", "tests/mocked.tftest.hcl", "tests/solarsim.tftest.hcl"))
	before := len(sim.Tokens())

	out, err := run("test", "-no-color", "-filter=tests/mocked.tftest.hcl")
	if err != nil || !strings.Contains(out, "2 passed, 0 failed") {
		t.Fatalf("mocked tests: %v\n%s", err, out)
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("the mocked tests sent %d requests to SolarNetwork", n)
	}

	out, err = run("test", "-no-color")
	if err != nil || !strings.Contains(out, "3 passed, 0 failed") {
		t.Fatalf("all tests: %v\n%s", err, out)
	}
	if n := len(sim.Tokens()); n != before {
		t.Errorf("%d tokens after the tests, want the %d before: the test command destroys what it made", n, before)
	}
	if sim.Count("POST", "/auth-tokens/generate/ReadNodeData") == 0 {
		t.Error("the integration test made no token")
	}
}
