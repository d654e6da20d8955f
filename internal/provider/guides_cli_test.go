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

	"github.com/hashicorp/go-version"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// guideStep is one step of a guide, as a reader follows it.
type guideStep struct {
	// curls is how many of the guide's curl lines (in the guide's order) to
	// run before this step.
	curls int
	// files are the example files in the working directory from this step
	// on; nil keeps the previous ones.
	files []string
	// edit, if set, changes the files as the guide tells the reader to.
	edit func(name, text string) string
	// args are added to this step's plan and apply.
	args []string
	// plan runs a plan whose summary line the guide quotes (its next
	// "Plan: ..." line); apply applies afterwards.
	plan, apply bool
}

// guideCase is a guide whose quoted plan summaries and solarsim curl lines
// are checked against the CLI and the simulator.
type guideCase struct {
	name string // templates/guides/<name>.md.tmpl, examples/guides/<name>/
	// created names, in order, the placeholder ID in the examples of each
	// token a curl line creates ("" for one the examples find otherwise).
	created    []string
	minVersion string // CLI version the guide's examples need
	// main, if set, stands in for the example's main.tf (whose backend
	// would need a cloud account).
	main  string
	steps []guideStep
	// check, if set, runs after the last step with the CLI and the folder.
	check func(t *testing.T, sim *simulator.Simulator, run func(args ...string) (string, error), dir string)
}

var (
	quotedPlanLine = regexp.MustCompile(`(?m)^Plan: .*$`)
	shellBlock     = regexp.MustCompile("(?s)```(?:shell|sh)\n(.*?)```")
	inlineCurl     = regexp.MustCompile("`(curl [^`\n]+)`")
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
// simulator, making and changing tokens with the guides' own curl lines
// against solarsim's control API, and checks that every "Plan: ..." line a
// guide quotes is what the CLI prints at that step.
func TestAccGuides(t *testing.T) {
	cases := []guideCase{
		{
			name: "getting-started",
			steps: []guideStep{
				{files: []string{"main.tf", "token.tf", "outputs.tf"}, plan: true, apply: true},
				// "Add status = "Disabled" to the resource and plan again".
				{edit: func(name, text string) string {
					if name != "token.tf" {
						return text
					}
					return strings.Replace(text, "  name        = \"Dashboard\"\n", "  name        = \"Dashboard\"\n  status      = \"Disabled\"\n", 1)
				}, plan: true},
			},
		},
		{
			name: "keeping-secrets-safe",
			main: "terraform {\n  required_providers {\n    solarnetwork = {\n      source = \"solarnetwork/solarnetwork\"\n    }\n  }\n}\n",
			steps: []guideStep{
				{files: []string{"main.tf", "token.tf", "outputs.tf", "encrypted.tf"}, apply: true},
				// terraform apply -var dashboard_token_rotation=2027-05-01
				{args: []string{"-var", "dashboard_token_rotation=2027-05-01"}, plan: true},
			},
			check: checkGuideDecryption,
		},
		{
			name:    "replace-vs-merge",
			created: []string{"kF67p6g30eUXQICUgzQf", "pR3nT0k6Lm2QxW9aZc1V"},
			steps: []guideStep{
				// Both tokens made, imported and updated.
				{curls: 2, files: []string{"main.tf", "merge.tf", "replace.tf"}, plan: true, apply: true},
				// Node 200 added to both outside Terraform.
				{curls: 2, plan: true},
			},
		},
		{
			name: "rotating-tokens",
			steps: []guideStep{
				{files: []string{"main.tf", "token.tf", "consumer.tf", "outputs.tf"}, apply: true},
				// SolarNetwork's clock moved 24 days on: the token is due.
				{curls: 1, plan: true},
				// The plan quoted under "Trying it out".
				{plan: true},
			},
		},
		{
			name:       "adopting-s10k-tokens",
			created:    []string{"Wq3RzY8dKc0pLm5TbV2n", ""},
			minVersion: "1.7.0",
			steps: []guideStep{
				// The two tokens made and listed; one imported by ID.
				{curls: 3, files: []string{"main.tf", "by-id.tf"}, plan: true, apply: true},
				// Then the reporting tokens, found by name.
				{files: []string{"main.tf", "by-id.tf", "by-name.tf"}, plan: true, apply: true},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sim := testAccSimulator(t)
			cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
			if c.minVersion != "" && cliVersion(t, cli).LessThan(version.Must(version.NewVersion(c.minVersion))) {
				t.Skipf("the guide's examples need Terraform or OpenTofu %s+", c.minVersion)
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
			quoted := quotedPlanLine.FindAllString(string(tmpl), -1)
			curls := guideCurlLines(string(tmpl))
			for _, l := range curls {
				if !strings.Contains(l, `"$SOLARNETWORK_URL/_sim/`) {
					t.Errorf("curl line %q does not use solarsim's control API at $SOLARNETWORK_URL/_sim/", l)
				}
			}
			ids := map[string]string{}
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

			examples := filepath.Join("..", "..", "examples", "guides", c.name)
			dir := t.TempDir()
			// As a reader of the guides would: the provider from this clone
			// installed by `make install-local`'s script, then init.
			run := localMirrorRunner(t, sim)
			initialized := false
			var summaries []string
			next := 0
			for i, step := range c.steps {
				if next+step.curls > len(curls) {
					t.Fatalf("step %d runs curl lines %d to %d; the guide has %d", i+1, next+1, next+step.curls, len(curls))
				}
				for _, line := range curls[next : next+step.curls] {
					runCurl(line)
				}
				next += step.curls
				if step.files != nil {
					writeGuideFiles(t, examples, dir, step.files, ids, c.main)
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
				if step.plan {
					out, err := run(append([]string{"-chdir=" + dir, "plan", "-input=false", "-no-color"}, step.args...)...)
					if err != nil {
						t.Fatalf("step %d: plan: %v\n%s", i+1, err, out)
					}
					summaries = append(summaries, quotedPlanLine.FindString(out))
				}
				if step.apply {
					if out, err := run(append([]string{"-chdir=" + dir, "apply", "-auto-approve", "-input=false", "-no-color"}, step.args...)...); err != nil {
						t.Fatalf("step %d: apply: %v\n%s", i+1, err, out)
					}
				}
			}
			if next != len(curls) {
				t.Errorf("the steps ran %d of the guide's %d curl lines", next, len(curls))
			}
			if c.check != nil {
				c.check(t, sim, run, dir)
			}
			if created != len(c.created) {
				t.Errorf("the guide's curl lines created %d tokens, want %d", created, len(c.created))
			}
			if !slices.Equal(summaries, quoted) {
				t.Errorf("the guide quotes the plan summaries\n  %s\nbut the CLI printed\n  %s",
					strings.Join(quoted, "\n  "), strings.Join(summaries, "\n  "))
			}
			if out, err := run("-chdir="+dir, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
				t.Fatalf("destroy: %v\n%s", err, out)
			}
		})
	}
}

// writeGuideFiles makes dir hold exactly the named example files, with
// placeholder IDs replaced, and main (if set) as main.tf.
func writeGuideFiles(t *testing.T, examples, dir string, names []string, ids map[string]string, main string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(examples, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for placeholder, id := range ids {
			text = strings.ReplaceAll(text, placeholder, id)
		}
		if name == "main.tf" && main != "" {
			text = main
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
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
