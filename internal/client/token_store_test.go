package client

import (
	"context"
	"errors"
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

// TestTokenStoreListErrorIsShared: a failed list is the answer for every
// reader of the run, not one new list (with retries) per token; Invalidate
// lists again.
func TestTokenStoreListErrorIsShared(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(0) })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusInternalServerError})
	store := NewTokenStore(env.client)
	admin, _ := env.sim.AdminCredentials()
	for range 10 {
		if _, found, err := store.Token(context.Background(), admin); err == nil || found {
			t.Fatalf("found=%v err=%v, want the list's failure", found, err)
		}
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d, want 1", n)
	}
	store.Invalidate()
	if _, found, err := store.Token(context.Background(), admin); err != nil || !found {
		t.Errorf("after Invalidate: found=%v err=%v", found, err)
	}
}

// TestTokenStoreRefusesIncompleteLists: a list that cannot be the whole
// account never reads as "token deleted".
func TestTokenStoreRefusesIncompleteLists(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, body string }{
		{"data null", `{"success":true,"data":null}`},
		{"no data", `{"success":true}`},
		{"data not a list", `{"success":true,"data":{}}`},
		{"empty list", `{"success":true,"data":[]}`},
		{"without the caller", `{"success":true,"data":[{"id":"someone-else-0000000","userId":123,"status":"Active","type":"User","created":"2026-01-01 00:00:00Z"}]}`},
		{"another user's token", ""},
		{"a token twice", "twice"},
		{"a token without an ID", "no id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			admin, _ := env.sim.AdminCredentials()
			body := tt.body
			own := `{"id":"` + admin + `","userId":123,"status":"Active","type":"User","created":"2026-01-01 00:00:00Z"}`
			switch body {
			case "":
				body = `{"success":true,"data":[` + own + `,` +
					`{"id":"someone-else-0000000","userId":999,"status":"Active","type":"User","created":"2026-01-01 00:00:00Z"}]}`
			case "twice":
				body = `{"success":true,"data":[` + own + `,` + strings.Replace(own, "Active", "Disabled", 1) + `]}`
			case "no id":
				body = `{"success":true,"data":[` + own + `,{"userId":123,"status":"Active","type":"User","created":"2026-01-01 00:00:00Z"}]}`
			}
			env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusOK, Body: body})
			mine := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
			_, found, err := NewTokenStore(env.client).Token(context.Background(), mine.ID)
			var incomplete *IncompleteListError
			if !errors.As(err, &incomplete) || found {
				t.Errorf("found=%v err=%v, want an IncompleteListError", found, err)
			}
		})
	}
}

// TestTokenStoreRefusesRestrictedCaller: a restricted caller lists only
// itself; the store says so, naming the fields, instead of reporting every
// other token as deleted.
func TestTokenStoreRefusesRestrictedCaller(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	restricted := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/user/auth-tokens/**"}, NodeIDs: []int64{1}})
	other := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
	c := newTestClient(t, env.url, restricted.ID, restricted.Secret, nil)
	_, found, err := NewTokenStore(c).Token(context.Background(), other.ID)
	var re *RestrictedCredentialError
	if !errors.As(err, &re) || found {
		t.Fatalf("found=%v err=%v, want a RestrictedCredentialError", found, err)
	}
	if re.TokenID != restricted.ID || !slices.Equal(re.Fields, []string{"nodeIds", "apiPaths"}) {
		t.Errorf("error = %+v", re)
	}
	// An expiry and refreshAllowed do not restrict.
	fine := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{RefreshAllowed: boolPtr(true), NotAfter: timePtr(time.Now().Add(time.Hour))})
	c = newTestClient(t, env.url, fine.ID, fine.Secret, nil)
	if _, found, err := NewTokenStore(c).Token(context.Background(), other.ID); err != nil || !found {
		t.Errorf("unrestricted caller: found=%v err=%v", found, err)
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

	if err := store.UpdateTokenInfo(ctx, tok.ID, "Student access", "Allow access to school system data."); err != nil {
		t.Fatal(err)
	}
	check("UpdateTokenInfo")
	if err := store.UpdateTokenInfo(ctx, tok.ID, "Only a name", ""); err != nil {
		t.Fatal(err)
	}
	check("UpdateTokenInfo clearing the description")
	if err := store.UpdateTokenStatus(ctx, tok.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	check("UpdateTokenStatus")
	merged, err := store.MergeTokenPolicy(ctx, tok.ID, SecurityPolicy{NodeIDs: []int64{5, 4}, MinAggregation: "Day"})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Policy == nil || !slices.Equal(merged.Policy.SourceIDs, []string{"/a/**"}) {
		t.Errorf("merged policy = %+v", merged.Policy)
	}
	check("MergeTokenPolicy")
	if _, err := store.ReplaceTokenPolicy(ctx, tok.ID, SecurityPolicy{APIPaths: []string{"/x/**"}}); err != nil {
		t.Fatal(err)
	}
	check("ReplaceTokenPolicy")
	past := time.Now().Add(-time.Minute)
	if _, err := store.ReplaceTokenPolicy(ctx, tok.ID, SecurityPolicy{NotAfter: &past}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := store.Token(ctx, tok.ID); !got.Expired {
		t.Error("store does not show the token as expired")
	}
	check("ReplaceTokenPolicy with an expiry in the past")
	if err := store.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := store.Token(ctx, tok.ID); found {
		t.Error("deleted token still in the store")
	}
	check("Delete")
	if err := store.DeleteToken(ctx, tok.ID); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	check("Delete again")

	// Generate comes last: it may list afresh first, to know which tokens
	// existed before it, so it is allowed one list of its own.
	gen, _, err := store.GenerateToken(ctx, TokenTypeUser, &SecurityPolicy{RefreshAllowed: boolPtr(true)})
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
	err := store.UpdateTokenStatus(ctx, "no-such-token-000000", StatusDisabled)
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
			if err := store.UpdateTokenStatus(ctx, tok.ID, StatusDisabled); err == nil {
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
	if err := store.UpdateTokenInfo(ctx, tok.ID, "   ", "\t"); err != nil {
		t.Fatal(err)
	}
	st, _ := env.sim.Token(tok.ID)
	got, _, _ := store.Token(ctx, tok.ID)
	if got.Name != st.Name || got.Description != st.Description {
		t.Errorf("store has name/description %q/%q, SolarNetwork %q/%q", got.Name, got.Description, st.Name, st.Description)
	}
}

// TestTokenStoreGenerateMarksItsToken: the token is made with the
// requested restrictions and a marker expiry no later than an hour from
// now nor than the requested one; no list is needed.
func TestTokenStoreGenerateMarksItsToken(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	env := newEnv(t, simulator.Options{Now: func() time.Time { return now }}, func(c *Config) { c.Now = func() time.Time { return now } })
	store := NewTokenStore(env.client)
	for _, requested := range []*time.Time{nil, timePtr(now.Add(10 * time.Minute)), timePtr(now.Add(48 * time.Hour))} {
		tok, _, err := store.GenerateToken(context.Background(), TokenTypeReadNodeData, &SecurityPolicy{SourceIDs: []string{"/a/**"}, NotAfter: requested})
		if err != nil {
			t.Fatal(err)
		}
		latest := now.Add(time.Hour)
		if requested != nil && requested.Before(latest) {
			latest = *requested
		}
		got := tok.Policy.NotAfter
		if got == nil || !got.Before(latest) || got.Before(latest.Add(-time.Hour)) {
			t.Errorf("requested expiry %v: marker %v, want within the hour before %v", requested, got, latest)
		}
		if !slices.Equal(tok.Policy.SourceIDs, []string{"/a/**"}) {
			t.Errorf("policy = %+v", tok.Policy)
		}
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 0 {
		t.Errorf("list requests = %d, want 0", n)
	}
}

// TestTokenStoreGenerateLostAnswers: whatever shape a lost answer takes, the
// token that request made is found by its marker and deleted, generate runs
// once more, and the returned secret works.
func TestTokenStoreGenerateLostAnswers(t *testing.T) {
	t.Parallel()
	faults := map[string]simulator.Fault{
		"connection dropped":    {DropConnection: true},
		"500":                   {Status: http.StatusInternalServerError},
		"502":                   {Status: http.StatusBadGateway},
		"503":                   {Status: http.StatusServiceUnavailable},
		"504":                   {Status: http.StatusGatewayTimeout},
		"truncated JSON":        {TruncateBody: true},
		"HTML page with 200":    {Status: http.StatusOK, Body: "<html><body>Welcome</body></html>", ContentType: "text/html"},
		"200 without data":      {Status: http.StatusOK, Body: `{"success":true}`},
		"success false 200":     {Status: http.StatusOK, Body: `{"success":false}`},
		"answer after time-out": {Delay: 2 * time.Second},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.HTTPClient = &http.Client{Timeout: 500 * time.Millisecond} })
			ctx := context.Background()
			admin, _ := env.sim.AdminCredentials()
			// Tokens of the same type and policy made by others are never candidates.
			same := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/a/**"}})
			fault.Method, fault.Path, fault.AfterHandling = http.MethodPost, generateUserPath, true
			env.sim.InjectFault(fault)
			store := NewTokenStore(env.client)

			tok, _, err := store.GenerateToken(ctx, TokenTypeUser, &SecurityPolicy{SourceIDs: []string{"/a/**"}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := simTokenIDs(env.sim), []string{admin, same.ID, tok.ID}; !slices.Equal(got, want) {
				t.Errorf("tokens = %v, want %v (the lost one deleted, nothing else)", got, want)
			}
			if n := env.sim.Count(http.MethodPost, generateUserPath); n != 2 {
				t.Errorf("generate requests = %d, want 2", n)
			}
			if n := env.sim.Count(http.MethodDelete, listPath); n != 1 {
				t.Errorf("DELETE requests = %d, want 1", n)
			}
			id, err := newTestClient(t, env.url, tok.ID, tok.AuthSecret, nil).WhoAmI(ctx)
			if err != nil || id.Token != tok.ID {
				t.Errorf("WhoAmI with the returned secret: %+v %v", id, err)
			}
			if cached, found, _ := store.Token(ctx, tok.ID); !found || cached.AuthSecret != "" {
				t.Errorf("store: found=%v secret kept=%v", found, cached.AuthSecret != "")
			}
		})
	}
}

// TestTokenStoreGenerateCancelledWhileSlow: Ctrl-C while SolarNetwork is
// still answering: the token it made anyway is deleted, even though the
// caller's context is gone.
func TestTokenStoreGenerateCancelledWhileSlow(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	created := make(chan struct{}, 1) // the token exists, its answer is not sent yet
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, AfterHandling: true, Delay: time.Minute, Reached: created})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-created
		cancel()
	}()
	_, _, err := NewTokenStore(env.client).GenerateToken(ctx, TokenTypeUser, nil)
	if err == nil || !IsAmbiguous(err) {
		t.Fatalf("error = %v, want an ambiguous error", err)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 1 {
		t.Errorf("tokens = %v, want only the admin token", ids)
	}
	if n := env.sim.Count(http.MethodPost, generateUserPath); n != 1 {
		t.Errorf("generate requests = %d, want 1 (no new generate once cancelled)", n)
	}
}

// TestTokenStoreGenerateDroppedBeforeHandling: nothing was created, so
// nothing is deleted and the generate is sent again.
func TestTokenStoreGenerateDroppedBeforeHandling(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true})
	tok, _, err := NewTokenStore(env.client).GenerateToken(context.Background(), TokenTypeUser, nil)
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
// lose the answer; both are deleted and the error says so.
func TestTokenStoreGenerateTwiceUnanswered(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true, AfterHandling: true, Times: 2})
	tok, _, err := NewTokenStore(env.client).GenerateToken(context.Background(), TokenTypeUser, nil)
	if err == nil {
		t.Fatalf("no error; token %+v", tok)
	}
	if !IsAmbiguous(err) || strings.Count(err.Error(), "was found by its marker and deleted") != 2 {
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

// TestTokenStoreGenerateRefusalNoCleanup: a refusal SolarNetwork gives
// before acting needs no clean-up and is returned as is.
func TestTokenStoreGenerateRefusalNoCleanup(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusBadRequest} {
		env := newEnv(t, simulator.Options{}, nil)
		env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, Status: status})
		_, _, err := NewTokenStore(env.client).GenerateToken(context.Background(), TokenTypeUser, nil)
		if apiErr := apiError(t, err); apiErr.StatusCode != status {
			t.Errorf("error = %v", err)
		}
		if n := env.sim.Count("", ""); n != 1 {
			t.Errorf("HTTP %d: requests = %d, want only the generate", status, n)
		}
	}
}

// TestTokenStoreGenerateConcurrentWriter: while the unanswered generate is
// in flight another writer creates a token, even one of the same type and
// policy. Only the token carrying this request's marker is deleted.
func TestTokenStoreGenerateConcurrentWriter(t *testing.T) {
	t.Parallel()
	policy := &SecurityPolicy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}
	tests := []struct {
		name        string
		otherType   string
		otherPolicy *simulator.Policy
	}{
		{"identical", simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}},
		{"identical with an expiry", simulator.TypeUser, &simulator.Policy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true), NotAfter: timePtr(time.Now().Add(30 * time.Minute))}},
		{"other type", simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}, RefreshAllowed: boolPtr(true)}},
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

			tok, _, err := NewTokenStore(env.client).GenerateToken(context.Background(), TokenTypeUser, policy)
			if err != nil {
				t.Fatal(err)
			}
			otherID, _ := other.Load().(string)
			if otherID == "" {
				t.Fatal("the other writer did not run")
			}
			if got := simTokenIDs(sim); len(got) != 3 || !slices.Contains(got, admin) || !slices.Contains(got, otherID) || !slices.Contains(got, tok.ID) {
				t.Errorf("tokens = %v, want admin, the other writer's %s and %s", got, otherID, tok.ID)
			}
			if n := sim.Count(http.MethodDelete, listPath); n != 1 {
				t.Errorf("DELETE requests = %d, want 1", n)
			}
		})
	}
}

// TestTokenStoreGenerateInParallel: creates are not serialised and need no
// list. Every generate is held until all ten are in flight at once, which
// only parallel generates can reach.
func TestTokenStoreGenerateInParallel(t *testing.T) {
	t.Parallel()
	const n = 10
	var arrived sync.WaitGroup
	arrived.Add(n)
	allIn := make(chan struct{})
	go func() { arrived.Wait(); close(allIn) }()
	rec := newRecorder(func(r *http.Request) {
		if strings.Contains(r.URL.Path, "/generate/") {
			arrived.Done()
			select {
			case <-allIn:
			case <-time.After(10 * time.Second):
				t.Error("generates were not all in flight at once: they are serialised")
			}
		}
	})
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.HTTPClient = rec.client() })
	store := NewTokenStore(env.client)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, _, err := store.GenerateToken(context.Background(), TokenTypeReadNodeData, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := env.sim.Count("", ""); got != n {
		t.Errorf("requests = %d, want %d", got, n)
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

// The store decides once, for generate's clean-up and for its cache alike,
// whether a failed write may have happened.
func TestMayHaveWritten(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		may  bool
	}{
		{"connection never made", &TransportError{Sent: false, Err: errors.New("refused")}, false},
		{"no answer", &TransportError{Sent: true, Err: errors.New("EOF")}, true},
		{"refused", &APIError{StatusCode: 400}, false},
		{"not found", &APIError{StatusCode: 404}, false},
		{"rate limited after retries", &AttemptsError{Attempts: 3, Err: &APIError{StatusCode: 429}}, true},
		{"server error", &APIError{StatusCode: 500}, true},
		{"gateway", &APIError{StatusCode: 502}, true},
		{"unreadable success", &UnreadableResponseError{StatusCode: 200}, true},
		{"cancelled", context.Canceled, true},
	} {
		if got := mayHaveWritten(c.err); got != c.may {
			t.Errorf("%s: mayHaveWritten = %v, want %v", c.name, got, c.may)
		}
	}
}
