package provider

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// providerBinary builds the provider for examples that run through the CLI
// with a dev override instead of the test harness.
func providerBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-solarnetwork"), "../..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// runExampleWithCLI copies an example folder, points its import IDs at the
// simulator's tokens, and runs apply, an expected-empty plan and destroy.
func runExampleWithCLI(t *testing.T, sim *simulator.Simulator, dir string, ids map[string]string) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	if cliVersion(t, cli).LessThan(version.Must(version.NewVersion("1.7.0"))) {
		t.Skip("import blocks with for_each need Terraform or OpenTofu 1.7+")
	}
	files := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range paths {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for placeholder, id := range ids {
			text = strings.ReplaceAll(text, placeholder, id)
		}
		files[filepath.Base(f)] = text
	}
	run := cliRunner(t, sim, files)
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}
	if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if err := checkDestroyed(sim)(nil); err != nil {
		t.Error(err)
	}
}
