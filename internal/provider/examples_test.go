package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// exampleCase is one folder of examples/ applied against the simulator.
type exampleCase struct {
	dir      string
	versions []tfversion.TerraformVersionCheck
	vars     config.Variables
	// setup makes the tokens the example refers to and returns the
	// example's placeholder IDs mapped to the simulator's IDs.
	setup func(*simulator.Simulator) map[string]string
	// exclude names files of the folder left out: alternative spellings of
	// the same import, which cannot stand together.
	exclude []string
	// readOnly examples only read the tokens setup made, so those outlive
	// the destroy.
	readOnly bool
	// cli examples use for_each, which the test harness's state checks
	// cannot follow: they run through the CLI directly.
	cli bool
}

// manualStart is the policy the s10k manual's update examples start from.
func manualStart() *simulator.Policy {
	refresh := true
	return &simulator.Policy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: &refresh}
}

// reportingToken is the token the resource examples import.
func reportingToken(sim *simulator.Simulator) map[string]string {
	expiry := time.Date(2027, 10, 29, 23, 45, 0, 0, time.UTC)
	p := manualStart()
	p.NotAfter = &expiry
	return map[string]string{"kF67p6g30eUXQICUgzQf": sim.CreateToken("ReadNodeData", p).ID}
}

// Every example and guide configuration is applied, with its import blocks
// pointed at real tokens, and the next plan must be empty: the docs show
// only configurations that work.
func TestAccExamples(t *testing.T) {
	cases := []exampleCase{
		{dir: "quickstart"},
		{dir: "resources/solarnetwork_security_token", exclude: []string{"import-by-identity.tf"}, setup: reportingToken},
		{
			dir: "resources/solarnetwork_security_token", exclude: []string{"import-by-block.tf"}, setup: reportingToken,
			versions: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		},
		{dir: "data-sources/solarnetwork_security_token", readOnly: true, setup: func(sim *simulator.Simulator) map[string]string {
			return map[string]string{"BvJ5Qk8MnY2-pTz.Xa_3": sim.CreateToken("ReadNodeData", manualStart()).ID}
		}},
		{dir: "data-sources/solarnetwork_caller", readOnly: true},
		{dir: "data-sources/solarnetwork_security_tokens", readOnly: true, setup: func(sim *simulator.Simulator) map[string]string {
			return map[string]string{"BvJ5Qk8MnY2-pTz.Xa_3": sim.CreateToken("ReadNodeData", manualStart()).ID}
		}},
		{dir: "data-sources/solarnetwork_nodes"},
		{dir: "data-sources/solarnetwork_policy_simulation"},
		{dir: "functions/policy_allows", versions: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}},
		{
			dir:      "ephemeral-resources/solarnetwork_security_token",
			versions: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		},
		{
			dir:      "ephemeral-resources/solarnetwork_token_secret",
			versions: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
			vars:     config.Variables{"age_identity": config.StringVariable(exampleAgeIdentity())},
		},
		{dir: "guides/getting-started"},
		{dir: "guides/replace-vs-merge", setup: func(sim *simulator.Simulator) map[string]string {
			return map[string]string{
				"kF67p6g30eUXQICUgzQf": sim.CreateToken("ReadNodeData", manualStart()).ID,
				"pR3nT0k6Lm2QxW9aZc1V": sim.CreateToken("ReadNodeData", manualStart()).ID,
			}
		}},
		{
			dir: "guides/adopting-s10k-tokens",
			cli: true,
			setup: func(sim *simulator.Simulator) map[string]string {
				byName := sim.CreateToken("ReadNodeData", manualStart())
				if err := sim.SetInfo(byName.ID, "Reporting: region 1", ""); err != nil {
					panic(err)
				}
				return map[string]string{"Wq3RzY8dKc0pLm5TbV2n": sim.CreateToken("User", &simulator.Policy{APIPaths: []string{"/user/import/**"}}).ID}
			},
		},
		{dir: "guides/keeping-secrets-safe"},
		{dir: "guides/rotating-tokens"},
	}
	for _, c := range cases {
		name := strings.ReplaceAll(c.dir, "/", "_")
		if len(c.exclude) > 0 {
			name += "_without_" + strings.Join(c.exclude, "_")
		}
		t.Run(name, func(t *testing.T) {
			sim := testAccSimulator(t)
			dir := filepath.Join("..", "..", "examples", c.dir)
			ids := map[string]string{}
			if c.setup != nil {
				ids = c.setup(sim)
			}
			if c.cli {
				runExampleWithCLI(t, sim, dir, ids)
				return
			}
			text := readExample(t, dir, c.exclude...)
			for placeholder, id := range ids {
				if !strings.Contains(text, placeholder) {
					t.Fatalf("example has no ID %s", placeholder)
				}
				text = strings.ReplaceAll(text, placeholder, id)
			}
			checkDestroy := checkDestroyed(sim)
			if c.readOnly {
				checkDestroy = nil
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				TerraformVersionChecks:   c.versions,
				CheckDestroy:             checkDestroy,
				Steps: []resource.TestStep{{
					Config:           providerConfig(sim) + text,
					ConfigVariables:  c.vars,
					ConfigPlanChecks: emptyPlanAfterApply,
				}},
			})
		})
	}
}

// removeBlocks deletes each top-level block whose header matches start,
// skipping braces inside strings.
func removeBlocks(text string, start *regexp.Regexp) string {
	for {
		loc := start.FindStringIndex(text)
		if loc == nil {
			return text
		}
		depth, inString, end := 0, false, len(text)
		for i := loc[1] - 1; i < len(text); i++ {
			switch c := text[i]; {
			case inString && c == '\\':
				i++
			case c == '"':
				inString = !inString
			case !inString && c == '{':
				depth++
			case !inString && c == '}':
				depth--
			}
			if depth == 0 {
				end = i + 1
				break
			}
		}
		text = text[:loc[0]] + text[end:]
	}
}

// guideFolderRunners names, for each folder of examples/guides that holds
// .tf files, the acceptance test that runs it as it is. A folder named
// snippets holds parts of a configuration that no test runs (a backend that
// needs a cloud account); its files say so.
var guideFolderRunners = map[string]string{
	"adopting-s10k-tokens":                  "TestAccGuides, TestAccExamples",
	"getting-started":                       "TestAccGuides, TestAccExamples",
	"keeping-secrets-safe":                  "TestAccGuides, TestAccExamples",
	"keeping-secrets-safe/state-encryption": "TestAccGuideStateEncryption (OpenTofu only)",
	"proving-what-a-token-can-reach":        "TestAccGuideProvingWhatATokenCanReach",
	"replace-vs-merge":                      "TestAccGuides, TestAccExamples",
	"rotating-tokens":                       "TestAccGuides, TestAccExamples",
	"testing-modules":                       "TestAccGuideTestingModules",
}

// Every folder of guide examples is run by a test, or is a snippets folder
// whose files say they are not run.
func TestGuideExampleFoldersRun(t *testing.T) {
	root := filepath.Join("..", "..", "examples", "guides")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		if filepath.Base(dir) == "snippets" {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !strings.HasPrefix(string(data), "# A snippet, not a configuration to run") {
				t.Errorf("%s: a snippet's first line says it is one (# A snippet, not a configuration to run ...)", path)
			}
			return nil
		}
		seen[dir] = true
		if _, ok := guideFolderRunners[dir]; !ok {
			t.Errorf("examples/guides/%s: no test runs this folder (add it to guideFolderRunners with the test that does, or move it to a snippets folder)", dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range guideFolderRunners {
		if !seen[dir] {
			t.Errorf("guideFolderRunners names examples/guides/%s, which has no .tf files", dir)
		}
	}
}
