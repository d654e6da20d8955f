package provider

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// The keeping-secrets-safe guide's OpenTofu state encryption folder, run as
// the guide says (the passphrase in TF_VAR_state_passphrase, init, apply)
// with the provider installed as `make install-local` installs it: the
// state file on disk holds neither the token's secret nor its ID in clear,
// the next plan is empty and destroy removes the token. Terraform has no
// encryption block, so the folder is OpenTofu's only.
func TestAccGuideStateEncryption(t *testing.T) {
	sim := testAccSimulator(t)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if !isOpenTofu(t, cli) || cliVersion(t, cli).LessThan(version.Must(version.NewVersion("1.7.0"))) {
		t.Skip("state encryption needs OpenTofu 1.7+")
	}
	dir := t.TempDir()
	writeFiles(t, dir, exampleFiles(t, "guides/keeping-secrets-safe/state-encryption"))
	t.Setenv("TF_VAR_state_passphrase", "correct horse battery staple")
	run := localMirrorRunner(t, sim)
	for _, args := range [][]string{
		{"init", "-input=false"},
		{"apply", "-auto-approve", "-input=false"},
	} {
		if out, err := run(append(append([]string{"-chdir=" + dir}, args...), "-no-color")...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	tokens := nonAdminTokens(sim)
	if len(tokens) != 1 {
		t.Fatalf("the folder made %d tokens, want 1", len(tokens))
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(state, []byte(tokens[0].Secret)) || bytes.Contains(state, []byte(tokens[0].ID)) || !strings.Contains(string(state), "encrypted_data") {
		t.Errorf("terraform.tfstate is not encrypted:\n%s", state)
	}
	if out, err := run("-chdir="+dir, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}
	if out, err := run("-chdir="+dir, "output", "-raw", "dashboard_token_secret"); err != nil || out != tokens[0].Secret {
		t.Errorf("output -raw dashboard_token_secret from the encrypted state: %v (%d bytes)", err, len(out))
	}
	if out, err := run("-chdir="+dir, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if err := checkDestroyed(sim)(nil); err != nil {
		t.Error(err)
	}
}
