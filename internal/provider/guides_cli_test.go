package provider

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// guideStep is one step of a guide, as a reader follows it.
type guideStep struct {
	// curls is how many of the guide's curl lines (in the guide's order) to
	// run before this step.
	curls int
	// clock, if set, moves SolarNetwork's clock to this offset before the
	// step, for a quote the guide shows without a command of its own.
	clock time.Duration
	// files are the example files in the working directory from this step
	// on; nil keeps the previous ones.
	files []string
	// edit, if set, changes the files as the guide tells the reader to.
	edit func(name, text string) string
	// run are the CLI commands of the step, in order.
	run []guideCommand
}

// guideCommand is a CLI command a guide has the reader run, and the
// outputs the guide quotes from what it prints.
type guideCommand struct {
	args   []string // after -chdir; plan and apply get -input=false, every command -no-color
	quotes []string // names of the guide's marked outputs (templates/guides/*.md.tmpl)
}

// plan and apply are the commands the guides run most, each with the
// outputs it prints.
func plan(quotes ...string) guideCommand { return guideCommand{args: []string{"plan"}, quotes: quotes} }
func apply(quotes ...string) guideCommand {
	return guideCommand{args: []string{"apply", "-auto-approve"}, quotes: quotes}
}

// guideCase is a guide whose quoted outputs and solarsim curl lines are
// checked against the CLI and the simulator.
type guideCase struct {
	name string // templates/guides/<name>.md.tmpl, examples/guides/<name>/
	// dir, if set, is the example folder instead of examples/guides/<name>/.
	dir string
	// created names, in order, the placeholder ID in the examples of each
	// token a curl line creates ("" for one the examples find otherwise).
	created []string
	// named maps the other placeholder IDs the guide's outputs show to the
	// name of the token they stand for.
	named      map[string]string
	minVersion string // CLI version the guide's examples need
	// terraform18 are the quotes Terraform 1.8 prints differently from
	// OpenTofu and Terraform 1.5, as the guide says, by name.
	terraform18 map[string][]quoteEdit
	tofuOnly    bool // the examples use what only OpenTofu has
	steps       []guideStep
	// check, if set, runs after the last step with the CLI and the folder.
	check func(t *testing.T, sim *simulator.Simulator, run func(args ...string) (string, error), dir string)
}

var (
	shellBlock = regexp.MustCompile("(?s)```(?:shell|sh)\n(.*?)```")
	inlineCurl = regexp.MustCompile("`(curl [^`\n]+)`")
)

// guideCurlLines returns the guide's curl commands in order: the lines of
// its shell blocks (backslash-continued lines joined) and inline code.
func guideCurlLines(text string) []string {
	type found struct {
		at   int
		line string
	}
	var all []found
	blocks := shellBlock.FindAllStringSubmatchIndex(text, -1)
	for _, b := range blocks {
		joined := strings.ReplaceAll(text[b[2]:b[3]], "\\\n", " ")
		for i, line := range strings.Split(joined, "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "curl ") {
				all = append(all, found{b[0] + i, line})
			}
		}
	}
	for _, m := range inlineCurl.FindAllStringSubmatchIndex(text, -1) {
		inBlock := slices.ContainsFunc(blocks, func(b []int) bool { return m[0] >= b[0] && m[0] < b[1] })
		if !inBlock {
			all = append(all, found{m[0], text[m[2]:m[3]]})
		}
	}
	slices.SortStableFunc(all, func(a, b found) int { return a.at - b.at })
	out := make([]string, 0, len(all))
	for _, f := range all {
		out = append(out, f.line)
	}
	return out
}

// TestAccGuides follows each guide step by step through the CLI against the
// simulator, with the provider installed as `make install-local` installs
// it, making and changing tokens with the guides' own curl lines against
// solarsim's control API, and checks that every output a guide quotes is
// what the CLI prints at that step.
func TestAccGuides(t *testing.T) {
	cases := []guideCase{
		{
			name:  "getting-started",
			named: map[string]string{"VYgknjMi0TLFeKQq42DR": "Dashboard"},
			steps: []guideStep{
				{
					files: []string{"main.tf", "token.tf", "outputs.tf"},
					run:   []guideCommand{plan("getting-started/plan"), apply("getting-started/apply")},
				},
				// "Add status = "Disabled" to the resource and plan again".
				{edit: func(name, text string) string {
					if name != "token.tf" {
						return text
					}
					return strings.Replace(text, "  name        = \"Dashboard\"\n", "  name        = \"Dashboard\"\n  status      = \"Disabled\"\n", 1)
				}, run: []guideCommand{plan("getting-started/disable")}},
			},
		},
		{
			name:  "keeping-secrets-safe",
			named: map[string]string{"VYgknjMi0TLFeKQq42DR": "Dashboard (rotated 2026-11-01)"},
			steps: []guideStep{
				{files: []string{"main.tf", "token.tf", "outputs.tf", "encrypted.tf"}, run: []guideCommand{apply()}},
				// terraform apply -var dashboard_token_rotation=2027-05-01
				{run: []guideCommand{{
					args:   []string{"apply", "-auto-approve", "-var", "dashboard_token_rotation=2027-05-01"},
					quotes: []string{"keeping-secrets-safe/rotate"},
				}}},
			},
			check: checkGuideDecryption,
		},
		{
			name:    "replace-vs-merge",
			created: []string{"kF67p6g30eUXQICUgzQf", "pR3nT0k6Lm2QxW9aZc1V"},
			steps: []guideStep{
				// Both tokens made, imported and updated.
				{
					curls: 2, files: []string{"main.tf", "merge.tf", "replace.tf"},
					run: []guideCommand{plan("replace-vs-merge/merge", "replace-vs-merge/replace"), apply()},
				},
				// Node 200 added to both outside Terraform.
				{curls: 2, run: []guideCommand{
					{args: []string{"apply", "-refresh-only", "-auto-approve"}},
					{args: []string{"state", "show", "solarnetwork_security_token.merged"}, quotes: []string{"replace-vs-merge/merged-state"}},
					plan("replace-vs-merge/drift"),
				}},
				// "/REGION2/**" changed to "/REGION3/**" in merge.tf.
				{edit: func(name, text string) string {
					if name != "merge.tf" {
						return text
					}
					return strings.Replace(text, `source_ids = ["/REGION2/**"]`, `source_ids = ["/REGION3/**"]`, 1)
				}, run: []guideCommand{plan("replace-vs-merge/merge-region3")}},
			},
		},
		{
			name:  "rotating-tokens",
			named: map[string]string{"VYgknjMi0TLFeKQq42DR": "Dashboard"},
			terraform18: map[string][]quoteEdit{"rotating-tokens/due": {{
				old:  "          - \"VYgknjMi0TLFeKQq42DR\",\n          + (known after apply),\n",
				new:  "          ~ \"VYgknjMi0TLFeKQq42DR\" -> (known after apply),\n",
				note: "Terraform 1.8 shows the change of `triggers_replace` as one line, `~ \"VYgknjMi0TLFeKQq42DR\" -> (known after apply),`",
			}}},
			steps: []guideStep{
				{files: []string{"main.tf", "token.tf", "consumer.tf", "outputs.tf"}, run: []guideCommand{apply()}},
				// SolarNetwork's clock moved 24 days on: the token is due.
				{curls: 1, run: []guideCommand{plan("rotating-tokens/due", "rotating-tokens/rehearsal")}},
				// Three days after the token expired, without a rotation.
				{clock: 34 * 24 * time.Hour, run: []guideCommand{plan("rotating-tokens/expired")}},
			},
		},
		{
			name:       "adopting-s10k-tokens",
			created:    []string{"Wq3RzY8dKc0pLm5TbV2n", ""},
			named:      map[string]string{"kF67p6g30eUXQICUgzQf": "Reporting: region 1"},
			minVersion: "1.7.0",
			terraform18: map[string][]quoteEdit{"adopting-s10k-tokens/by-id": {{
				old:  "  # (imported from \"Wq3RzY8dKc0pLm5TbV2n\")\n    resource",
				new:  "    resource",
				note: "Terraform 1.8 leaves out the `# (imported from …)` line",
			}}},
			steps: []guideStep{
				// The two tokens made and listed; one imported by ID.
				{curls: 3, files: []string{"main.tf", "by-id.tf"}, run: []guideCommand{plan("adopting-s10k-tokens/by-id"), apply()}},
				// Then the reporting tokens, found by name.
				{files: []string{"main.tf", "by-id.tf", "by-name.tf"}, run: []guideCommand{plan("adopting-s10k-tokens/by-name"), apply()}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runGuide(t, c)
		})
	}
}

// runGuide follows one guide's steps; see TestAccGuides.
func runGuide(t *testing.T, c guideCase) {
	sim := testAccSimulator(t)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if c.minVersion != "" && cliVersion(t, cli).LessThan(version.Must(version.NewVersion(c.minVersion))) {
		t.Skipf("the guide's examples need Terraform or OpenTofu %s+", c.minVersion)
	}
	if c.tofuOnly && !isOpenTofu(t, cli) {
		t.Skip("the examples need OpenTofu")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the guides' solarsim commands need curl on PATH")
	}
	// The control API beside the API, as solarsim serves them.
	control := httptest.NewServer(sim.HandlerWithControl())
	t.Cleanup(control.Close)

	tmpl, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", c.name+".md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	quotes := newQuoteChecker(t, c.name)
	if !isOpenTofu(t, cli) && !cliVersion(t, cli).LessThan(version.Must(version.NewVersion("1.8.0"))) {
		quotes.variants = c.terraform18
	}
	for name, edits := range c.terraform18 {
		for _, e := range edits {
			if !strings.Contains(string(tmpl), e.note) {
				t.Errorf("the guide does not say how Terraform 1.8 prints %s: %q", name, e.note)
			}
		}
	}
	curls := guideCurlLines(string(tmpl))
	for _, l := range curls {
		if !strings.Contains(l, `"$SOLARNETWORK_URL/_sim/`) {
			t.Errorf("curl line %q does not use solarsim's control API at $SOLARNETWORK_URL/_sim/", l)
		}
	}
	ids := map[string]string{}   // placeholder to real ID
	shown := map[string]string{} // real ID to the placeholder the guide shows
	learnIDs := func() {
		for _, tok := range sim.Tokens() {
			for placeholder, name := range c.named {
				if tok.Name == name {
					shown[tok.ID] = placeholder
				}
			}
		}
		for placeholder, id := range ids {
			shown[id] = placeholder
		}
	}
	created := 0
	runCurl := func(line string) {
		t.Helper()
		for placeholder, id := range ids {
			line = strings.ReplaceAll(line, placeholder, id)
		}
		cmd := exec.CommandContext(context.Background(), "bash", "-euc", line)
		cmd.Env = append(os.Environ(), "SOLARNETWORK_URL="+control.URL)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		var answer any
		if err := json.Unmarshal(out, &answer); err != nil {
			t.Fatalf("%s: not JSON: %s", line, out)
		}
		if m, ok := answer.(map[string]any); ok {
			if msg, failed := m["error"]; failed {
				t.Fatalf("%s: %v", line, msg)
			}
			if strings.Contains(line, "-X POST") && strings.Contains(line, `/_sim/tokens"`) {
				if created >= len(c.created) {
					t.Fatalf("the guide creates more tokens than the test expects: %s", line)
				}
				id, _ := m["id"].(string)
				if placeholder := c.created[created]; placeholder != "" {
					ids[placeholder] = id
				}
				created++
			}
		}
	}

	examples := "guides/" + c.name
	if c.dir != "" {
		examples = c.dir
	}
	dir := t.TempDir()
	// As a reader of the guides would: the provider from this clone
	// installed by `make install-local`'s script, then init.
	run := localMirrorRunner(t, sim)
	initialized := false
	next := 0
	for i, step := range c.steps {
		if next+step.curls > len(curls) {
			t.Fatalf("step %d runs curl lines %d to %d; the guide has %d", i+1, next+1, next+step.curls, len(curls))
		}
		for _, line := range curls[next : next+step.curls] {
			runCurl(line)
		}
		next += step.curls
		if step.clock != 0 {
			sim.SetClockOffset(step.clock)
		}
		if step.files != nil {
			writeGuideFiles(t, examples, dir, step.files, ids)
		}
		if step.edit != nil {
			editGuideFiles(t, dir, step.edit)
		}
		if !initialized {
			if out, err := run("-chdir="+dir, "init", "-input=false", "-no-color"); err != nil {
				t.Fatalf("init with the local mirror: %v\n%s", err, out)
			}
			initialized = true
		}
		for _, command := range step.run {
			args := append([]string{"-chdir=" + dir}, command.args...)
			if command.args[0] == "plan" || command.args[0] == "apply" {
				args = append(args, "-input=false")
			}
			args = append(args, "-no-color")
			learnIDs()
			out, err := run(args...)
			if err != nil {
				t.Fatalf("step %d: %s: %v\n%s", i+1, strings.Join(command.args, " "), err, out)
			}
			learnIDs()
			for _, name := range command.quotes {
				quotes.check(name, out, shown)
			}
		}
	}
	if next != len(curls) {
		t.Errorf("the steps ran %d of the guide's %d curl lines", next, len(curls))
	}
	quotes.done()
	if c.check != nil {
		c.check(t, sim, run, dir)
	}
	if created != len(c.created) {
		t.Errorf("the guide's curl lines created %d tokens, want %d", created, len(c.created))
	}
	if out, err := run("-chdir="+dir, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
}

// writeGuideFiles makes dir hold exactly the named files of the example
// folder (examples/<folder>), with placeholder IDs replaced.
func writeGuideFiles(t *testing.T, folder, dir string, names []string, ids map[string]string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	files := exampleFiles(t, folder, names...)
	for name, text := range files {
		for placeholder, id := range ids {
			text = strings.ReplaceAll(text, placeholder, id)
		}
		files[name] = text
	}
	writeFiles(t, dir, files)
}

// editGuideFiles applies edit to every .tf file of dir; an edit that
// changes nothing is an error (the example no longer reads as expected).
func editGuideFiles(t *testing.T, dir string, edit func(name, text string) string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	changed := false
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := edit(filepath.Base(f), string(data))
		if text == string(data) {
			continue
		}
		changed = true
		if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !changed {
		t.Fatal("the edit changed no example file")
	}
}

// isOpenTofu reports whether the CLI under test is OpenTofu.
func isOpenTofu(t *testing.T, cli string) bool {
	t.Helper()
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	return strings.HasPrefix(string(out), "OpenTofu")
}
