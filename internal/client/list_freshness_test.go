package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Every list carries a cache key of its own, signed: SolarNetwork (the
// simulator verifies SNWS2 as it does) accepts it, and no two are alike.
func TestListTokensUniqueRequests(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	for range 3 {
		if _, err := env.client.ListTokens(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, r := range env.sim.Requests() {
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil || len(q[cacheKeyParam]) != 1 || r.Status != http.StatusOK {
			t.Fatalf("list request %+v", r)
		}
		seen[q.Get(cacheKeyParam)] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d distinct cache keys in 3 lists", len(seen))
	}
}

// With SolarNetwork's response cache on, a list made after a change still
// sees it: the store never gets a cached answer.
func TestTokenStoreListsPastResponseCache(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{ResponseCacheTTL: time.Minute}, nil)
	store := NewTokenStore(env.client)
	ctx := context.Background()
	if _, err := store.Tokens(ctx); err != nil {
		t.Fatal(err)
	}
	made := env.sim.CreateToken(simulator.TypeUser, nil)
	store.Invalidate()
	if _, found, err := store.Token(ctx, made.ID); err != nil || !found {
		t.Errorf("token made after the first list: found=%v err=%v", found, err)
	}
}

// cacheHitServer answers the first hits lists with X-SN-Content-Cache: HIT,
// as a response cache that ignores the request's key would.
func cacheHitServer(t *testing.T, sim *simulator.Simulator, hits int) string {
	t.Helper()
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, listPath) && hits > 0 {
			hits--
			w.Header().Set(headerContentCache, contentCacheHit)
		}
		mu.Unlock()
		sim.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// An answer marked as a cache hit is never used: the list is sent again
// with a new key, and when every answer is a hit, it is an error.
func TestListTokensRefusesCacheHit(t *testing.T) {
	t.Parallel()
	sim := simulator.New(simulator.Options{})
	id, secret := sim.AdminCredentials()

	c := newTestClient(t, cacheHitServer(t, sim, 1), id, secret, nil)
	if _, err := c.ListTokens(context.Background()); err != nil {
		t.Fatalf("after one cached answer: %v", err)
	}
	if n := sim.Count(http.MethodGet, listPath); n != 2 {
		t.Errorf("%d list requests, want 2", n)
	}

	retries := 2
	c = newTestClient(t, cacheHitServer(t, sim, 100), id, secret, func(cfg *Config) { cfg.MaxRetries = &retries })
	_, err := c.ListTokens(context.Background())
	var cached *CachedAnswerError
	if !errors.As(err, &cached) || !strings.Contains(err.Error(), "3 attempts") {
		t.Errorf("every answer cached: error = %v", err)
	}
}
