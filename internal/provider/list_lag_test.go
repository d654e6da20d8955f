package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// lagEnv is a resource and a simulator whose lists lag by 15 minutes, on
// one test clock. newRun starts a new provider run (a new store).
type lagEnv struct {
	t     *testing.T
	clock *testClock
	sim   *simulator.Simulator
	r     *tokenResource
}

func newLagEnv(t *testing.T) *lagEnv {
	t.Helper()
	clock := newTestClock()
	r, sim := unitResourceWith(t, simulator.Options{Now: clock.Now, ListLag: 15 * time.Minute})
	e := &lagEnv{t: t, clock: clock, sim: sim, r: r}
	e.newRun()
	return e
}

// newRun configures the resource as a new CLI run does: a store that lists
// the tokens once.
func (e *lagEnv) newRun() {
	e.t.Helper()
	id, secret := e.sim.AdminCredentials()
	c, err := client.New(client.Config{URL: e.sim.URL(), Token: id, Secret: secret, Now: e.clock.Now, After: e.clock.After})
	if err != nil {
		e.t.Fatal(err)
	}
	e.r.store = client.NewTokenStore(c)
	if _, err := e.r.store.Tokens(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// create runs Create and returns the state and private state it leaves.
func (e *lagEnv) create(m tokenModel) (tokenModel, *resource.CreateResponse) {
	e.t.Helper()
	plan, errs := e.r.plan(e.t, nil, &m)
	if len(errs) > 0 {
		e.t.Fatal(errs)
	}
	resp := &resource.CreateResponse{State: stateOf(e.t, nil)}
	resp.Private = emptyPrivate(resp.Private)
	e.r.Create(context.Background(), resource.CreateRequest{Plan: planOf(e.t, plan)}, resp)
	if resp.Diagnostics.HasError() {
		e.t.Fatalf("create: %v", resp.Diagnostics)
	}
	var out tokenModel
	resp.State.Get(context.Background(), &out)
	return out, resp
}

// A token a lagging list lacks stays in state, with a warning naming it and
// saying when its absence counts, until list_lag_window has passed since it
// was created or last seen listed (remembered in private state across
// runs); then it is removed as deleted.
func TestReadKeepsTokenWhileListMayLag(t *testing.T) {
	e := newLagEnv(t) // the lagging process reads the list now, before the create
	state, created := e.create(newModel())
	id := state.ID.ValueString()
	private := created.Private

	read := func(wantFound bool, wantWarning string) {
		t.Helper()
		e.newRun()
		req := resource.ReadRequest{State: stateOf(t, &state), Private: private}
		resp := resource.ReadResponse{State: req.State, Private: private}
		e.r.Read(context.Background(), req, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("read: %v", resp.Diagnostics)
		}
		if found := !resp.State.Raw.IsNull(); found != wantFound {
			t.Fatalf("at %v: in state = %v, want %v", e.clock.Now(), found, wantFound)
		}
		var warned string
		for _, d := range resp.Diagnostics.Warnings() {
			warned += d.Summary() + ": " + d.Detail()
		}
		if wantWarning == "" && warned != "" || !strings.Contains(warned, wantWarning) {
			t.Errorf("at %v: warnings %q, want %q", e.clock.Now(), warned, wantWarning)
		}
		if wantWarning != "" && !strings.Contains(warned, id) {
			t.Errorf("the warning does not name token %s: %q", id, warned)
		}
		private = resp.Private
	}

	// The list, read before the create, lacks the new token: kept.
	read(true, "absence counts from 2031-03-01T09:15:00Z")
	e.clock.Advance(14 * time.Minute)
	read(true, "absence counts from 2031-03-01T09:15:00Z")

	// The lagging process reads again: the token is listed, and seen now.
	e.clock.Advance(time.Minute)
	read(true, "")
	// Deleted elsewhere; the lagging list still shows it a while (seen).
	e.sim.DeleteToken(id)
	e.clock.Advance(time.Minute)
	read(true, "")
	// The lagging list now lacks it, less than the window after it was
	// last seen (09:16): kept, with the new date.
	e.clock.Advance(14 * time.Minute)
	read(true, "absence counts from 2031-03-01T09:31:00Z")
	e.clock.Advance(time.Minute)
	read(false, "")
}

// list_lag_window = "0s": a token a list lacks is taken as deleted at once.
func TestReadWithoutLagWindow(t *testing.T) {
	e := newLagEnv(t)
	state, created := e.create(newModel())
	zero := time.Duration(0)
	id, secret := e.sim.AdminCredentials()
	c, err := client.New(client.Config{URL: e.sim.URL(), Token: id, Secret: secret, Now: e.clock.Now, ListLag: &zero})
	if err != nil {
		t.Fatal(err)
	}
	e.r.store = client.NewTokenStore(c)
	req := resource.ReadRequest{State: stateOf(t, &state), Private: created.Private}
	resp := resource.ReadResponse{State: req.State, Private: created.Private}
	e.r.Read(context.Background(), req, &resp)
	if !resp.State.Raw.IsNull() {
		t.Error("with a zero window, a token the list lacks stays in state")
	}
}

// In merge mode, an update whose token the (lagging) list lacks writes
// nothing and says the list may lag, instead of that the token is gone;
// once the list catches up, the same update goes through.
func TestMergeUpdateRefusedWhileListLags(t *testing.T) {
	e := newLagEnv(t)
	cfg := newModel()
	cfg.PolicyUpdate = types.StringValue(policyUpdateMerge)
	cfg.Policy = policyValue(t, &client.SecurityPolicy{SourceIDs: []string{"/a/**"}})
	state, _ := e.create(cfg)

	next := cfg
	next.Policy = policyValue(t, &client.SecurityPolicy{SourceIDs: []string{"/a/**", "/b/**"}})
	planned, errs := e.r.plan(t, &state, &next)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	e.newRun()
	e.sim.ResetRequests()
	_, errs = e.r.update(t, state, planned)
	if len(errs) != 1 || !strings.Contains(errs[0], "missing from SolarNetwork's token list") || !strings.Contains(errs[0], "lags behind it") ||
		!strings.Contains(errs[0], "Nothing was changed") {
		t.Fatalf("errors %q", errs)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d requests after the refusal, want none", n)
	}

	e.clock.Advance(15 * time.Minute)
	e.newRun()
	if _, errs = e.r.update(t, state, planned); len(errs) > 0 {
		t.Fatalf("once the list caught up: %q", errs)
	}
	if n := e.sim.Count(http.MethodPatch, "/policy"); n != 1 {
		t.Errorf("%d PATCH requests, want 1", n)
	}
}
