package provider

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"golang.org/x/crypto/ssh"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// ageCommand builds the age command of the filippo.io/age version this
// module uses, from the module proxy (or the module cache), once per test.
func ageCommand(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "filippo.io/age").Output()
	if err != nil {
		t.Fatalf("go list -m filippo.io/age: %v", err)
	}
	bin := t.TempDir()
	cmd := exec.Command("go", "install", "filippo.io/age/cmd/age@"+strings.TrimSpace(string(out)))
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install filippo.io/age/cmd/age: %v\n%s", err, out)
	}
	return filepath.Join(bin, "age")
}

// sinkProviderBinary builds the provider with the test-only
// solarnetwork_test_sink resource (internal/testsink).
func sinkProviderBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-tags", "testsink", "-o", filepath.Join(dir, "terraform-provider-solarnetwork"), "../..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// secretCLI runs the CLI under test in one folder with the sink build of
// the provider, credentials for sim and the extra environment given, and
// keeps everything the CLI printed.
type secretCLI struct {
	t       *testing.T
	cli     string
	dir     string
	env     []string
	printed bytes.Buffer
}

func newSecretCLI(t *testing.T, sim *simulator.Simulator, env ...string) *secretCLI {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	dir := t.TempDir()
	rc := filepath.Join(t.TempDir(), "cli.tfrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"solarnetwork/solarnetwork\" = %q\n  }\n  direct {}\n}\n", sinkProviderBinary(t))
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	token, secret := sim.AdminCredentials()
	return &secretCLI{t: t, cli: cli, dir: dir, env: append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1", "SOLARNETWORK_URL="+sim.URL(), "SOLARNETWORK_TOKEN="+token, "SOLARNETWORK_SECRET="+secret), env...)}
}

func (c *secretCLI) write(name, text string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(text), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs the CLI; shell runs a bash line with the CLI as $TF.
// The shell's output, the decrypted secret, is not kept with what the CLI
// printed.
func (c *secretCLI) run(args ...string) (string, error) {
	out, err := c.exec(exec.Command(c.cli, args...))
	c.printed.WriteString(out)
	return out, err
}

func (c *secretCLI) shell(line string) (string, error) {
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", line)
	cmd.Env = append(cmd.Env, "TF="+c.cli)
	return c.exec(cmd)
}

func (c *secretCLI) exec(cmd *exec.Cmd) (string, error) {
	cmd.Dir = c.dir
	cmd.Env = append(append([]string{}, c.env...), cmd.Env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (c *secretCLI) must(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

const encryptedTokensConfig = `terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {
  secret_recipients = [%q]
}

# Encrypted to the provider's recipients.
resource "solarnetwork_security_token" "by_default" {
  type = "User"
  name = "Automation"
}

# Encrypted to its own recipient, an SSH key.
resource "solarnetwork_security_token" "own" {
  type              = "ReadNodeData"
  secret_recipients = [%q]

  policy {
    node_ids = [1]
  }
}

output "by_default" {
  value = solarnetwork_security_token.by_default.encrypted_secret
}

output "own" {
  value = solarnetwork_security_token.own.encrypted_secret
}
`

// The ephemeral path: the decrypted secret and signing key reach the
// write-only argument of a resource, never its state.
const ephemeralSecretConfig = `variable "identity" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "solarnetwork_token_secret" "by_default" {
  encrypted_secret = solarnetwork_security_token.by_default.encrypted_secret
  identity         = var.identity
}

resource "solarnetwork_test_sink" "secret" {
  value_wo = ephemeral.solarnetwork_token_secret.by_default.secret
}

resource "solarnetwork_test_sink" "signing_key" {
  value_wo = ephemeral.solarnetwork_token_secret.by_default.signing_key
}
`

// With secret_recipients, no token secret the simulator holds (it knows
// every one) is anywhere Terraform writes or prints: state, show -json, a
// saved plan and its show -json, a TF_LOG=TRACE log, the consumers of the
// ephemeral resource. The encrypted secrets open with `terraform output
// -raw NAME | age -d -i KEY`, as the guide says, to the secrets SolarNetwork
// holds, and those sign requests SolarNetwork accepts.
func TestAccSecretRecipients_plaintextNowhere(t *testing.T) {
	sim := testAccSimulator(t)
	ageKey, sshKey := testAgeKey(t), testSSHKey(t, ssh.KeyAlgoED25519, "")
	work := t.TempDir()
	trace := filepath.Join(work, "trace.log")
	c := newSecretCLI(t, sim, "TF_LOG=TRACE", "TF_LOG_PATH="+trace, "TF_VAR_identity="+ageKey.identity)
	ephemeral := !cliVersion(t, c.cli).LessThan(version.Must(version.NewVersion("1.11.0")))
	ageBin := ageCommand(t)
	for name, text := range map[string]string{"key.txt": ageKey.identity, "id_ed25519": sshKey.identity} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c.write("main.tf", fmt.Sprintf(encryptedTokensConfig, ageKey.recipient, sshKey.recipient))
	if ephemeral {
		c.write("ephemeral.tf", ephemeralSecretConfig)
	}

	c.must("plan", "-input=false", "-no-color", "-out=tfplan")
	plannedJSON := c.must("show", "-json", "tfplan")
	c.must("apply", "-input=false", "-no-color", "tfplan")
	stateJSON := c.must("show", "-json")
	if out, err := c.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}

	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(stateJSON), &state); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	values := map[string]map[string]any{}
	for _, r := range state.Values.RootModule.Resources {
		values[r.Address] = r.Values
	}
	var secrets []string
	for _, name := range []string{"by_default", "own"} {
		v := values["solarnetwork_security_token."+name]
		id, _ := v["id"].(string)
		tok, ok := sim.Token(id)
		if !ok {
			t.Fatalf("%s: token %q not in SolarNetwork", name, id)
		}
		secrets = append(secrets, tok.Secret)
		if v["secret"] != nil {
			t.Errorf("%s: secret is not null", name)
		}
		// As the guide shows it.
		key := "key.txt"
		if name == "own" {
			key = "id_ed25519"
		}
		line := fmt.Sprintf("$TF output -raw %s | %s -d -i %s", name, ageBin, filepath.Join(work, key))
		plain, err := c.shell(line)
		if err != nil || plain != tok.Secret {
			t.Fatalf("%s: %q gave %q (%v), SolarNetwork holds the secret %q", name, line, plain, err, tok.Secret)
		}
		// The secret signs a request SolarNetwork accepts (SolarQuery's
		// whoami, which data tokens may call too).
		now := time.Now()
		if status := whoamiSignedWithKey(t, sim.URL(), id, hex.EncodeToString(client.SigningKey(plain, now.UTC())), now); status != http.StatusOK {
			t.Errorf("%s: a request signed with the decrypted secret: HTTP %d", name, status)
		}
	}

	if ephemeral {
		// Each sink got the secret and its signing key (for the day of the
		// run; the run may have crossed midnight UTC).
		sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
		if got := values["solarnetwork_test_sink.secret"]["received_sha256"]; got != sum(secrets[0]) {
			t.Errorf("the sink received a value of SHA-256 %v, not the secret", got)
		}
		got := values["solarnetwork_test_sink.signing_key"]["received_sha256"]
		now := time.Now().UTC()
		found := false
		for _, day := range []time.Time{now, now.Add(-24 * time.Hour)} {
			found = found || got == sum(hex.EncodeToString(client.SigningKey(secrets[0], day.Truncate(24*time.Hour))))
		}
		if !found {
			t.Errorf("the sink received a value of SHA-256 %v, not the signing key", got)
		}
		if v := values["solarnetwork_test_sink.secret"]["value_wo"]; v != nil {
			t.Errorf("the sink's state holds value_wo %v", v)
		}
	} else {
		// The CLI refuses the ephemeral resource itself.
		c.write("ephemeral.tf", ephemeralSecretConfig)
		out, err := c.run("validate", "-no-color")
		if err == nil || !strings.Contains(out, "ephemeral") {
			t.Errorf("a CLI without ephemeral resources accepted them: %v\n%s", err, out)
		}
		if err := os.Remove(filepath.Join(c.dir, "ephemeral.tf")); err != nil {
			t.Fatal(err)
		}
	}

	// Everything written or printed.
	places := map[string][]byte{
		"show -json of the plan": []byte(plannedJSON),
		"show -json":             []byte(stateJSON),
		"the CLI's output":       c.printed.Bytes(),
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup", "tfplan"} {
		if data, err := os.ReadFile(filepath.Join(c.dir, name)); err == nil {
			places[name] = data
		}
	}
	plan, err := zip.OpenReader(filepath.Join(c.dir, "tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	for _, f := range plan.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		places["tfplan: "+f.Name] = data
	}
	log, err := os.ReadFile(trace)
	if err != nil || !bytes.Contains(log, []byte("[TRACE]")) || !bytes.Contains(log, []byte("PlanResourceChange")) {
		t.Fatalf("no trace log (%v)", err)
	}
	places["TF_LOG=TRACE"] = log
	if _, ok := places["terraform.tfstate"]; !ok {
		t.Fatal("no terraform.tfstate")
	}
	forbidden := map[string]string{"the identity": strings.TrimSpace(strings.Split(ageKey.identity, "\n")[2])}
	for i, s := range secrets {
		forbidden[fmt.Sprintf("secret %d", i+1)] = s
		forbidden[fmt.Sprintf("today's signing key of secret %d", i+1)] = hex.EncodeToString(client.SigningKey(s, time.Now().UTC()))
	}
	for place, data := range places {
		for what, s := range forbidden {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %s", place, what)
			}
		}
	}

	c.must("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := checkDestroyed(sim)(nil); err != nil {
		t.Error(err)
	}
}

// exampleAgeIdentity is the private key of the age recipient the examples
// encrypt to.
func exampleAgeIdentity() string {
	data, err := os.ReadFile(filepath.Join("testdata", "example-age-key.txt"))
	if err != nil {
		panic(err)
	}
	return string(data)
}

// guideAgeLine is the keeping-secrets-safe guide's decryption command.
var guideAgeLine = regexp.MustCompile(`(?m)^terraform output -raw (\S+) \| age -d -i key\.txt$`)

// checkGuideDecryption runs the guide's `terraform output -raw NAME | age
// -d -i key.txt` in the guide's folder, with the examples' key as key.txt
// and age built from the module proxy, and checks that it prints the secret
// SolarNetwork holds for the guide's encrypted token.
func checkGuideDecryption(t *testing.T, sim *simulator.Simulator, run func(args ...string) (string, error), dir string) {
	t.Helper()
	tmpl, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "keeping-secrets-safe.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	m := guideAgeLine.FindSubmatch(tmpl)
	if m == nil {
		t.Fatalf("the guide has no line matching %s", guideAgeLine)
	}
	encrypted, err := run("-chdir="+dir, "output", "-raw", string(m[1]))
	if err != nil {
		t.Fatalf("output -raw %s: %v\n%s", m[1], err, encrypted)
	}
	key := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(key, []byte(exampleAgeIdentity()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ageCommand(t), "-d", "-i", key)
	cmd.Stdin = strings.NewReader(encrypted)
	plain, err := cmd.Output()
	if err != nil {
		t.Fatalf("age -d: %v", err)
	}
	var reporting []simulator.Token
	for _, tok := range nonAdminTokens(sim) {
		if tok.Name == "Reporting" {
			reporting = append(reporting, tok)
		}
	}
	if len(reporting) != 1 || string(plain) != reporting[0].Secret {
		t.Errorf("the guide's command printed %d bytes, not the secret of the Reporting token %v", len(plain), reporting)
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil || bytes.Contains(state, plain) {
		t.Errorf("terraform.tfstate holds the Reporting token's secret (%v)", err)
	}
}
