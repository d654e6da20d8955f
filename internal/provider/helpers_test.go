package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/protocol"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// testAccProviders serves the provider in-process to the CLI under test.
// Its waits (the second look of a clean-up) end at once.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"solarnetwork": func() (tfprotov6.ProviderServer, error) {
		return protocol.NewServer(newWithTimers("test", nil, passedNow)())
	},
}

// passedNow is a wait that has already passed.
func passedNow(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}

// testAccSimulator starts a SolarNetwork simulator for one test. Acceptance
// tests skip unless TF_ACC is set, as terraform-plugin-testing expects.
func testAccSimulator(t *testing.T) *simulator.Simulator {
	t.Helper()
	return testAccSimulatorWith(t, simulator.Options{})
}

// testAccSimulatorWith is testAccSimulator with options, such as a clock.
func testAccSimulatorWith(t *testing.T, opts simulator.Options) *simulator.Simulator {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
	sim := simulator.New(opts)
	sim.Start()
	t.Cleanup(sim.Close)
	return sim
}

// providerConfig points the provider at sim. Each test has its own
// simulator, so tests can run in parallel.
func providerConfig(sim *simulator.Simulator) string {
	id, secret := sim.AdminCredentials()
	return fmt.Sprintf(`
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
}
`, sim.URL(), id, secret)
}

// clockedEnv is a simulator and a provider that share a testClock, with the
// provider's diagnostics recorded.
type clockedEnv struct {
	clock     *testClock
	sim       *simulator.Simulator
	diags     *diagLog
	providers map[string]func() (tfprotov6.ProviderServer, error)
}

// testAccClocked starts a simulator on a test clock and makes provider
// factories that use the same clock. Acceptance tests skip without TF_ACC.
func testAccClocked(t *testing.T) *clockedEnv {
	t.Helper()
	clock := newTestClock()
	sim := testAccSimulatorWith(t, simulator.Options{Now: clock.Now})
	log := &diagLog{}
	return &clockedEnv{
		clock: clock,
		sim:   sim,
		diags: log,
		providers: map[string]func() (tfprotov6.ProviderServer, error){
			"solarnetwork": func() (tfprotov6.ProviderServer, error) {
				server, err := protocol.NewServer(newWithTimers("test", clock.Now, clock.After)())
				return recordingServer{ProviderServer: server, log: log}, err
			},
		},
	}
}

// tokenDataChecks is what a data source shows for tok: every attribute
// (ObjectExact, so an extra attribute such as a secret fails the check).
func tokenDataChecks(tok simulator.Token, expiresAt, expired, policy knownvalue.Check) map[string]knownvalue.Check {
	orNull := func(s string) knownvalue.Check {
		if s == "" {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(s)
	}
	return map[string]knownvalue.Check{
		"id":          knownvalue.StringExact(tok.ID),
		"type":        knownvalue.StringExact(tok.Type),
		"name":        orNull(tok.Name),
		"description": orNull(tok.Description),
		"status":      knownvalue.StringExact(tok.Status),
		"expires_at":  expiresAt,
		"expired":     expired,
		"created":     knownvalue.StringExact(tok.Created.UTC().Format("2006-01-02T15:04:05.000000Z")),
		"user_id":     knownvalue.Int64Exact(simulator.DefaultUserID),
		"policy":      policy,
	}
}

// noSecretsInState fails when any attribute is named like a secret or holds
// the secret of any token of sim.
func noSecretsInState(sim *simulator.Simulator) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(k, "secret") {
					return fmt.Errorf("%s has attribute %s", addr, k)
				}
				for _, tok := range sim.Tokens() {
					if v == tok.Secret {
						return fmt.Errorf("%s.%s holds the secret of token %s", addr, k, tok.ID)
					}
				}
			}
		}
		return nil
	}
}

// cliVersion reads the version of the CLI under test.
func cliVersion(t *testing.T, cli string) *version.Version {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	return version.Must(version.NewVersion(v.Version))
}

// cliRunner runs the CLI under test in a folder holding files, with the
// provider built from this tree as a dev override and credentials for sim
// in the environment.
func cliRunner(t *testing.T, sim *simulator.Simulator, files map[string]string) func(args ...string) (string, error) {
	t.Helper()
	run, _ := cliRunnerIn(t, sim, files)
	return run
}

// cliRunnerIn is cliRunner that also returns the working directory.
func cliRunnerIn(t *testing.T, sim *simulator.Simulator, files map[string]string) (func(args ...string) (string, error), string) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	work := t.TempDir()
	writeFiles(t, work, files)
	rc := filepath.Join(work, "cli.tfrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"solarnetwork/solarnetwork\" = %q\n  }\n  direct {}\n}\n", providerBinary(t))
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	token, secret := sim.AdminCredentials()
	return func(args ...string) (string, error) {
		cmd := exec.CommandContext(context.Background(), cli, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"SOLARNETWORK_URL="+sim.URL(), "SOLARNETWORK_TOKEN="+token, "SOLARNETWORK_SECRET="+secret)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}, work
}

// writeFiles writes files (names relative to dir, "tests/a.tftest.hcl"
// included) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// exampleFiles reads the named files of an example folder (examples/<folder>,
// such as "guides/testing-modules"), keyed by their names in it; with no
// names, every .tf file of the folder.
func exampleFiles(t *testing.T, folder string, names ...string) map[string]string {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", filepath.FromSlash(folder))
	if len(names) == 0 {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
		if len(paths) == 0 {
			t.Fatalf("no .tf files in %s", dir)
		}
		for _, path := range paths {
			names = append(names, filepath.Base(path))
		}
	}
	files := map[string]string{}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	return files
}

// localMirrorRunner is cliRunner with the CLI configuration that
// scripts/install-local.sh (make install-local) writes: the provider from a
// local filesystem mirror, so that `init` works as the guides show.
func localMirrorRunner(t *testing.T, sim *simulator.Simulator) func(args ...string) (string, error) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	dir := t.TempDir()
	binary := filepath.Join(providerBinary(t), "terraform-provider-solarnetwork")
	out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "install-local.sh"), binary, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("install-local.sh: %v\n%s", err, out)
	}
	rc := strings.TrimSpace(string(out))
	token, secret := sim.AdminCredentials()
	return func(args ...string) (string, error) {
		cmd := exec.CommandContext(context.Background(), cli, args...)
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"SOLARNETWORK_URL="+sim.URL(), "SOLARNETWORK_TOKEN="+token, "SOLARNETWORK_SECRET="+secret)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
}

// readExample joins a folder's .tf files, without the terraform and
// provider blocks: the test supplies the provider and its simulator.
func readExample(t *testing.T, dir string, exclude ...string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s", dir)
	}
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		if slices.Contains(exclude, filepath.Base(f)) {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(removeBlocks(string(data), regexp.MustCompile(`(?m)^(terraform|provider\s+"solarnetwork")\s*\{`)))
		b.WriteString("\n")
	}
	return b.String()
}

// unitResource returns a configured resource and its simulator.
func unitResource(t *testing.T) (*tokenResource, *simulator.Simulator) {
	t.Helper()
	return unitResourceWith(t, simulator.Options{})
}

// unitResourceWith is unitResource with a simulator of these options; the
// provider shares the simulator's clock, if it has one.
func unitResourceWith(t *testing.T, opts simulator.Options) (*tokenResource, *simulator.Simulator) {
	t.Helper()
	sim := simulator.New(opts)
	u := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	c, err := client.New(client.Config{URL: u, Token: id, Secret: secret, Now: opts.Now, After: passedNow})
	if err != nil {
		t.Fatal(err)
	}
	return &tokenResource{store: client.NewTokenStore(c)}, sim
}

func nullRaw() tftypes.Value {
	return tftypes.NewValue(unitSchema.Type().TerraformType(context.Background()), nil)
}

// newModel is a configuration as Terraform sends it: computed attributes
// unknown, defaults applied.
func newModel() tokenModel {
	return tokenModel{
		ID: types.StringUnknown(), Type: types.StringValue(client.TokenTypeReadNodeData),
		Name: types.StringNull(), Description: types.StringNull(), Status: types.StringValue(client.StatusActive),
		ExpirationDate: types.StringNull(), TimeZone: types.StringNull(), ExpiresAt: types.StringUnknown(),
		Policy: types.ObjectNull(policyAttrTypes), PolicyUpdate: types.StringValue(policyUpdateReplace),
		EffectivePolicy: types.ObjectUnknown(policyAttrTypes), Secret: types.StringUnknown(),
		Created: types.StringUnknown(), UserID: types.Int64Unknown(), Expired: types.BoolUnknown(),
		AllowExpired: types.BoolNull(), Timeouts: nullTimeouts(),
		Rotation: types.ObjectNull(rotationType().(types.ObjectType).AttrTypes), ReadyForRotation: types.BoolUnknown(),
		OnDestroy:        types.StringValue(onDestroyDelete),
		SecretRecipients: types.SetNull(types.StringType), EncryptedSecret: types.StringUnknown(),
	}
}

// emptyPrivate is an empty private state, as the framework gives every
// response; its type is internal to the framework, so it is inferred.
func emptyPrivate[T any](*T) *T { return new(T) }

// nullTimeouts is an absent timeouts block.
func nullTimeouts() timeouts.Value {
	tt := unitSchema.Blocks["timeouts"].Type().(timeouts.Type)
	v, _ := tt.ValueFromObject(context.Background(), types.ObjectNull(tt.AttrTypes))
	return v.(timeouts.Value)
}

func planOf(t *testing.T, m tokenModel) tfsdk.Plan {
	t.Helper()
	p := tfsdk.Plan{Schema: unitSchema, Raw: nullRaw()}
	if d := p.Set(context.Background(), &m); d.HasError() {
		t.Fatalf("plan: %v", d)
	}
	return p
}

func stateOf(t *testing.T, m *tokenModel) tfsdk.State {
	t.Helper()
	s := tfsdk.State{Schema: unitSchema, Raw: nullRaw()}
	if m != nil {
		if d := s.Set(context.Background(), m); d.HasError() {
			t.Fatalf("state: %v", d)
		}
	}
	return s
}

// stateID returns the id of the resource at addr, for use in PreConfig edits.
type idRecorder struct{ id string }

func mustEdit(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("out-of-band edit: %v", err)
	}
}

// tokenHistory keeps the IDs (and secrets) the test resource had, in order.
type tokenHistory struct {
	ids, secrets []string
}

// nonAdminTokens lists the tokens the test made.
func nonAdminTokens(sim *simulator.Simulator) []simulator.Token {
	admin, _ := sim.AdminCredentials()
	var out []simulator.Token
	for _, tok := range sim.Tokens() {
		if tok.ID != admin {
			out = append(out, tok)
		}
	}
	return out
}

func tokenConfig(sim *simulator.Simulator, body string) string {
	return providerConfig(sim) + `
resource "solarnetwork_security_token" "test" {
` + body + `
}`
}

func sameElements(what string, got, want []string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s %q, want %q", what, got, want)
	}
	seen := map[string]bool{}
	for _, v := range got {
		seen[v] = true
	}
	for _, v := range want {
		if !seen[v] {
			return fmt.Errorf("%s %q, want %q", what, got, want)
		}
	}
	return nil
}

// expectCalls checks the simulator's request counters since the last reset.
// Keys are "METHOD path-suffix".
func expectCalls(sim *simulator.Simulator, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for key, n := range want {
			var method, suffix string
			_, _ = fmt.Sscanf(key, "%s %s", &method, &suffix)
			if got := sim.Count(method, suffix); got != n {
				return fmt.Errorf("%d %s requests, want %d", got, key, n)
			}
		}
		return nil
	}
}

// emptyPlanAfterApply is added to every apply step: the next plan is empty.
var emptyPlanAfterApply = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// simToken checks the token the test resource names, as the simulator holds it.
func simToken(sim *simulator.Simulator, check func(simulator.Token) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[tokenAddr]
		if !ok {
			return fmt.Errorf("%s not in state", tokenAddr)
		}
		tok, found := sim.Token(rs.Primary.ID)
		if !found {
			return fmt.Errorf("token %s of %s is not in SolarNetwork", rs.Primary.ID, tokenAddr)
		}
		return check(tok)
	}
}

// checkDestroyed verifies that no token is left but the provider's own.
func checkDestroyed(sim *simulator.Simulator) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, tok := range nonAdminTokens(sim) {
			return fmt.Errorf("token %s (%s) still exists after destroy", tok.ID, tok.Type)
		}
		return nil
	}
}

func equalInt64s(got, want []int64) error {
	if !slices.Equal(got, want) {
		return fmt.Errorf("node ids %v, want %v", got, want)
	}
	return nil
}
