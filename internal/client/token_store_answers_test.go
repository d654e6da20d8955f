package client

import (
	"context"
	"net/http"
	"testing"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// TestTokenStoreUnreadableSuccessInvalidates: a 2xx answer the client cannot
// read (a proxy's HTML page, JSON cut short) comes after SolarNetwork acted,
// so the store must list again rather than keep what it had.
func TestTokenStoreUnreadableSuccessInvalidates(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]simulator.Fault{
		"HTML page": {Status: http.StatusOK, Body: "<html><body>Welcome</body></html>", ContentType: "text/html"},
		"truncated": {TruncateBody: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(0) })
			ctx := context.Background()
			tok := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
			store := NewTokenStore(env.client)
			if _, err := store.Tokens(ctx); err != nil {
				t.Fatal(err)
			}
			fault.Method, fault.Path, fault.AfterHandling = http.MethodPost, "/info", true
			env.sim.InjectFault(fault)
			if err := store.UpdateTokenInfo(ctx, tok.ID, "Renamed", ""); err == nil {
				t.Fatal("no error for an unreadable answer")
			}
			got, _, err := store.Token(ctx, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "Renamed" {
				t.Errorf("the store shows name %q; SolarNetwork has %q", got.Name, "Renamed")
			}
		})
	}
}

// TestTokenStorePolicyAnswerWithoutToken: a policy update answered with
// success but no token says nothing of the policy now held; it must not
// read as a token without a policy.
func TestTokenStorePolicyAnswerWithoutToken(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPut, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			ctx := context.Background()
			tok := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}})
			store := NewTokenStore(env.client)
			if _, err := store.Tokens(ctx); err != nil {
				t.Fatal(err)
			}
			env.sim.InjectFault(simulator.Fault{Method: method, Path: "/policy", Status: http.StatusOK, Body: `{"success":true}`, AfterHandling: true})
			write := store.ReplaceTokenPolicy
			if method == http.MethodPatch {
				write = store.MergeTokenPolicy
			}
			got, err := write(ctx, tok.ID, SecurityPolicy{NodeIDs: []int64{1}})
			if err == nil {
				t.Fatalf("no error; the update returned %+v with policy %+v", got, got.Policy)
			}
			cached, _, err := store.Token(ctx, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cached.Policy == nil || len(cached.Policy.NodeIDs) != 1 {
				t.Errorf("the store shows policy %+v; SolarNetwork has node 1", cached.Policy)
			}
		})
	}
}
