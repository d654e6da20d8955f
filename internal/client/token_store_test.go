package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

const generateUserPath = "/generate/User"

// countByToken counts logged requests signed by tokenID.
func countByToken(sim *simulator.Simulator, method, suffix, tokenID string) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) && r.TokenID == tokenID {
			n++
		}
	}
	return n
}

func TestTokenStoreConcurrentReadsShareOneList(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	var ids []string
	for i := range 20 {
		typ := simulator.TypeUser
		if i%2 == 0 {
			typ = simulator.TypeReadNodeData
		}
		ids = append(ids, env.sim.CreateToken(typ, nil).ID)
	}
	store := NewTokenStore(env.client)
	if store.Client() != env.client {
		t.Error("Client() is not the store's client")
	}
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Go(func() {
			id := ids[i%len(ids)]
			tok, found, err := store.Token(ctx, id)
			switch {
			case err != nil:
				errs <- err
			case !found || tok.ID != id:
				errs <- fmt.Errorf("token %s: found=%v got %q", id, found, tok.ID)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d, want exactly 1", n)
	}
	if n := env.sim.Count("", ""); n != 1 {
		t.Errorf("requests = %d, want exactly 1", n)
	}

	if _, found, err := store.Token(ctx, "no-such-token-000000"); err != nil || found {
		t.Errorf("unknown id: found=%v err=%v", found, err)
	}
	all, err := store.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tokenIDs(all), simTokenIDs(env.sim); !slices.Equal(got, want) {
		t.Errorf("Tokens() = %v, want %v (created, id order)", got, want)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d after more reads, want 1", n)
	}
}

func TestTokenStoreListErrorIsNotCached(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(0) })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusInternalServerError})
	store := NewTokenStore(env.client)
	admin, _ := env.sim.AdminCredentials()
	if _, _, err := store.Token(context.Background(), admin); err == nil {
		t.Fatal("no error from a failed list")
	}
	if _, found, err := store.Token(context.Background(), admin); err != nil || !found {
		t.Errorf("after the failure: found=%v err=%v", found, err)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 2 {
		t.Errorf("list requests = %d, want 2", n)
	}
}

// TestTokenStoreWritesKeepCacheCoherent: after each write through the store,
// its view equals a fresh list, and the store itself never lists again.
func TestTokenStoreWritesKeepCacheCoherent(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	admin, _ := env.sim.AdminCredentials()
	verifier := env.clientFor(t, env.sim.CreateToken(simulator.TypeUser, nil))
	tok := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}})
	store := NewTokenStore(env.client)

	// lists is how often the store may have listed by the time of a step.
	lists := 1
	check := func(step string) {
		t.Helper()
		got, err := store.Tokens(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, err := verifier.ListTokens(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after %s the store holds\n%+v\nbut SolarNetwork has\n%+v", step, got, want)
		}
		if n := countByToken(env.sim, http.MethodGet, listPath, admin); n != lists {
			t.Errorf("after %s: the store listed %d times, want %d", step, n, lists)
		}
	}
	check("first read")

	if err := store.UpdateInfo(ctx, tok.ID, "Student access", "Allow access to school system data."); err != nil {
		t.Fatal(err)
	}
	check("UpdateInfo")
	if err := store.UpdateInfo(ctx, tok.ID, "Only a name", ""); err != nil {
		t.Fatal(err)
	}
	check("UpdateInfo clearing the description")
	if err := store.UpdateStatus(ctx, tok.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	check("UpdateStatus")
	merged, err := store.MergePolicy(ctx, tok.ID, SecurityPolicy{NodeIDs: []int64{5, 4}, MinAggregation: "Day"})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Policy == nil || !slices.Equal(merged.Policy.SourceIDs, []string{"/a/**"}) {
		t.Errorf("merged policy = %+v", merged.Policy)
	}
	check("MergePolicy")
	if _, err := store.ReplacePolicy(ctx, tok.ID, SecurityPolicy{APIPaths: []string{"/x/**"}}); err != nil {
		t.Fatal(err)
	}
	check("ReplacePolicy")
	past := time.Now().Add(-time.Minute)
	if _, err := store.ReplacePolicy(ctx, tok.ID, SecurityPolicy{NotAfter: &past}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := store.Token(ctx, tok.ID); !got.Expired {
		t.Error("store does not show the token as expired")
	}
	check("ReplacePolicy with an expiry in the past")
	if err := store.Delete(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := store.Token(ctx, tok.ID); found {
		t.Error("deleted token still in the store")
	}
	check("Delete")
	if err := store.Delete(ctx, tok.ID); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	check("Delete again")

	// Generate comes last: it may list afresh first, to know which tokens
	// existed before it, so it is allowed one list of its own.
	gen, err := store.Generate(ctx, TokenTypeUser, &SecurityPolicy{RefreshAllowed: boolPtr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if gen.AuthSecret == "" {
		t.Error("Generate returned no secret")
	}
	if cached, found, _ := store.Token(ctx, gen.ID); !found || cached.AuthSecret != "" {
		t.Errorf("generated token in the store: found=%v secret kept=%v", found, cached.AuthSecret != "")
	}
	if n := countByToken(env.sim, http.MethodGet, listPath, admin); n <= 2 {
		lists = n
	}
	check("Generate")
}

// TestTokenStoreUnknownIDWrite: a definite API refusal keeps the cache.
func TestTokenStoreUnknownIDWrite(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	store := NewTokenStore(env.client)
	if _, err := store.Tokens(ctx); err != nil {
		t.Fatal(err)
	}
	err := store.UpdateStatus(ctx, "no-such-token-000000", StatusDisabled)
	if !IsNotFound(err) {
		t.Errorf("error = %v, want not found", err)
	}
	if _, found, _ := store.Token(ctx, "no-such-token-000000"); found {
		t.Error("an unknown token appeared")
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d, want 1", n)
	}
}

// TestTokenStoreSeesOutOfBandChangesAfterInvalidate documents the
// unit-of-work contract: changes made elsewhere show only after Invalidate.
func TestTokenStoreSeesOutOfBandChangesAfterInvalidate(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	tok := env.sim.CreateToken(simulator.TypeUser, nil)
	store := NewTokenStore(env.client)
	if _, _, err := store.Token(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if err := env.sim.SetInfo(tok.ID, "renamed", ""); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := store.Token(ctx, tok.ID); got.Name != "" {
		t.Errorf("name %q seen before Invalidate", got.Name)
	}
	store.Invalidate()
	if got, _, _ := store.Token(ctx, tok.ID); got.Name != "renamed" {
		t.Errorf("name %q after Invalidate, want renamed", got.Name)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 2 {
		t.Errorf("list requests = %d, want 2", n)
	}
}

// TestTokenStoreAmbiguousWriteInvalidates: a write whose answer is lost may
// have been applied, so the store lists again.
func TestTokenStoreAmbiguousWriteInvalidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault simulator.Fault
	}{
		{"dropped after handling", simulator.Fault{Method: http.MethodPost, Path: "/status", DropConnection: true, AfterHandling: true}},
		// A gateway can time out after the server applied the request.
		{"gateway timeout after handling", simulator.Fault{Method: http.MethodPost, Path: "/status", Status: http.StatusGatewayTimeout, AfterHandling: true}},
		{"bad gateway after handling", simulator.Fault{Method: http.MethodPost, Path: "/status", Status: http.StatusBadGateway, AfterHandling: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(0) })
			ctx := context.Background()
			tok := env.sim.CreateToken(simulator.TypeUser, nil)
			store := NewTokenStore(env.client)
			if _, err := store.Tokens(ctx); err != nil {
				t.Fatal(err)
			}
			env.sim.InjectFault(tt.fault)
			if err := store.UpdateStatus(ctx, tok.ID, StatusDisabled); err == nil {
				t.Fatal("no error")
			}
			if st, _ := env.sim.Token(tok.ID); st.Status != StatusDisabled {
				t.Fatalf("fault did not apply the write: %s", st.Status)
			}
			got, _, err := store.Token(ctx, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusDisabled {
				t.Errorf("store shows status %s after a write of unknown outcome; SolarNetwork has Disabled "+
					"(token_store.go invalidateOn keeps the cache for any *APIError, including 5xx)", got.Status)
			}
		})
	}
}

// TestTokenStoreBlankInfo: SolarNetwork stores a blank name or description
// as none; the store's copy must agree.
func TestTokenStoreBlankInfo(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	tok := env.sim.CreateToken(simulator.TypeUser, nil)
	store := NewTokenStore(env.client)
	if _, err := store.Tokens(ctx); err != nil {
		t.Fatal(err)
	}
	if err := store.UpdateInfo(ctx, tok.ID, "   ", "\t"); err != nil {
		t.Fatal(err)
	}
	st, _ := env.sim.Token(tok.ID)
	got, _, _ := store.Token(ctx, tok.ID)
	if got.Name != st.Name || got.Description != st.Description {
		t.Errorf("store has name/description %q/%q, SolarNetwork %q/%q", got.Name, got.Description, st.Name, st.Description)
	}
}

// TestTokenStoreGenerateCleansUpOrphan: the first generate is applied but
// its answer lost; the orphan is deleted and a second generate answers.
func TestTokenStoreGenerateCleansUpOrphan(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	admin, _ := env.sim.AdminCredentials()
	// A token of another type and one with another policy are not candidates.
	otherType := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}})
	otherPolicy := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/b/**"}})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true, AfterHandling: true})
	store := NewTokenStore(env.client)

	tok, err := store.Generate(ctx, TokenTypeUser, &SecurityPolicy{SourceIDs: []string{"/a/**"}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.AuthSecret == "" {
		t.Fatal("no secret")
	}
	want := []string{admin, otherType.ID, otherPolicy.ID, tok.ID}
	if got := simTokenIDs(env.sim); !slices.Equal(got, want) {
		t.Errorf("tokens = %v, want %v (orphan deleted, nothing else)", got, want)
	}
	if n := env.sim.Count(http.MethodPost, generateUserPath); n != 2 {
		t.Errorf("generate requests = %d, want 2", n)
	}
	if n := env.sim.Count(http.MethodDelete, listPath); n != 1 {
		t.Errorf("DELETE requests = %d, want 1", n)
	}
	for _, r := range env.sim.Requests() {
		if r.Method == http.MethodDelete && strings.Contains(r.RawQuery, tok.ID) {
			t.Error("the returned token was deleted")
		}
	}
	// The returned secret is the real one.
	id, err := newTestClient(t, env.url, tok.ID, tok.AuthSecret, nil).WhoAmI(ctx)
	if err != nil || id.Token != tok.ID {
		t.Errorf("WhoAmI with the returned secret: %+v %v", id, err)
	}
	if cached, found, _ := store.Token(ctx, tok.ID); !found || cached.AuthSecret != "" {
		t.Errorf("store: found=%v secret kept=%v", found, cached.AuthSecret != "")
	}
}

// TestTokenStoreGenerateDroppedBeforeHandling: nothing was created, so
// nothing is deleted and the generate is sent again.
func TestTokenStoreGenerateDroppedBeforeHandling(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true})
	tok, err := NewTokenStore(env.client).Generate(context.Background(), TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 2 || ids[1] != tok.ID {
		t.Errorf("tokens = %v", ids)
	}
	if n := env.sim.Count(http.MethodPost, generateUserPath); n != 2 {
		t.Errorf("generate requests = %d, want 2", n)
	}
	if n := env.sim.Count(http.MethodDelete, ""); n != 0 {
		t.Errorf("DELETE requests = %d, want 0", n)
	}
}

// TestTokenStoreGenerateTwiceUnanswered: both attempts create a token and
// lose the answer; both orphans are deleted and the error says so.
func TestTokenStoreGenerateTwiceUnanswered(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true, AfterHandling: true, Times: 2})
	tok, err := NewTokenStore(env.client).Generate(context.Background(), TokenTypeUser, nil)
	if err == nil {
		t.Fatalf("no error; token %+v", tok)
	}
	if !IsAmbiguous(err) || !strings.Contains(err.Error(), "no token was left behind") {
		t.Errorf("error = %v", err)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 1 {
		t.Errorf("tokens = %v, want only the admin token", ids)
	}
	if n := env.sim.Count(http.MethodPost, generateUserPath); n != 2 {
		t.Errorf("generate requests = %d, want 2", n)
	}
	if n := env.sim.Count(http.MethodDelete, listPath); n != 2 {
		t.Errorf("DELETE requests = %d, want 2", n)
	}
}

// TestTokenStoreGenerateAPIErrorNoCleanup: a definite refusal needs no
// clean-up and is returned as is.
func TestTokenStoreGenerateAPIErrorNoCleanup(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, Status: http.StatusServiceUnavailable})
	_, err := NewTokenStore(env.client).Generate(context.Background(), TokenTypeUser, nil)
	if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("error = %v", err)
	}
	if n := env.sim.Count(http.MethodPost, generateUserPath); n != 1 {
		t.Errorf("generate requests = %d, want 1", n)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d, want 1", n)
	}
}

// TestTokenStoreGenerateConcurrentWriter: while the unanswered generate is
// in flight another writer creates a token. When it is indistinguishable
// (same type and policy) nothing may be deleted and the error names both;
// when it differs, only the orphan is deleted.
func TestTokenStoreGenerateConcurrentWriter(t *testing.T) {
	t.Parallel()
	policy := &SecurityPolicy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}
	tests := []struct {
		name        string
		otherType   string
		otherPolicy *simulator.Policy
		ambiguous   bool
	}{
		{"identical", simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}, true},
		{"identical policy in another order", simulator.TypeUser, &simulator.Policy{RefreshAllowed: boolPtr(true), SourceIDs: []string{"/a/**", "/a/**"}}, true},
		{"other policy", simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/a/**"}}, false},
		{"other type", simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sim *simulator.Simulator
			var other atomic.Value // string
			rec := newRecorder(func(r *http.Request) {
				if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, generateUserPath) && other.Load() == nil {
					other.Store(sim.CreateToken(tt.otherType, tt.otherPolicy).ID)
				}
			})
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.HTTPClient = rec.client() })
			sim = env.sim
			sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true, AfterHandling: true})
			admin, _ := sim.AdminCredentials()

			tok, err := NewTokenStore(env.client).Generate(context.Background(), TokenTypeUser, policy)
			otherID, _ := other.Load().(string)
			if otherID == "" {
				t.Fatal("the other writer did not run")
			}
			if _, ok := sim.Token(otherID); !ok {
				t.Fatalf("the other writer's token %s was deleted", otherID)
			}
			var orphan string
			for _, st := range sim.Tokens() {
				if st.ID != admin && st.ID != otherID && (tok == nil || st.ID != tok.ID) {
					orphan = st.ID
				}
			}

			if tt.ambiguous {
				if err == nil {
					t.Fatalf("no error; token %+v", tok)
				}
				if orphan == "" {
					t.Fatal("the unanswered generate's token was deleted")
				}
				if !strings.Contains(err.Error(), otherID) || !strings.Contains(err.Error(), orphan) {
					t.Errorf("error %q does not name both %s and %s", err, otherID, orphan)
				}
				if !IsAmbiguous(err) {
					t.Error("IsAmbiguous = false")
				}
				if n := sim.Count(http.MethodDelete, ""); n != 0 {
					t.Errorf("DELETE requests = %d, want 0", n)
				}
				if n := sim.Count(http.MethodPost, generateUserPath); n != 1 {
					t.Errorf("generate requests = %d, want 1", n)
				}
				if n := len(sim.Tokens()); n != 3 {
					t.Errorf("%d tokens, want admin, other and orphan", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if orphan != "" {
				t.Errorf("orphan %s left behind", orphan)
			}
			if got := simTokenIDs(sim); len(got) != 3 || !slices.Contains(got, tok.ID) {
				t.Errorf("tokens = %v, want admin, other and %s", got, tok.ID)
			}
			if n := sim.Count(http.MethodDelete, listPath); n != 1 {
				t.Errorf("DELETE requests = %d, want 1", n)
			}
		})
	}
}

// TestTokenStoreGenerateDoesNotDeleteEarlierForeignToken: a token another
// writer made after the store listed, but before Generate, is not the
// unanswered generate's and must survive the clean-up.
func TestTokenStoreGenerateDoesNotDeleteEarlierForeignToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	store := NewTokenStore(env.client)
	if _, err := store.Tokens(ctx); err != nil { // e.g. Terraform's refresh
		t.Fatal(err)
	}
	foreign := env.sim.CreateToken(simulator.TypeUser, nil) // e.g. made with the s10k CLI meanwhile
	// The generate is lost before SolarNetwork handles it: it created nothing.
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true})

	tok, err := store.Generate(ctx, TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := env.sim.Token(foreign.ID); !ok {
		t.Errorf("Generate deleted token %s, which another writer created before it started "+
			"(token_store.go Generate takes `before` from the cached list)", foreign.ID)
	}
	if _, ok := env.sim.Token(tok.ID); !ok {
		t.Error("the returned token does not exist")
	}
}

// BenchmarkTokenStoreRefresh reads every token by id through a new store,
// as one Terraform refresh of N token resources does.
func BenchmarkTokenStoreRefresh(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("tokens=%d", n), func(b *testing.B) {
			env := newEnv(b, simulator.Options{}, nil)
			ids := make([]string, n)
			for i := range ids {
				ids[i] = env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{fmt.Sprintf("/s/%d/**", i)}}).ID
			}
			ctx := context.Background()
			env.sim.ResetRequests()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				store := NewTokenStore(env.client)
				for _, id := range ids {
					if _, found, err := store.Token(ctx, id); err != nil || !found {
						b.Fatalf("token %s: found=%v err=%v", id, found, err)
					}
				}
			}
			b.StopTimer()
			requests := env.sim.Count("", "")
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(requests)/float64(b.N*n), "requests/token")
		})
	}
}

// BenchmarkClientList lists 100 tokens.
func BenchmarkClientList(b *testing.B) {
	env := newEnv(b, simulator.Options{}, nil)
	for i := range 99 {
		env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{NodeIDs: []int64{int64(i)}, SourceIDs: []string{"/a/**"}})
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tokens, err := env.client.ListTokens(ctx)
		if err != nil || len(tokens) != 100 {
			b.Fatalf("%d tokens, %v", len(tokens), err)
		}
	}
}
