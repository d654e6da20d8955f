package provider

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The adopting guide's `plan -generate-config-out`: the CLI writes a
// configuration for tokens made elsewhere from what the provider reads, the
// apply imports them without changing anything, and the next plan is empty.
func TestAccSecurityToken_generateConfig(t *testing.T) {
	sim := testAccSimulator(t)
	if cli := os.Getenv("TF_ACC_TERRAFORM_PATH"); cli != "" && cliVersion(t, cli).LessThan(version.Must(version.NewVersion("1.7.0"))) {
		// configschema.(*Block).Filter dereferences a nested attribute it
		// filtered out (hashicorp/terraform#34472, fixed in 1.7.0): the CLI
		// crashes before it writes any configuration.
		t.Skip("-generate-config-out crashes Terraform before 1.7 on nested attributes (hashicorp/terraform#34472)")
	}
	expiry := time.Date(2031, 6, 30, 12, 0, 0, 0, time.UTC)
	refresh := true
	data := sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{
		NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour",
		NodeMetadataPaths: []string{"/pm/**"}, RefreshAllowed: &refresh, NotAfter: &expiry,
	})
	if err := sim.SetInfo(data.ID, "Reporting: region 1", "Made with s10k"); err != nil {
		t.Fatal(err)
	}
	user := sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/user/import/**"}})
	if err := sim.SetStatus(user.ID, simulator.StatusDisabled); err != nil {
		t.Fatal(err)
	}
	plain := sim.CreateToken(simulator.TypeReadNodeData, nil)
	before := sim.Tokens()

	run, work := cliRunnerIn(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
provider "solarnetwork" {}
import {
  to = solarnetwork_security_token.reporting
  id = "` + data.ID + `"
}
import {
  to = solarnetwork_security_token.automation
  id = "` + user.ID + `"
}
import {
  to = solarnetwork_security_token.plain
  id = "` + plain.ID + `"
}
`})
	out, err := run("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	if err != nil {
		t.Fatalf("plan -generate-config-out: %v\n%s", err, out)
	}
	if !strings.Contains(out, "3 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the plan does not only import:\n%s", out)
	}
	generated, err := os.ReadFile(filepath.Join(work, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`name            = "Reporting: region 1"`, `"/REGION1/**"`, `status          = "Disabled"`, `"/user/import/**"`} {
		if !strings.Contains(strings.Join(strings.Fields(string(generated)), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("generated.tf lacks %s:\n%s", want, generated)
		}
	}
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply of the generated configuration: %v\n%s", err, out)
	}
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the plan after applying the generated configuration is not empty: %v\n%s", err, out)
	}
	after := sim.Tokens()
	if len(after) != len(before) {
		t.Fatalf("tokens before %d, after %d", len(before), len(after))
	}
	for i := range before {
		if !reflect.DeepEqual(before[i], after[i]) {
			t.Errorf("token %s changed:\nbefore %+v\nafter  %+v", before[i].ID, before[i], after[i])
		}
	}
}
