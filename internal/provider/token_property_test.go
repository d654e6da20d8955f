package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Property tests: random valid configurations, each applied, imported and
// then changed outside Terraform, through the CLI. For every one:
//   - after apply, SolarNetwork holds exactly the configuration and the
//     next plan is empty;
//   - importing the token reads back the same state (the secret aside) and
//     plans no change but what an import cannot know (the mode, and an
//     expiry's spelling);
//   - after an out-of-band edit (the policy replaced or merged, the status
//     or name changed, the token deleted) the plan brings back exactly what
//     Terraform owns: the whole configuration with policy_update =
//     "replace", only what is configured with "merge", keeping what others
//     added; the apply does so and the plan after it is empty.
//
// Each run draws propertyCases() cases from a seed it logs.
// SOLARNETWORK_PROPERTY_SEED=n reruns a seed; SOLARNETWORK_PROPERTY_CASES=n
// draws more (or fewer) cases.

// propertyNodes are nodes the simulator's account owns by default.
var propertyNodes = []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 101, 107, 164}

func propertySeed(t *testing.T) uint64 {
	if s := os.Getenv("SOLARNETWORK_PROPERTY_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SOLARNETWORK_PROPERTY_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

func propertyCases(t *testing.T) int {
	if s := os.Getenv("SOLARNETWORK_PROPERTY_CASES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SOLARNETWORK_PROPERTY_CASES=%q: want a positive number", s)
		}
		return n
	}
	return 3
}

// tokenCase is one random configuration and what SolarNetwork must hold
// for it.
type tokenCase struct {
	tokenType, mode   string
	name, description string
	status            string // "" when not configured
	// expiration and zone as written; expiry is the instant they mean.
	expiration, zone string
	expiry           *time.Time
	// canonicalExpiry is true when expiration is spelled as the provider
	// reads it back (RFC 3339 UTC), so an import keeps it.
	canonicalExpiry bool
	// policy is the configured block: nil for none, empty for "policy {}".
	policy *client.SecurityPolicy
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// some returns a random non-empty subset of from, in random order.
func some[T any](r *rand.Rand, from []T) []T {
	out := slices.Clone(from)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:1+r.IntN(min(3, len(out)))]
}

// randomPolicy draws a policy whose fields are each set or not; nil for
// none at all.
func randomPolicy(r *rand.Rand) *client.SecurityPolicy {
	if r.IntN(6) == 0 {
		return nil
	}
	p := &client.SecurityPolicy{}
	maybe := func() bool { return r.IntN(2) == 0 }
	if maybe() {
		p.NodeIDs = client.SortedNodeIDs(some(r, propertyNodes))
	}
	if maybe() {
		p.SourceIDs = some(r, []string{"/a/**", "/b/*", "/REGION1/**", "/s?/x", "/**"})
	}
	switch r.IntN(3) {
	case 1:
		p.MinAggregation = pick(r, client.AggregationNames())
	case 2:
		p.Aggregations = some(r, client.AggregationNames())
	}
	switch r.IntN(3) {
	case 1:
		p.MinLocationPrecision = pick(r, client.LocationPrecisionNames())
	case 2:
		p.LocationPrecisions = some(r, client.LocationPrecisionNames())
	}
	if maybe() {
		p.NodeMetadataPaths = some(r, []string{"/pm/public/**", "/m/*", "/pm/account/*"})
	}
	if maybe() {
		p.UserMetadataPaths = some(r, []string{"/m/public/*", "/pm/x/**"})
	}
	if r.IntN(3) == 0 {
		p.APIPaths = some(r, []string{"/datum/**", "!/datum/reading", "/user/auth-tokens/**"})
	}
	if maybe() {
		b := maybe()
		p.RefreshAllowed = &b
	}
	return p
}

func randomTokenCase(r *rand.Rand) tokenCase {
	c := tokenCase{
		tokenType: pick(r, []string{client.TokenTypeReadNodeData, client.TokenTypeUser}),
		mode:      pick(r, []string{policyUpdateReplace, policyUpdateMerge}),
		status:    pick(r, []string{"", client.StatusActive, client.StatusDisabled}),
		policy:    randomPolicy(r),
	}
	if r.IntN(2) == 0 {
		c.name = pick(r, []string{"Dashboard", "Zürich ☀ reporting", strings.Repeat("n", 128), "Reporting: region 1"})
	}
	if r.IntN(2) == 0 {
		c.description = pick(r, []string{"Read access for the dashboard.", "Ünïcödé — described", strings.Repeat("d", 512)})
	}
	// Expiries well in the future: a new token may not start expired.
	base := time.Date(2030+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	switch r.IntN(4) {
	case 1: // a date, read in a zone
		c.expiration, c.zone = base.Format("2006-01-02"), pick(r, []string{"Pacific/Auckland", "America/New_York", "-05:00", ""})
	case 2: // a local date and time
		c.expiration = base.Add(time.Duration(r.IntN(86400)) * time.Second).Format("2006-01-02T15:04:05")
		c.zone = pick(r, []string{"Europe/Berlin", "UTC", "+13:00"})
	case 3: // an instant, as the provider reads it back
		c.expiration, c.canonicalExpiry = base.Add(time.Duration(r.IntN(86400))*time.Second).Format(time.RFC3339), true
	}
	if c.expiration != "" {
		t, err := expiration.Resolve(c.expiration, c.zone)
		if err != nil {
			panic(err)
		}
		c.expiry = &t
	}
	return c
}

func hclStrings(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// body is the resource's configuration.
func (c tokenCase) body() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, "  "+format+"\n", args...) }
	line("type = %q", c.tokenType)
	line("policy_update = %q", c.mode)
	if c.name != "" {
		line("name = %q", c.name)
	}
	if c.description != "" {
		line("description = %q", c.description)
	}
	if c.status != "" {
		line("status = %q", c.status)
	}
	if c.expiration != "" {
		line("expiration_date = %q", c.expiration)
	}
	if c.zone != "" {
		line("time_zone = %q", c.zone)
	}
	if p := c.policy; p != nil {
		line("policy {")
		if len(p.NodeIDs) > 0 {
			ids := make([]string, len(p.NodeIDs))
			for i, id := range p.NodeIDs {
				ids[i] = strconv.FormatInt(id, 10)
			}
			line("  node_ids = [%s]", strings.Join(ids, ", "))
		}
		for _, f := range []struct {
			name string
			v    []string
		}{
			{"source_ids", p.SourceIDs}, {"aggregations", p.Aggregations}, {"location_precisions", p.LocationPrecisions},
			{"node_metadata_paths", p.NodeMetadataPaths}, {"user_metadata_paths", p.UserMetadataPaths}, {"api_paths", p.APIPaths},
		} {
			if len(f.v) > 0 {
				line("  %s = %s", f.name, hclStrings(f.v))
			}
		}
		if p.MinAggregation != "" {
			line("  min_aggregation = %q", p.MinAggregation)
		}
		if p.MinLocationPrecision != "" {
			line("  min_location_precision = %q", p.MinLocationPrecision)
		}
		if p.RefreshAllowed != nil {
			line("  refresh_allowed = %v", *p.RefreshAllowed)
		}
		line("}")
	}
	return b.String()
}

// desired is the policy the configuration asks for, expiry included.
func (c tokenCase) desired() *client.SecurityPolicy {
	p := client.SecurityPolicy{}
	if c.policy != nil {
		p = *c.policy
	}
	p.NotAfter = c.expiry
	return &p
}

func (c tokenCase) wantStatus() string {
	if c.status == "" {
		return client.StatusActive
	}
	return c.status
}

// mergedPolicy is what merge mode must leave after someone else made the
// policy other: their additions kept, everything configured put back.
func mergedPolicy(other, desired *client.SecurityPolicy) *client.SecurityPolicy {
	o, d := orEmptyPolicy(other), orEmptyPolicy(desired)
	union := func(a, b []string) []string {
		out := slices.Clone(a)
		for _, v := range b {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	m := &client.SecurityPolicy{
		SourceIDs: union(o.SourceIDs, d.SourceIDs), Aggregations: union(o.Aggregations, d.Aggregations),
		LocationPrecisions: union(o.LocationPrecisions, d.LocationPrecisions), NodeMetadataPaths: union(o.NodeMetadataPaths, d.NodeMetadataPaths),
		UserMetadataPaths: union(o.UserMetadataPaths, d.UserMetadataPaths), APIPaths: union(o.APIPaths, d.APIPaths),
		MinAggregation: o.MinAggregation, MinLocationPrecision: o.MinLocationPrecision, NotAfter: o.NotAfter, RefreshAllowed: o.RefreshAllowed,
	}
	m.NodeIDs = slices.Clone(o.NodeIDs)
	for _, id := range d.NodeIDs {
		if !slices.Contains(m.NodeIDs, id) {
			m.NodeIDs = append(m.NodeIDs, id)
		}
	}
	if d.MinAggregation != "" {
		m.MinAggregation = d.MinAggregation
	}
	if d.MinLocationPrecision != "" {
		m.MinLocationPrecision = d.MinLocationPrecision
	}
	if d.NotAfter != nil {
		m.NotAfter = d.NotAfter
	}
	if d.RefreshAllowed != nil {
		m.RefreshAllowed = d.RefreshAllowed
	}
	return m
}

func withoutExpiry(p *client.SecurityPolicy) *client.SecurityPolicy {
	q := *orEmptyPolicy(p)
	q.NotAfter = nil
	return &q
}

func orEmptyPolicy(p *client.SecurityPolicy) *client.SecurityPolicy {
	if p == nil {
		return &client.SecurityPolicy{}
	}
	return p
}

// edit is a change made outside Terraform.
type edit struct {
	name  string
	apply func(sim *simulator.Simulator, id string) error
	// policy is the policy SolarNetwork holds after the edit, as a
	// function of the one before; nil when the edit leaves it.
	policy  func(before *client.SecurityPolicy) *client.SecurityPolicy
	deletes bool
}

// randomEdit draws an out-of-band change. In merge mode a min level is
// never added where the configuration lists the levels explicitly: that
// conflict is refused at plan time, tested elsewhere.
func randomEdit(r *rand.Rand, c tokenCase) edit {
	other := func() *client.SecurityPolicy {
		p := randomPolicy(r)
		if p == nil {
			p = &client.SecurityPolicy{}
		}
		if r.IntN(3) == 0 {
			t := time.Date(2045, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(1000)) * time.Hour)
			p.NotAfter = &t
		}
		if c.mode == policyUpdateMerge && c.policy != nil {
			if len(c.policy.Aggregations) > 0 {
				p.MinAggregation = ""
			}
			if len(c.policy.LocationPrecisions) > 0 {
				p.MinLocationPrecision = ""
			}
		}
		return p
	}
	// Policy edits, the ones the two modes treat differently, are drawn
	// most often.
	switch n := r.IntN(20); {
	case n < 6:
		p := other()
		return edit{
			name:   "policy replaced with " + policyString(p),
			apply:  func(sim *simulator.Simulator, id string) error { return sim.SetPolicy(id, toSimPolicy(p)) },
			policy: func(*client.SecurityPolicy) *client.SecurityPolicy { return p },
		}
	case n < 12:
		p := other()
		return edit{
			name:  "policy merged with " + policyString(p),
			apply: func(sim *simulator.Simulator, id string) error { return sim.MergePolicy(id, toSimPolicy(p)) },
			policy: func(before *client.SecurityPolicy) *client.SecurityPolicy {
				return mergedPolicy(before, p)
			},
		}
	case n < 15:
		status := client.StatusDisabled
		if c.wantStatus() == client.StatusDisabled {
			status = client.StatusActive
		}
		return edit{name: "status set to " + status, apply: func(sim *simulator.Simulator, id string) error { return sim.SetStatus(id, status) }}
	case n < 17:
		name := pick(r, []string{"", "Renamed elsewhere"})
		desc := pick(r, []string{"", "Described elsewhere"})
		return edit{name: fmt.Sprintf("name %q and description %q set", name, desc),
			apply: func(sim *simulator.Simulator, id string) error { return sim.SetInfo(id, name, desc) }}
	default:
		return edit{name: "deleted", deletes: true, apply: func(sim *simulator.Simulator, id string) error { sim.DeleteToken(id); return nil }}
	}
}

func policyString(p *client.SecurityPolicy) string {
	if p == nil {
		return "null"
	}
	data, err := json.Marshal(p)
	if err != nil {
		return err.Error()
	}
	return string(data)
}

// viaJSON converts v through its wire format, as the API would.
func viaJSON[T any](v any) *T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return &out
}

// toSimPolicy is p as the simulator reads it.
func toSimPolicy(p *client.SecurityPolicy) *simulator.Policy {
	if p == nil {
		return nil
	}
	return viaJSON[simulator.Policy](p)
}

// fromSimPolicy is a policy the simulator holds as a client reads it.
func fromSimPolicy(p *simulator.Policy) *client.SecurityPolicy {
	if p == nil {
		return nil
	}
	return viaJSON[client.SecurityPolicy](p)
}

// normalized is p as SolarNetwork keeps it: a min level hides its list.
func normalized(p *client.SecurityPolicy) *client.SecurityPolicy {
	return fromSimPolicy(toSimPolicy(p))
}

func TestAccSecurityToken_properties(t *testing.T) {
	seed := propertySeed(t)
	n := propertyCases(t)
	t.Logf("seed %d, %d cases (SOLARNETWORK_PROPERTY_SEED, SOLARNETWORK_PROPERTY_CASES)", seed, n)
	for i := range n {
		caseSeed := seed + uint64(i)
		t.Run(fmt.Sprintf("seed_%d", caseSeed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(caseSeed, caseSeed))
			c := randomTokenCase(r)
			edits := []edit{randomEdit(r, c), randomEdit(r, c)}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("rerun this case with SOLARNETWORK_PROPERTY_SEED=%d SOLARNETWORK_PROPERTY_CASES=1\nconfiguration:\n%s\nedits: %s; %s",
						caseSeed, c.body(), edits[0].name, edits[1].name)
				}
			})
			runPropertyCase(t, c, edits)
		})
	}
}

func runPropertyCase(t *testing.T, c tokenCase, edits []edit) {
	sim := testAccSimulator(t)
	inv := safetyInvariant{sim: sim, foreign: foreignTokens(sim)}
	// A deletion must show at the next plan: with list_lag_window = "0s"
	// (the window itself is tested by TestAccSecurityToken_listLag).
	cfg := strings.Replace(tokenConfig(sim, c.body()), "provider \"solarnetwork\" {", "provider \"solarnetwork\" {\n  list_lag_window = \"0s\"", 1)
	rec := &idRecorder{}
	// want is the policy SolarNetwork must hold after the next apply.
	want := normalized(c.desired())

	holds := func(s *terraform.State) error {
		if err := rec.record(s); err != nil {
			return err
		}
		tok, ok := sim.Token(rec.id)
		if !ok {
			return fmt.Errorf("token %s is not in SolarNetwork", rec.id)
		}
		got := fromSimPolicy(tok.Policy)
		switch {
		case !client.PoliciesEqual(got, want):
			return fmt.Errorf("SolarNetwork holds policy %s, want %s", policyString(got), policyString(want))
		case tok.Type != c.tokenType || tok.Status != c.wantStatus() || tok.Name != c.name || tok.Description != c.description:
			return fmt.Errorf("SolarNetwork holds %s %s named %q (%q), want %s %s named %q (%q)",
				tok.Type, tok.Status, tok.Name, tok.Description, c.tokenType, c.wantStatus(), c.name, c.description)
		}
		return nil
	}

	importIgnore := []string{"secret"}
	var importMayChange []string
	if c.mode == policyUpdateMerge {
		importIgnore = append(importIgnore, "policy_update")
		importMayChange = append(importMayChange, "policy_update")
	}
	if c.expiration != "" && !c.canonicalExpiry {
		importIgnore = append(importIgnore, "expiration_date", "time_zone")
		importMayChange = append(importMayChange, "expiration_date", "time_zone")
	}
	if c.zone != "" {
		importIgnore = append(importIgnore, "time_zone")
		importMayChange = append(importMayChange, "time_zone")
	}
	if c.policy != nil && c.policy.IsEmpty() {
		// An import cannot know the configuration wrote an empty block.
		importIgnore = append(importIgnore, "policy.")
		importMayChange = append(importMayChange, "policy")
	}

	steps := []resource.TestStep{
		{
			Config:           cfg,
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            resource.ComposeTestCheckFunc(holds, inv.check),
		},
		{
			ResourceName:            tokenAddr,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: importIgnore,
		},
		{
			ResourceName:       tokenAddr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithID,
			ExpectNonEmptyPlan: len(importMayChange) > 0,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{changesOnly(tokenAddr, importMayChange)},
			},
		},
	}
	for _, e := range edits {
		var wantAction plancheck.ResourceActionType
		var refreshed *client.SecurityPolicy // the policy attribute the refresh must read; nil after a delete
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				before, _ := sim.Token(rec.id)
				mustEdit(t, e.apply(sim, rec.id))
				after, _ := sim.Token(rec.id)
				prior := fromSimPolicy(after.Policy)
				refreshed = nil
				switch {
				case e.deletes:
					want, wantAction = normalized(c.desired()), plancheck.ResourceActionCreate
				default:
					if e.policy != nil {
						prior = normalized(e.policy(fromSimPolicy(before.Policy)))
						if got := fromSimPolicy(after.Policy); !client.PoliciesEqual(got, prior) {
							t.Fatalf("the simulator holds %s after the edit, the test expected %s", policyString(got), policyString(prior))
						}
					}
					want = normalized(c.desired())
					if c.mode == policyUpdateMerge {
						want = normalized(mergedPolicy(prior, c.desired()))
					}
					// Replace mode shows the whole policy as it is now; merge
					// mode only what it owns, so what others added is no diff.
					refreshed = withoutExpiry(prior)
					if c.mode == policyUpdateMerge {
						refreshed = ownedPart(c.policy, prior)
					}
					wantAction = plancheck.ResourceActionUpdate
					if client.PoliciesEqual(prior, want) && after.Status == c.wantStatus() && after.Name == c.name && after.Description == c.description {
						wantAction = plancheck.ResourceActionNoop
					}
				}
				t.Logf("edit: %s; the plan must %s to %s", e.name, wantAction, policyString(want))
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					planCheckFunc(func(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
						plancheck.ExpectResourceAction(tokenAddr, wantAction).CheckPlan(ctx, req, resp)
					}),
					planCheckFunc(func(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
						resp.Error = plannedPolicyIs(req, tokenAddr, want)
					}),
					planCheckFunc(func(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
						if refreshed != nil {
							resp.Error = refreshedPolicyIs(req, tokenAddr, refreshed)
						}
					}),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeTestCheckFunc(holds, inv.check),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             inv.afterDestroy,
		Steps:                    steps,
	})
}

// planCheckFunc adapts a function to plancheck.PlanCheck.
type planCheckFunc func(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse)

func (f planCheckFunc) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	f(ctx, req, resp)
}

// changesOnly checks that the plan for addr changes no attribute but
// allowed.
func changesOnly(addr string, allowed []string) plancheck.PlanCheck {
	return planCheckFunc(func(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
		for _, rc := range req.Plan.ResourceChanges {
			if rc.Address != addr {
				continue
			}
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			var changed []string
			for k, v := range after {
				b, _ := json.Marshal(before[k])
				a, _ := json.Marshal(v)
				if string(a) != string(b) && !slices.Contains(allowed, k) {
					changed = append(changed, fmt.Sprintf("%s: %s -> %s", k, b, a))
				}
			}
			if unknown, _ := rc.Change.AfterUnknown.(map[string]any); len(unknown) > 0 {
				for k := range unknown {
					changed = append(changed, k+" unknown")
				}
			}
			if len(changed) > 0 {
				slices.Sort(changed)
				resp.Error = fmt.Errorf("%s: the plan changes %s", addr, strings.Join(changed, "; "))
			}
			return
		}
		resp.Error = fmt.Errorf("%s is not in the plan", addr)
	})
}

// plannedPolicyIs checks the planned effective_policy and expires_at of
// addr against want.
func plannedPolicyIs(req plancheck.CheckPlanRequest, addr string, want *client.SecurityPolicy) error {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		if after == nil {
			return fmt.Errorf("%s: no planned values", addr)
		}
		if unknown, _ := rc.Change.AfterUnknown.(map[string]any); unknown["effective_policy"] == true || unknown["expires_at"] == true {
			return fmt.Errorf("%s: the planned policy is unknown; the plan must show it", addr)
		}
		got, err := policyFromPlan(after["effective_policy"])
		if err != nil {
			return err
		}
		if s, ok := after["expires_at"].(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return err
			}
			got.NotAfter = &t
		}
		if !client.PoliciesEqual(got, want) {
			return fmt.Errorf("%s: the plan shows policy %s, want %s", addr, policyString(got), policyString(want))
		}
		return nil
	}
	return fmt.Errorf("%s is not in the plan", addr)
}

// policyFromPlan reads a policy object of a plan's JSON values; null is
// an empty policy.
func policyFromPlan(v any) (*client.SecurityPolicy, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return &client.SecurityPolicy{}, nil
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m struct {
		NodeIDs              []int64  `json:"node_ids"`
		SourceIDs            []string `json:"source_ids"`
		MinAggregation       *string  `json:"min_aggregation"`
		Aggregations         []string `json:"aggregations"`
		MinLocationPrecision *string  `json:"min_location_precision"`
		LocationPrecisions   []string `json:"location_precisions"`
		NodeMetadataPaths    []string `json:"node_metadata_paths"`
		UserMetadataPaths    []string `json:"user_metadata_paths"`
		APIPaths             []string `json:"api_paths"`
		RefreshAllowed       *bool    `json:"refresh_allowed"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	p := &client.SecurityPolicy{NodeIDs: m.NodeIDs, SourceIDs: m.SourceIDs, Aggregations: m.Aggregations,
		LocationPrecisions: m.LocationPrecisions, NodeMetadataPaths: m.NodeMetadataPaths, UserMetadataPaths: m.UserMetadataPaths,
		APIPaths: m.APIPaths, RefreshAllowed: m.RefreshAllowed}
	if m.MinAggregation != nil {
		p.MinAggregation = *m.MinAggregation
	}
	if m.MinLocationPrecision != nil {
		p.MinLocationPrecision = *m.MinLocationPrecision
	}
	return p, nil
}

// refreshedPolicyIs checks the policy attribute of addr as refreshed
// before the plan: the drift the plan shows.
func refreshedPolicyIs(req plancheck.CheckPlanRequest, addr string, want *client.SecurityPolicy) error {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		got, err := policyFromPlan(before["policy"])
		if err != nil {
			return err
		}
		if !client.PoliciesEqual(got, want) {
			return fmt.Errorf("%s: the plan shows the policy now is %s, want %s", addr, policyString(got), policyString(want))
		}
		return nil
	}
	return fmt.Errorf("%s is not in the plan", addr)
}

// ownedPart is what merge mode shows of the policy Terraform owns: what
// the configuration sets and SolarNetwork still holds.
func ownedPart(configured, server *client.SecurityPolicy) *client.SecurityPolicy {
	c, s := orEmptyPolicy(configured), orEmptyPolicy(server)
	keep := func(owned, held []string) []string {
		var out []string
		for _, v := range owned {
			if slices.Contains(held, v) {
				out = append(out, v)
			}
		}
		return out
	}
	out := &client.SecurityPolicy{
		SourceIDs: keep(c.SourceIDs, s.SourceIDs), Aggregations: keep(c.Aggregations, s.Aggregations),
		LocationPrecisions: keep(c.LocationPrecisions, s.LocationPrecisions), NodeMetadataPaths: keep(c.NodeMetadataPaths, s.NodeMetadataPaths),
		UserMetadataPaths: keep(c.UserMetadataPaths, s.UserMetadataPaths), APIPaths: keep(c.APIPaths, s.APIPaths),
	}
	for _, id := range c.NodeIDs {
		if slices.Contains(s.NodeIDs, id) {
			out.NodeIDs = append(out.NodeIDs, id)
		}
	}
	if c.MinAggregation != "" {
		out.MinAggregation = s.MinAggregation
	}
	if c.MinLocationPrecision != "" {
		out.MinLocationPrecision = s.MinLocationPrecision
	}
	if c.RefreshAllowed != nil {
		out.RefreshAllowed = s.RefreshAllowed
	}
	return out
}
