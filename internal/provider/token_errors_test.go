package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// A mistyped node ID fails at apply with advice about node_ids, on that
// attribute, and leaves no token behind.
func TestAccSecurityToken_mistypedNode(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			Config: tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy { node_ids = [101, 1010] }`),
			ExpectError: regexp.MustCompile(`(?s)node_ids = \[101, 1010\].*UNKNOWN_OBJECT.*The node IDs are the likely cause.*` +
				`node_ids\s+\(101,\s+1010\)\s+is\s+not\s+a\s+node.*No\s+token\s+was\s+created`),
		}, {
			PreConfig: func() {
				if toks := nonAdminTokens(sim); len(toks) != 0 {
					t.Errorf("tokens left after the refused create: %+v", toks)
				}
			},
			Config:             tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy { node_ids = [101, 1010] }`),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true, // still to create: nothing was recorded
		}},
	})
}

// A node of another account is refused with ACCESS_DENIED and the same
// kind of advice.
func TestAccSecurityToken_otherAccountNode(t *testing.T) {
	sim := testAccSimulatorWith(t, simulator.Options{OtherNodeIDs: []int64{500}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			Config:      tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy { node_ids = [1, 500] }`),
			ExpectError: regexp.MustCompile(`(?s)ACCESS_DENIED.*The node IDs are the likely cause.*belongs\s+to\s+another\s+account`),
		}},
	})
}

// One failure is one error, whatever the number of resources, after a
// bounded number of requests and a bounded time.
func TestAccProvider_oneFailureOneError(t *testing.T) {
	sim := testAccSimulator(t)
	data := sim.CreateToken(simulator.TypeReadNodeData, nil)
	run := cliRunner(t, sim, map[string]string{"main.tf": `
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}
variable "token" {
  type    = string
  default = null
}
variable "secret" {
  type    = string
  default = null
}
variable "request_timeout" {
  type    = string
  default = null
}
provider "solarnetwork" {
  token           = var.token
  secret          = var.secret
  request_timeout = var.request_timeout
  max_retries     = 2
}
resource "solarnetwork_security_token" "many" {
  count  = 200
  type   = "ReadNodeData"
  policy { node_ids = [count.index + 1] }
}
`})
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		sim.ClearFaults()
		if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
		// The data token is the test's own.
		sim.DeleteToken(data.ID)
		if err := checkDestroyed(sim)(nil); err != nil {
			t.Error(err)
		}
	})
	// plan fails with exactly one error matching want, after at most
	// maxLists list requests (0: not counted) and within limit.
	plan := func(name, want string, maxLists int, limit time.Duration, args ...string) {
		t.Helper()
		sim.ResetRequests()
		start := time.Now()
		out, err := run(append([]string{"plan", "-input=false", "-no-color"}, args...)...)
		elapsed := time.Since(start)
		if err == nil {
			t.Fatalf("%s: plan succeeded:\n%s", name, out)
		}
		if n := strings.Count(out, "Error: "); n != 1 {
			t.Errorf("%s: %d errors, want one:\n%s", name, n, out)
		}
		// The CLI wraps long lines.
		if !regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`)).MatchString(out) {
			t.Errorf("%s: output lacks %s:\n%s", name, want, out)
		}
		if maxLists > 0 {
			if n := sim.Count("GET", "/auth-tokens"); n > maxLists || n == 0 {
				t.Errorf("%s: %d list requests, want 1 to %d", name, n, maxLists)
			}
			if n := len(sim.Requests()); n != sim.Count("GET", "/auth-tokens") {
				t.Errorf("%s: %d requests, only lists expected", name, n)
			}
		}
		if elapsed > limit {
			t.Errorf("%s: plan took %v, over %v", name, elapsed, limit)
		}
	}

	sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 503, Times: -1})
	plan("gateway error", `(?s)HTTP 503 Service Unavailable.*gave up after 3 attempts over.*is unavailable`, 3, time.Minute)
	// Each retry is a warning in the log, with its reason and no secret.
	t.Setenv("TF_LOG", "WARN")
	out, _ := run("plan", "-input=false", "-no-color")
	t.Setenv("TF_LOG", "")
	if n := len(regexp.MustCompile(`\[WARN\].*retrying SolarNetwork request.*reason=.*HTTP 503`).FindAllString(out, -1)); n != 2 {
		t.Errorf("%d retry warnings in the log, want 2:\n%s", n, out)
	}
	if _, secret := sim.AdminCredentials(); strings.Contains(out, secret) {
		t.Error("the log holds the secret")
	}
	sim.ClearFaults()

	sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 200, Times: -1, ContentType: "text/html",
		Body: "<html><head><title>Hotel Wi-Fi: sign in</title></head><body>Accept the terms</body></html>"})
	plan("captive portal", `(?s)HTTP 200, but the answer cannot be read: it is text/html, not SolarNetwork's JSON \(text/html: "Hotel Wi-Fi: sign in"\).*may have answered instead`,
		1, time.Minute)
	sim.ClearFaults()

	plan("wrong secret", `(?s)HTTP 403: Bad credentials.*the secret is wrong`, 1, time.Minute, "-var", "secret=not-the-secret-at-all")

	plan("data token", `(?s)HTTP 403: Access Denied.*is not a User token`, 1, time.Minute,
		"-var", "token="+data.ID, "-var", "secret="+data.Secret)

	sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 403, Times: -1, ContentType: "text/html",
		Body: "<html><head><title>Access blocked by policy</title></head><body>Web filter</body></html>"})
	plan("proxy page", `(?s)not SolarNetwork's \(text/html: "Access blocked by policy"\).*says nothing about the provider's credentials`,
		1, time.Minute)
	sim.ClearFaults()

	// A list that never answers ends after (max_retries + 1) request
	// timeouts plus the waits between them. (The simulator logs a request
	// only when its client has gone, so the error counts the attempts.)
	sim.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Delay: 10 * time.Minute, Times: -1})
	plan("hung answer", `(?s)no complete answer within the request timeout of 1s.*gave up after 3 attempts.*request_timeout`,
		0, 45*time.Second, "-var", "request_timeout=1s")
	sim.ClearFaults()
}

// A create that runs out of its timeouts block fails when the time is up,
// and the token SolarNetwork made meanwhile is deleted.
func TestAccSecurityToken_createTimeout(t *testing.T) {
	sim := testAccSimulator(t)
	cfg := tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`timeouts { create = "2s" }`)
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.InjectFault(simulator.Fault{Method: "POST", Path: "/generate/ReadNodeData", AfterHandling: true, Delay: 10 * time.Minute})
					start = time.Now()
				},
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not create the security token.*ran\s+out\s+of\s+its\s+2s.*the\s+token\s+it\s+made\s+anyway\s+\(\S+\)\s+was\s+found\s+by\s+its\s+marker\s+and\s+deleted.*` +
					`ran\s+out\s+of\s+the\s+2s\s+its\s+timeouts\s+block\s+allows`),
			},
			{
				PreConfig: func() {
					if elapsed := time.Since(start); elapsed > time.Minute {
						t.Errorf("the create took %v despite its 2s timeout", elapsed)
					}
					if toks := nonAdminTokens(sim); len(toks) != 0 {
						t.Errorf("tokens left after the timed-out create: %+v", toks)
					}
				},
				Config:      tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`timeouts { create = "soon" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)create = "soon".*"soon" must be a string containing a sequence`),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
			},
		},
	})
}

// Importing something that cannot be a token ID says so, instead of
// "Cannot import non-existent remote object", and sends no request.
func TestAccSecurityToken_importMalformedID(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig:     sim.ResetRequests,
			Config:        tokenConfig(sim, `type = "User"`),
			ResourceName:  tokenAddr,
			ImportState:   true,
			ImportStateId: "solarnetwork_security_token.test",
			ExpectError:   regexp.MustCompile(`(?s)Invalid token ID to import.*"solarnetwork_security_token.test" has 32\s+characters: a\s+SolarNetwork\s+token\s+ID\s+has\s+exactly\s+20\s+characters`),
		}},
	})
	if n := len(sim.Requests()) - sim.Count("GET", "/auth-tokens"); n != 0 {
		t.Errorf("%d requests besides the provider's list", n)
	}
}

// A server that does not keep a restriction (an older SolarNetwork without
// api paths) never leaves a token less restricted than written: the apply
// fails naming the attribute, and no token is left, in SolarNetwork or state.
func TestAccSecurityToken_policyNotKept(t *testing.T) {
	sim := testAccSimulatorWith(t, simulator.Options{UnknownPolicyFields: []string{"apiPaths"}})
	config := tokenConfig(sim, `type = "User"`+"\n"+`policy { api_paths = ["/datum/**"] }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)did not keep the token.s policy.*policy\.api_paths.*The\s+token\s+was\s+deleted`),
		}, {
			PreConfig: func() {
				if toks := nonAdminTokens(sim); len(toks) != 0 {
					t.Errorf("tokens left after the refused create: %+v", toks)
				}
			},
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true, // still to create: nothing was recorded
		}},
	})
}

// A create that times out while SolarNetwork is still making the token:
// neither list of the clean-up shows it, and the error does not say that
// nothing was left but names the type and the marker expiry, at which the
// token that appears later indeed stops working.
func TestAccSecurityToken_createTimeoutSlowServer(t *testing.T) {
	env := testAccClocked(t)
	sim := env.sim
	cfg := tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`timeouts { create = "2s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.InjectFault(simulator.Fault{Method: "POST", Path: "/generate/ReadNodeData", LandAfter: time.Hour})
				},
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not create the security token.*no\s+token\s+carrying\s+its\s+marker\s+was\s+found.*` +
					`if\s+SolarNetwork\s+still\s+completes\s+it,\s+that\s+token\s+is\s+unusable.*stops\s+working\s+at\s+\S+;\s+it\s+is\s+a\s+ReadNodeData\s+token`),
			},
			{
				PreConfig: func() {
					if toks := nonAdminTokens(sim); len(toks) != 0 {
						t.Errorf("tokens before the slow one lands: %+v", toks)
					}
					env.clock.Advance(time.Hour)
					toks := nonAdminTokens(sim)
					if len(toks) != 1 || toks[0].Policy == nil || toks[0].Policy.NotAfter == nil {
						t.Fatalf("tokens after it landed: %+v", toks)
					}
					marker := toks[0].Policy.NotAfter.UTC().Format(time.RFC3339Nano)
					if len(env.diags.matching("apply", `stops working at `+regexp.QuoteMeta(marker)+`;`)) == 0 {
						t.Errorf("the error does not name the landed token's expiry %s:%s", marker, env.diags)
					}
					sim.DeleteToken(toks[0].ID)
				},
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
			},
		},
	})
}
