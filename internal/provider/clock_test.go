package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// testClock is a clock that moves only when a test moves it. The provider
// and the simulator of a clocked test share one, so tokens age, expire and
// come due for rotation without the test sleeping.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// testClockStart is an arbitrary instant: nothing in a clocked test depends
// on the real date.
var testClockStart = time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)

func newTestClock() *testClock { return &testClock{now: testClockStart} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// After is a wait on the clock: it moves the clock on by d and has passed.
func (c *testClock) After(d time.Duration) <-chan time.Time {
	c.Advance(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

// signsIn reports whether SolarNetwork (the simulator, at the test clock)
// accepts a token's credentials. A data token that authenticates is then
// refused SolarUser's whoami for lack of the user role; an expired, disabled or
// unknown one is refused before that, as unauthorized.
func (e *clockedEnv) signsIn(id, secret string) error {
	c, err := client.New(client.Config{URL: e.sim.URL(), Token: id, Secret: secret, Now: e.clock.Now, MaxRetries: new(int)})
	if err != nil {
		return err
	}
	if _, err = c.WhoAmI(context.Background()); client.IsRoleDenied(err) {
		return nil
	}
	return err
}

// recordedDiag is one diagnostic the provider returned.
type recordedDiag struct {
	call, severity, summary, detail, attribute string
}

func (d recordedDiag) String() string {
	return fmt.Sprintf("%s %s [%s] %s: %s", d.call, d.severity, d.attribute, d.summary, d.detail)
}

// diagLog collects the provider's diagnostics. The test harness shows
// errors but drops warnings; clocked tests check both here.
type diagLog struct {
	mu    sync.Mutex
	diags []recordedDiag
}

func (l *diagLog) add(call string, diags []*tfprotov6.Diagnostic) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range diags {
		if d == nil {
			continue
		}
		attr := ""
		if d.Attribute != nil {
			attr = d.Attribute.String()
		}
		sev := "warning"
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			sev = "error"
		}
		l.diags = append(l.diags, recordedDiag{call: call, severity: sev, summary: d.Summary, detail: d.Detail, attribute: attr})
	}
}

// Reset forgets what was recorded; a PreConfig calls it so that a step's
// checks see only that step's diagnostics.
func (l *diagLog) Reset() {
	l.mu.Lock()
	l.diags = nil
	l.mu.Unlock()
}

// matching returns the recorded diagnostics of a call ("read", "plan",
// "apply"; "" for any) whose summary and detail, with white space folded,
// match pattern.
func (l *diagLog) matching(call, pattern string) []recordedDiag {
	re := regexp.MustCompile(pattern)
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []recordedDiag
	for _, d := range l.diags {
		text := strings.Join(strings.Fields(d.summary+": "+d.detail), " ")
		if (call == "" || d.call == call) && re.MatchString(text) {
			out = append(out, d)
		}
	}
	return out
}

func (l *diagLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, d := range l.diags {
		b.WriteString("\n  " + d.String())
	}
	return b.String()
}

// expect checks that a diagnostic of call matching pattern was recorded.
func (l *diagLog) expect(call, pattern string) func(*terraform.State) error {
	return l.expectLater(call, func() string { return pattern })
}

// expectLater is expect with a pattern made when the check runs, from
// values the test learns on the way.
func (l *diagLog) expectLater(call string, pattern func() string) func(*terraform.State) error {
	return func(*terraform.State) error {
		pattern := pattern()
		if len(l.matching(call, pattern)) == 0 {
			return fmt.Errorf("no %s diagnostic matches %q; recorded:%s", call, pattern, l)
		}
		return nil
	}
}

// expectNone checks that no diagnostic matching pattern was recorded.
func (l *diagLog) expectNone(pattern string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if found := l.matching("", pattern); len(found) > 0 {
			return fmt.Errorf("unexpected diagnostics matching %q: %v", pattern, found)
		}
		return nil
	}
}

// recordingServer is the provider server with its diagnostics recorded.
type recordingServer struct {
	tfprotov6.ProviderServer
	log *diagLog
}

func (s recordingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		s.log.add("read", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.log.add("plan", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.log.add("apply", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateResourceConfig(ctx, req)
	if resp != nil {
		s.log.add("validate", resp.Diagnostics)
	}
	return resp, err
}

// The plan judges expiry by the injected clock, not the machine's: an
// expiry years from today is already past on the test clock once moved.
func TestAccProvider_planUsesInjectedClock(t *testing.T) {
	env := testAccClocked(t)
	t0 := env.clock.Now()
	cfg := func(expiry time.Time) string {
		return tokenConfig(env.sim, `
  type            = "ReadNodeData"
  expiration_date = "`+expiration.FormatInstant(expiry)+`"`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(env.sim),
		Steps: []resource.TestStep{
			{Config: cfg(t0.Add(2 * time.Hour)), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() { env.clock.Advance(time.Hour) },
				Config:    cfg(t0.Add(30 * time.Minute)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expired"), knownvalue.Bool(true))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.TestCheckResourceAttr(tokenAddr, "expired", "true"),
			},
		},
	})
}
