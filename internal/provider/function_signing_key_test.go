package provider

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// signingKeyVector is one signing key of SolarNetwork's own SNWS2 test
// vectors (internal/client/testdata): a secret, a UTC day and its key.
type signingKeyVector struct {
	name, tokenID, secret, key string
	day                        time.Time
}

// signingKeyVectors reads the distinct signing keys of the SNWS2 vectors.
func signingKeyVectors(t testing.TB) []signingKeyVector {
	t.Helper()
	data, err := os.ReadFile("../testdata/snws2-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []struct {
			Name  string `json:"name"`
			Input struct {
				TokenID     string `json:"tokenId"`
				TokenSecret string `json:"tokenSecret"`
				SigningDate string `json:"signingDate"`
			} `json:"input"`
			Expected map[string]string `json:"expected"`
			Derived  map[string]string `json:"derived"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []signingKeyVector
	for _, v := range doc.Vectors {
		key, ok := v.Expected["signingKeyHex"]
		if !ok {
			key, ok = v.Derived["signingKeyHex"]
		}
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		day, err := time.Parse("20060102", v.Input.SigningDate)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		out = append(out, signingKeyVector{name: v.Name, tokenID: v.Input.TokenID, secret: v.Input.TokenSecret, key: key, day: day})
	}
	if len(out) < 2 {
		t.Fatalf("want at least two distinct signing keys in the vectors, found %d", len(out))
	}
	return out
}

// runSigningKey calls the function as the framework would.
func runSigningKey(secret, date string) (string, *function.FuncError) {
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(secret), types.StringValue(date)})}
	resp := function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	newSigningKeyFunction().Run(context.Background(), req, &resp)
	if resp.Error != nil {
		return "", resp.Error
	}
	return resp.Result.Value().(types.String).ValueString(), nil
}

func TestSigningKeyFunctionVectors(t *testing.T) {
	for _, v := range signingKeyVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			// Every spelling of the same UTC day gives the vector's key,
			// including timestamps whose local date is the day before or after.
			dates := []string{
				v.day.Format(time.DateOnly),
				v.day.Format(time.RFC3339),
				v.day.Add(24*time.Hour - time.Second).Format(time.RFC3339),
				v.day.Add(time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339),
				v.day.Add(20 * time.Hour).In(time.FixedZone("", 13*3600)).Format(time.RFC3339Nano),
				v.day.Add(14*time.Hour + 30*time.Minute + 250*time.Millisecond).Format(time.RFC3339Nano),
			}
			for _, date := range dates {
				got, ferr := runSigningKey(v.secret, date)
				if ferr != nil {
					t.Errorf("signing_key(secret, %q): %s", date, ferr.Text)
				} else if got != v.key {
					t.Errorf("signing_key(secret, %q) = %s, want %s", date, got, v.key)
				}
			}
			for _, other := range []time.Time{v.day.AddDate(0, 0, -1), v.day.AddDate(0, 0, 1)} {
				if got, _ := runSigningKey(v.secret, other.Format(time.DateOnly)); got == v.key {
					t.Errorf("the key for %s is the key for %s", other.Format(time.DateOnly), v.day.Format(time.DateOnly))
				}
			}
		})
	}
}

func TestSigningKeyFunctionErrors(t *testing.T) {
	const secret = "test-token-secret"
	if _, ferr := runSigningKey("", "2017-04-25"); ferr == nil || ferr.FunctionArgument == nil || *ferr.FunctionArgument != 0 ||
		!strings.Contains(ferr.Text, "secret must not be empty") {
		t.Errorf("empty secret: error = %+v, want one naming argument 0, secret", ferr)
	}
	for _, date := range []string{"", "2017-04-25T14:30:00", "25/04/2017", "20170425", "2017-13-01", " 2017-04-25", "2017-04-25T14:30:00+25:00", "tomorrow"} {
		_, ferr := runSigningKey(secret, date)
		if ferr == nil || ferr.FunctionArgument == nil || *ferr.FunctionArgument != 1 {
			t.Errorf("date %q: error = %+v, want one naming argument 1", date, ferr)
			continue
		}
		if !strings.Contains(ferr.Text, "date \""+date+"\" is neither") {
			t.Errorf("date %q: error %q does not name the date", date, ferr.Text)
		}
		if strings.Contains(ferr.Text, secret) {
			t.Errorf("date %q: error %q contains the secret", date, ferr.Text)
		}
	}
}

// The key works as SolarNetwork says: a request signed with the key for day D
// is accepted when dated D to D+6 and refused otherwise. The simulator checks
// signatures with its own SNWS2 code.
func TestSigningKeyFunctionSignsRequests(t *testing.T) {
	v := signingKeyVectors(t)[0]
	key, ferr := runSigningKey(v.secret, v.day.Format(time.DateOnly))
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	for days, want := range map[int]int{-1: http.StatusForbidden, 0: http.StatusOK, 3: http.StatusOK, 6: http.StatusOK, 7: http.StatusForbidden} {
		at := v.day.Add(14*time.Hour+30*time.Minute).AddDate(0, 0, days)
		sim := simulator.New(simulator.Options{AdminTokenID: v.tokenID, AdminSecret: v.secret, Now: func() time.Time { return at }})
		sim.Start()
		if got := whoamiSignedWithKey(t, sim.URL(), v.tokenID, key, at); got != want {
			t.Errorf("request dated %d days after the key's date: HTTP %d, want %d", days, got, want)
		}
		sim.Close()
	}
}

// whoamiSignedWithKey sends SolarQuery's whoami signed with a signing key
// instead of a secret, as a dashboard holding only the key does.
func whoamiSignedWithKey(t *testing.T, baseURL, tokenID, keyHex string, at time.Time) int {
	t.Helper()
	key, err := hex.DecodeString(keyHex)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, baseURL+"/solarquery/api/v1/sec/whoami", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-SN-Date", at.UTC().Format(http.TimeFormat))
	headers := req.Header.Clone()
	headers.Set("Host", req.URL.Host)
	signed := []string{"host", "x-sn-date"}
	canonical := client.CanonicalRequest(req.Method, req.URL.EscapedPath(), url.Values{}, headers, signed, client.EmptyBodySHA256Hex)
	req.Header.Set("Authorization", client.AuthorizationHeader(tokenID, signed, client.Signature(key, client.StringToSign(at, canonical))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// Through the CLI: the vectors' keys, sensitivity following the secret,
// errors naming the argument, and the documented example against the
// simulator.
func TestAccFunctionSigningKey(t *testing.T) {
	sim := testAccSimulator(t)
	vectors := signingKeyVectors(t)
	var cfg strings.Builder
	var checks []statecheck.StateCheck
	for i, v := range vectors {
		// The second spelling is the previous local day in UTC-5.
		offset := v.day.Add(3 * time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
		fmt.Fprintf(&cfg, "output \"key_%d\" {\n  value = provider::solarnetwork::signing_key(%q, %q)\n}\n", i, v.secret, v.day.Format(time.DateOnly))
		fmt.Fprintf(&cfg, "output \"key_%d_offset\" {\n  value = provider::solarnetwork::signing_key(%q, %q)\n}\n", i, v.secret, offset)
		checks = append(checks,
			statecheck.ExpectKnownOutputValue(fmt.Sprintf("key_%d", i), knownvalue.StringExact(v.key)),
			statecheck.ExpectKnownOutputValue(fmt.Sprintf("key_%d_offset", i), knownvalue.StringExact(v.key)))
	}
	v := vectors[0]
	call := func(secret, date string) string {
		return fmt.Sprintf("provider::solarnetwork::signing_key(%s, %q)", secret, date)
	}
	example := readExample(t, filepath.Join("..", "..", "examples", "functions", "signing_key"))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// Provider functions: Terraform 1.8+, OpenTofu 1.7+ (which this
		// check, reading Terraform's numbering, skips below 1.8 too).
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy:           checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg.String(), ConfigStateChecks: checks},
			{
				// A sensitive secret makes the result sensitive.
				Config:      fmt.Sprintf("output \"key\" {\n  value = %s\n}\n", call(fmt.Sprintf("sensitive(%q)", v.secret), v.day.Format(time.DateOnly))),
				ExpectError: regexp.MustCompile(`(?i)output refers to sensitive values`),
			},
			{
				Config:            fmt.Sprintf("output \"key\" {\n  value     = %s\n  sensitive = true\n}\n", call(fmt.Sprintf("sensitive(%q)", v.secret), v.day.Format(time.DateOnly))),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("key", knownvalue.StringExact(v.key))},
			},
			{
				Config:      fmt.Sprintf("output \"key\" {\n  value = %s\n}\n", call(`""`, "2017-04-25")),
				ExpectError: regexp.MustCompile(`secret\s+must\s+not\s+be\s+empty`),
			},
			{
				Config:      fmt.Sprintf("output \"key\" {\n  value = %s\n}\n", call(fmt.Sprintf("%q", v.secret), "25/04/2017")),
				ExpectError: regexp.MustCompile(`date\s+"25/04/2017"\s+is\s+neither\s+a\s+date`),
			},
			{
				Config:           providerConfig(sim) + example,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            exampleKeyMatchesSecret,
			},
		},
	})
}

// exampleKeyMatchesSecret checks the example's output against the key of the
// token's secret for today (or yesterday, should the run cross midnight UTC).
func exampleKeyMatchesSecret(s *terraform.State) error {
	rs, ok := s.RootModule().Resources["solarnetwork_security_token.dashboard"]
	if !ok {
		return fmt.Errorf("no solarnetwork_security_token.dashboard in state")
	}
	secret := rs.Primary.Attributes["secret"]
	out, ok := s.RootModule().Outputs["dashboard_signing_key"]
	if !ok || secret == "" {
		return fmt.Errorf("no dashboard_signing_key output or no secret in state")
	}
	now := time.Now().UTC()
	for _, day := range []time.Time{now, now.AddDate(0, 0, -1)} {
		if out.Value == hex.EncodeToString(client.SigningKey(secret, day)) {
			return nil
		}
	}
	return fmt.Errorf("dashboard_signing_key is not the signing key of the token's secret for today")
}
