package provider

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/s10kprofile"
)

// s10kHome makes a home directory with s10k's credentials (mode 0600) and
// config files.
func s10kHome(t *testing.T, credentials, config string) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, s10kprofile.DirName)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, s10kprofile.CredentialsFileName), []byte(credentials), 0o600); err != nil {
		t.Fatal(err)
	}
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, s10kprofile.ConfigFileName), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

const credentialsForOrder = `sn_token_id = "DEFAULT_ID"
sn_token_secret = "default-secret"
[ci]
sn_token_id = "CI_ID"
sn_token_secret = "ci-secret"
`

const configForOrder = `[service-urls]
solaruser = "https://default-profile.example"
[profile.ci.service-urls]
solaruser = "https://ci-profile.example"
`

// The documented order: block, named profile, environment, default
// profile, default URL; a profile's token and secret come as a pair.
func TestResolveCredentialsOrder(t *testing.T) {
	home := s10kHome(t, credentialsForOrder, configForOrder)
	str := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	for _, tc := range []struct {
		name                     string
		url, token, secret, prof string            // the provider block
		env                      map[string]string // SOLARNETWORK_*
		wantURL, wantID, wantSec string
		wantProfile              string // "-" for none
	}{
		{name: "block wins over everything", url: "https://block.example", token: "BLOCK", secret: "block-secret", prof: "ci",
			env:     map[string]string{envToken: "ENV", envSecret: "env-secret", envURL: "https://env.example"},
			wantURL: "https://block.example", wantID: "BLOCK", wantSec: "block-secret", wantProfile: "-"},
		{name: "named profile wins over the environment", prof: "ci",
			env:     map[string]string{envToken: "ENV", envSecret: "env-secret", envURL: "https://env.example"},
			wantURL: "https://ci-profile.example", wantID: "CI_ID", wantSec: "ci-secret", wantProfile: "ci"},
		{name: "profile named by SOLARNETWORK_PROFILE",
			env:     map[string]string{envProfile: "ci"},
			wantURL: "https://ci-profile.example", wantID: "CI_ID", wantSec: "ci-secret", wantProfile: "ci"},
		{name: "block url with a named profile's credentials", url: "https://block.example", prof: "ci",
			wantURL: "https://block.example", wantID: "CI_ID", wantSec: "ci-secret", wantProfile: "ci"},
		{name: "environment wins over the default profile",
			env:     map[string]string{envToken: "ENV", envSecret: "env-secret"},
			wantURL: "https://default-profile.example", wantID: "ENV", wantSec: "env-secret", wantProfile: "-"},
		{name: "default profile when nothing else is set",
			wantURL: "https://default-profile.example", wantID: "DEFAULT_ID", wantSec: "default-secret", wantProfile: ""},
		{name: "environment url wins over the default profile's",
			env:     map[string]string{envURL: "https://env.example"},
			wantURL: "https://env.example", wantID: "DEFAULT_ID", wantSec: "default-secret", wantProfile: ""},
		{name: "a block token pairs with the environment's secret, not a profile's", token: "BLOCK", prof: "ci",
			env:     map[string]string{envSecret: "env-secret"},
			wantURL: "", wantID: "BLOCK", wantSec: "env-secret", wantProfile: "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := providerModel{URL: str(tc.url), Token: str(tc.token), Secret: str(tc.secret), Profile: str(tc.prof)}
			getenv := func(k string) string { return tc.env[k] }
			var diags diag.Diagnostics
			got := resolveCredentials(&cfg, getenv, func() (string, error) { return home, nil }, &diags)
			if diags.HasError() {
				t.Fatal(errorsOf(diags))
			}
			if got.url != tc.wantURL || got.token != tc.wantID || got.secret != tc.wantSec {
				t.Errorf("got url %q token %q secret %q, want %q %q %q", got.url, got.token, got.secret, tc.wantURL, tc.wantID, tc.wantSec)
			}
			gotProfile := "-"
			if got.profile != nil {
				gotProfile = got.profile.Name
			}
			if gotProfile != tc.wantProfile {
				t.Errorf("profile %q, want %q", gotProfile, tc.wantProfile)
			}
		})
	}
}

func TestResolveCredentialsErrorsNameFileAndProfile(t *testing.T) {
	home := s10kHome(t, credentialsForOrder, "")
	credPath := filepath.Join(home, s10kprofile.DirName, s10kprofile.CredentialsFileName)
	resolve := func(profile string, home func() (string, error)) string {
		var diags diag.Diagnostics
		cfg := providerModel{Profile: types.StringValue(profile)}
		resolveCredentials(&cfg, func(string) string { return "" }, home, &diags)
		if len(diags.Errors()) != 1 {
			t.Fatalf("profile %q: %d errors, want 1: %v", profile, len(diags.Errors()), diags)
		}
		d := diags.Errors()[0]
		if p, ok := d.(diag.DiagnosticWithPath); !ok || p.Path().String() != "profile" {
			t.Errorf("error not on the profile attribute: %v", d)
		}
		return d.Detail()
	}
	msg := resolve("office", func() (string, error) { return home, nil })
	for _, want := range []string{`"office"`, credPath, `"ci"`, "default profile"} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing profile: %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "secret\"") || strings.Contains(msg, "ci-secret") {
		t.Errorf("shows a secret: %q", msg)
	}
	if err := os.Chmod(credPath, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := resolve("ci", func() (string, error) { return home, nil }); !strings.Contains(msg, "chmod 600 "+credPath) {
		t.Errorf("readable file: %q", msg)
	}
	if msg := resolve("ci", func() (string, error) { return "", errors.New("$HOME is not defined") }); !strings.Contains(msg, "HOME is not defined") {
		t.Errorf("no home: %q", msg)
	}
}

// A home without s10k files changes nothing: credentials still come from
// the block or the environment, and their absence is the usual error.
func TestResolveCredentialsWithoutS10k(t *testing.T) {
	var diags diag.Diagnostics
	cfg := providerModel{}
	got := resolveCredentials(&cfg, func(string) string { return "" }, func() (string, error) { return t.TempDir(), nil }, &diags)
	if diags.HasError() || got.token != "" || got.secret != "" || got.profile != nil {
		t.Errorf("got %+v, %v", got, diags)
	}
}

// A named s10k profile configures the provider end to end: its credentials
// and its SolarUser URL (the simulator), over the real CLI.
func TestAccProvider_s10kProfile(t *testing.T) {
	sim := testAccSimulator(t)
	id, secret := sim.AdminCredentials()
	home := s10kHome(t, fmt.Sprintf("sn_token_id = \"WRONG\"\nsn_token_secret = \"wrong\"\n\n[sim]\nsn_token_id = %q\nsn_token_secret = %q\n", id, secret),
		fmt.Sprintf("[profile.sim.service-urls]\nsolaruser = %q\n", sim.URL()))
	t.Setenv("HOME", home)
	t.Setenv(envToken, "")
	t.Setenv(envSecret, "")
	t.Setenv(envURL, "")
	t.Setenv(envProfile, "")
	config := `
data "solarnetwork_security_tokens" "all" {}
output "count" { value = length(data.solarnetwork_security_tokens.all.tokens) }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      `provider "solarnetwork" { profile = "office" }` + config,
				ExpectError: regexp.MustCompile(`(?s)Cannot read the s10k profile.*"office".*no\s+such\s+profile.*"sim"`),
			},
			{
				Config: `provider "solarnetwork" { profile = "sim" }` + config,
				Check:  resource.TestCheckOutput("count", "1"),
			},
			{
				PreConfig: func() { t.Setenv(envProfile, "sim") },
				Config:    `provider "solarnetwork" {}` + config,
				Check:     resource.TestCheckOutput("count", "1"),
			},
		},
	})
}
