package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The store's fault matrix: every TokenStore method against every way a
// request can fail, each once or on every attempt, with and without a
// retry. Whatever the method returns, afterwards
//   - the store's cached list equals a fresh list from SolarNetwork,
//   - no token but the one the method was asked to delete is gone,
//   - a generate left no token nobody holds the secret of, and the secret
//     it returned authenticates,
//   - a method that reported success really did its work, and
//   - a failed list is never read as "no such token".

// storeFaultKind is one way a request can fail.
type storeFaultKind struct {
	name  string
	fault simulator.Fault
	// requestTimeout, when set, is the client's RequestTimeout.
	requestTimeout time.Duration
	// ctxTimeout cancels the caller's context this long after the call.
	ctxTimeout time.Duration
	// transient failures are retried (generate: cleaned up and sent again),
	// so a single one with a retry allowed must end in success.
	transient bool
}

// storeFaultKinds are the columns of the matrix. Server errors, gateway
// pages, a database error's 429, 2xx answers that cannot be read and late
// answers are given after SolarNetwork acted: the hardest case, where the
// write happened but its answer is lost. A rate limit and a connection reset
// "before" are given before anything happened, as SolarNetwork's rate
// limiter and a dead connection do.
func storeFaultKinds() []storeFaultKind {
	return []storeFaultKind{
		{name: "500", fault: simulator.Fault{Status: http.StatusInternalServerError, AfterHandling: true}, transient: true},
		{name: "502", fault: simulator.Fault{Status: http.StatusBadGateway, AfterHandling: true}, transient: true},
		{name: "503", fault: simulator.Fault{Status: http.StatusServiceUnavailable, AfterHandling: true}, transient: true},
		{name: "429 with retry-after", fault: simulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: 20 * time.Millisecond}, transient: true},
		// SolarNetwork's 429 for a database error, after the write committed.
		{name: "429 DAO.00300 after handling", fault: simulator.Fault{Status: http.StatusTooManyRequests, Code: "DAO.00300", AfterHandling: true}, transient: true},
		{name: "reset before handling", fault: simulator.Fault{DropConnection: true}, transient: true},
		{name: "reset after handling", fault: simulator.Fault{DropConnection: true, AfterHandling: true}, transient: true},
		{name: "truncated 2xx", fault: simulator.Fault{TruncateBody: true, AfterHandling: true}},
		{name: "HTML 2xx", fault: simulator.Fault{Status: http.StatusOK, Body: "<html><body>Welcome to the network</body></html>",
			ContentType: "text/html", AfterHandling: true}},
		{name: "2xx without data", fault: simulator.Fault{Status: http.StatusOK, Body: `{"success":true}`, AfterHandling: true}},
		// The simulator stops waiting as soon as the client gives up, so
		// these long delays cost only the client's timeout.
		{name: "slow past client timeout", fault: simulator.Fault{Delay: time.Minute, AfterHandling: true}, requestTimeout: 300 * time.Millisecond, transient: true},
		{name: "cancelled while waiting", fault: simulator.Fault{Delay: time.Minute, AfterHandling: true}, ctxTimeout: 300 * time.Millisecond},
	}
}

// storeFaultTarget is the simulator's content when a method runs: the
// token the method works on and a foreign token of the same type and
// policy, which nothing may delete.
type storeFaultTarget struct {
	target, foreign simulator.Token
}

var storeFaultPolicy = simulator.Policy{NodeIDs: []int64{1}, SourceIDs: []string{"/a/**"}}

// storeMethod is one row: the request path the fault is put on, the call,
// and a check of its success.
type storeMethod struct {
	name         string
	method, path string
	call         func(ctx context.Context, s *TokenStore, x storeFaultTarget) (generated *SecurityToken, err error)
	// done checks that a call that reported success did its work.
	done func(sim *simulator.Simulator, x storeFaultTarget) error
}

func storeMethods() []storeMethod {
	simToken := func(sim *simulator.Simulator, id string) (simulator.Token, error) {
		tok, ok := sim.Token(id)
		if !ok {
			return tok, fmt.Errorf("token %s is gone", id)
		}
		return tok, nil
	}
	return []storeMethod{
		{
			name: "Tokens", method: http.MethodGet, path: listPath,
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				list, err := s.Tokens(ctx)
				if err == nil && !slices.Contains(tokenIDs(list), x.target.ID) {
					return nil, fmt.Errorf("BUG: the list succeeded without token %s: %v", x.target.ID, tokenIDs(list))
				}
				return nil, err
			},
		},
		{
			name: "Token", method: http.MethodGet, path: listPath,
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				tok, found, err := s.Token(ctx, x.target.ID)
				if err == nil && (!found || tok.ID != x.target.ID) {
					return nil, fmt.Errorf("BUG: token %s read as found=%v %q without an error", x.target.ID, found, tok.ID)
				}
				return nil, err
			},
		},
		{
			name: "GenerateToken", method: http.MethodPost, path: "/generate/" + TokenTypeReadNodeData,
			call: func(ctx context.Context, s *TokenStore, _ storeFaultTarget) (*SecurityToken, error) {
				tok, _, err := s.GenerateToken(ctx, TokenTypeReadNodeData, &SecurityPolicy{NodeIDs: []int64{1}, SourceIDs: []string{"/a/**"}})
				return tok, err
			},
		},
		{
			name: "UpdateTokenInfo", method: http.MethodPost, path: "/info",
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				return nil, s.UpdateTokenInfo(ctx, x.target.ID, "Renamed", "Described")
			},
			done: func(sim *simulator.Simulator, x storeFaultTarget) error {
				tok, err := simToken(sim, x.target.ID)
				if err == nil && (tok.Name != "Renamed" || tok.Description != "Described") {
					err = fmt.Errorf("name %q, description %q", tok.Name, tok.Description)
				}
				return err
			},
		},
		{
			name: "UpdateTokenStatus", method: http.MethodPost, path: "/status",
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				return nil, s.UpdateTokenStatus(ctx, x.target.ID, StatusDisabled)
			},
			done: func(sim *simulator.Simulator, x storeFaultTarget) error {
				tok, err := simToken(sim, x.target.ID)
				if err == nil && tok.Status != StatusDisabled {
					err = fmt.Errorf("status %s", tok.Status)
				}
				return err
			},
		},
		{
			name: "MergeTokenPolicy", method: http.MethodPatch, path: "/policy",
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				_, err := s.MergeTokenPolicy(ctx, x.target.ID, SecurityPolicy{NodeIDs: []int64{2}})
				return nil, err
			},
			done: func(sim *simulator.Simulator, x storeFaultTarget) error {
				tok, err := simToken(sim, x.target.ID)
				if err == nil && (tok.Policy == nil || !slices.Equal(tok.Policy.NodeIDs, []int64{1, 2}) || len(tok.Policy.SourceIDs) != 1) {
					err = fmt.Errorf("policy %+v", tok.Policy)
				}
				return err
			},
		},
		{
			name: "ReplaceTokenPolicy", method: http.MethodPut, path: "/policy",
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				_, err := s.ReplaceTokenPolicy(ctx, x.target.ID, SecurityPolicy{APIPaths: []string{"/x/**"}})
				return nil, err
			},
			done: func(sim *simulator.Simulator, x storeFaultTarget) error {
				tok, err := simToken(sim, x.target.ID)
				if err == nil && (tok.Policy == nil || len(tok.Policy.NodeIDs) != 0 || !slices.Equal(tok.Policy.APIPaths, []string{"/x/**"})) {
					err = fmt.Errorf("policy %+v", tok.Policy)
				}
				return err
			},
		},
		{
			name: "DeleteToken", method: http.MethodDelete, path: listPath,
			call: func(ctx context.Context, s *TokenStore, x storeFaultTarget) (*SecurityToken, error) {
				return nil, s.DeleteToken(ctx, x.target.ID)
			},
			done: func(sim *simulator.Simulator, x storeFaultTarget) error {
				if _, ok := sim.Token(x.target.ID); ok {
					return fmt.Errorf("token %s still exists", x.target.ID)
				}
				return nil
			},
		},
	}
}

// storeFaultRuns are how often the fault applies and how often the client
// retries: a single failure with no retry, a single failure retried, and a
// failure on every attempt.
var storeFaultRuns = []struct {
	name    string
	times   int
	retries int
}{
	{"once, no retry", 1, 0},
	{"once, one retry", 1, 1},
	{"always, one retry", -1, 1},
}

func TestTokenStoreFaultMatrix(t *testing.T) {
	t.Parallel()
	for _, m := range storeMethods() {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			for _, kind := range storeFaultKinds() {
				t.Run(kind.name, func(t *testing.T) {
					t.Parallel()
					for _, run := range storeFaultRuns {
						t.Run(run.name, func(t *testing.T) {
							t.Parallel()
							runStoreFaultCell(t, m, kind, run.times, run.retries)
						})
					}
				})
			}
		})
	}
}

func runStoreFaultCell(t *testing.T, m storeMethod, kind storeFaultKind, times, retries int) {
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.MaxRetries = intPtr(retries)
		c.RequestTimeout = kind.requestTimeout
	})
	sim := env.sim
	admin, _ := sim.AdminCredentials()
	x := storeFaultTarget{
		target:  sim.CreateToken(simulator.TypeReadNodeData, &storeFaultPolicy),
		foreign: sim.CreateToken(simulator.TypeReadNodeData, &storeFaultPolicy),
	}
	store := NewTokenStore(env.client)
	bg := context.Background()
	preloaded := m.method != http.MethodGet
	if preloaded {
		// A write runs within a provider run whose list is already read.
		if _, err := store.Tokens(bg); err != nil {
			t.Fatal(err)
		}
	}
	before := simTokenIDs(sim)

	f := kind.fault
	f.Method, f.Path, f.Times = m.method, m.path, times
	sim.InjectFault(f)
	ctx := bg
	if kind.ctxTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(bg, kind.ctxTimeout)
		defer cancel()
	}
	start := time.Now()
	generated, err := m.call(ctx, store, x)
	took := time.Since(start)
	sim.ClearFaults()
	t.Logf("%s: err = %v", m.name, err)

	// Nothing the method was not asked to remove is gone.
	after := simTokenIDs(sim)
	for _, id := range before {
		if !slices.Contains(after, id) && !(m.name == "DeleteToken" && id == x.target.ID) {
			t.Errorf("token %s was deleted by %s (admin %s, foreign %s, target %s)", id, m.name, admin, x.foreign.ID, x.target.ID)
		}
	}
	// A generate leaves exactly the token it returned, or none.
	var made []string
	for _, id := range after {
		if !slices.Contains(before, id) {
			made = append(made, id)
		}
	}
	switch {
	case generated != nil && (err != nil || !slices.Equal(made, []string{generated.ID})):
		t.Errorf("generate returned %s (err %v); new tokens %v", generated.ID, err, made)
	case generated == nil && len(made) > 0:
		t.Errorf("new tokens %v that nobody holds the secret of (err %v)", made, err)
	}
	if generated != nil {
		if werr := authenticates(t, env.url, generated.ID, generated.AuthSecret); werr != nil {
			t.Errorf("the returned secret does not authenticate: %v", werr)
		}
	}
	if kind.requestTimeout > 0 && took > 20*time.Second {
		t.Errorf("%s took %s: the request timeout of %s did not end the wait", m.name, took, kind.requestTimeout)
	}
	if err != nil && kind.transient && times == 1 && retries > 0 {
		t.Errorf("a single transient failure with a retry allowed ended in %v", err)
	}
	if err == nil && m.done != nil {
		if derr := m.done(sim, x); derr != nil {
			t.Errorf("%s reported success but did not do it: %v", m.name, derr)
		}
	}

	// The cache agrees with SolarNetwork. A failed list is shared by the
	// whole run until Invalidate (a cancelled one is not kept).
	got, lerr := store.Tokens(bg)
	if err != nil && !preloaded && kind.ctxTimeout == 0 {
		if lerr == nil {
			t.Errorf("a second read succeeded after the list failed with %v", err)
		}
		store.Invalidate()
		got, lerr = store.Tokens(bg)
	}
	if lerr != nil {
		t.Fatalf("reading the store after the fault cleared: %v", lerr)
	}
	want, ferr := env.client.ListTokens(bg) // the client alone has no cache
	if ferr != nil {
		t.Fatal(ferr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after %s failed with %v the store holds\n%+v\nbut SolarNetwork has\n%+v", m.name, err, got, want)
	}
}

// authenticates signs a request with tokenID and secret. SolarQuery's
// whoami takes every token type, where SolarUser's takes User tokens only.
func authenticates(t *testing.T, url, tokenID, secret string) error {
	t.Helper()
	var id Identity
	err := newTestClient(t, url, tokenID, secret, nil).do(context.Background(),
		request{method: http.MethodGet, path: "/solarquery/api/v1/sec/whoami", idempotent: true}, &id)
	if err == nil && id.Token != tokenID {
		err = fmt.Errorf("signed as %q", id.Token)
	}
	return err
}
