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
			if err := store.UpdateInfo(ctx, tok.ID, "Renamed", ""); err == nil {
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
