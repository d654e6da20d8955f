package simulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// listIDs lists the tokens through the signed API with query and returns
// their IDs and the X-SN-Content-Cache header.
func listIDs(t *testing.T, h *harness, query url.Values) ([]string, string) {
	t.Helper()
	status, header, body := h.do(call{method: "GET", path: tokensURL, query: query})
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, body)
	}
	var env struct{ Data []tokenJSON }
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tok := range env.Data {
		ids = append(ids, tok.ID)
	}
	return ids, header.Get(HeaderContentCache)
}

// The response cache answers the same list again, marked HIT, whatever was
// written since; another query parameter is another key, which the
// controller ignores; it expires after its TTL.
func TestResponseCache(t *testing.T) {
	h := newHarness(t, Options{ResponseCacheTTL: time.Minute})
	before, mark := listIDs(t, h, nil)
	if mark != ContentCacheMiss || len(before) != 1 {
		t.Fatalf("first list %v marked %q, want the admin token, MISS", before, mark)
	}
	made := h.sim.CreateToken(TypeUser, nil)

	again, mark := listIDs(t, h, nil)
	if mark != ContentCacheHit || !slices.Equal(again, before) {
		t.Errorf("second list %v marked %q, want the cached %v, HIT", again, mark, before)
	}
	fresh, mark := listIDs(t, h, url.Values{"nonce": {"a1"}})
	if mark != ContentCacheMiss || !slices.Contains(fresh, made.ID) {
		t.Errorf("list with a new parameter %v marked %q, want %s, MISS", fresh, mark, made.ID)
	}
	if _, mark := listIDs(t, h, url.Values{"nonce": {"a1"}}); mark != ContentCacheHit {
		t.Errorf("the same parameter again is marked %q, want HIT", mark)
	}
	// Per credential: another token's list is its own entry.
	status, header, _ := h.do(call{method: "GET", path: tokensURL, sp: h.as(made)})
	if status != http.StatusOK || header.Get(HeaderContentCache) != ContentCacheMiss {
		t.Errorf("another credential: %d %q", status, header.Get(HeaderContentCache))
	}

	h.clock.Add(time.Minute)
	if ids, mark := listIDs(t, h, nil); mark != ContentCacheMiss || !slices.Contains(ids, made.ID) {
		t.Errorf("after the TTL: %v marked %q", ids, mark)
	}

	h.sim.SetCaches(Caches{})
	if _, mark := listIDs(t, h, nil); mark != "" {
		t.Errorf("cache off: marked %q", mark)
	}
}

// A lagging process answers lists from what it read up to ListLag ago:
// new tokens are missing, deleted ones still there, until it reads again.
func TestListLag(t *testing.T) {
	h := newHarness(t, Options{ListLag: 15 * time.Minute})
	old := h.sim.CreateToken(TypeUser, nil)
	first, _ := listIDs(t, h, nil)
	h.clock.Add(time.Minute)
	made := h.sim.CreateToken(TypeReadNodeData, nil)
	h.sim.DeleteToken(old.ID)

	lagging, mark := listIDs(t, h, url.Values{"nonce": {"x"}})
	if !slices.Equal(lagging, first) || mark != "" {
		t.Errorf("lagging list %v (%q), want %v as first read", lagging, mark, first)
	}
	h.clock.Add(14 * time.Minute)
	ids, _ := listIDs(t, h, nil)
	if slices.Contains(ids, old.ID) || !slices.Contains(ids, made.ID) {
		t.Errorf("list after the lag %v: want %s and not %s", ids, made.ID, old.ID)
	}
}

// A slow generate: the client gives up, the token appears only later.
func TestFaultLandAfter(t *testing.T) {
	h := newHarness(t, Options{})
	reached := make(chan struct{}, 1)
	h.sim.InjectFault(Fault{Method: "POST", Path: "/generate/User", LandAfter: 30 * time.Second, Reached: reached})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-reached
		cancel()
	}()
	if _, err := h.client.Do(generateRequest(t, h).WithContext(ctx)); err == nil {
		t.Fatal("expected the request to be cancelled")
	}
	h.sim.WaitIdle()
	if ids, _ := listIDs(t, h, nil); len(ids) != 1 {
		t.Errorf("listed %v before the token lands, want only the admin token", ids)
	}
	h.clock.Add(30 * time.Second)
	ids, _ := listIDs(t, h, nil)
	if len(ids) != 2 {
		t.Fatalf("listed %v after the token landed", ids)
	}
	tok, _ := h.sim.Token(ids[1])
	if !tok.Created.Equal(roundCreated(h.clock.Now())) {
		t.Errorf("created %v, want when it landed, %v", tok.Created, h.clock.Now())
	}

	// A client that waits gets its answer once the time has passed.
	h.sim.InjectFault(Fault{Method: "POST", Path: "/generate/User", LandAfter: 10 * time.Millisecond})
	res, err := h.client.Do(generateRequest(t, h))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("waited answer: %v %v", res, err)
	}
	res.Body.Close()
	if n := len(h.sim.Tokens()); n != 3 {
		t.Errorf("%d tokens after the answered slow generate, want 3", n)
	}
}

func TestControlCaches(t *testing.T) {
	h := newControlHarness(t, Options{})
	var got cachesJSON
	h.ctlJSON("GET", "/_sim/caches", "", http.StatusOK, &got)
	if got != (cachesJSON{ResponseCacheTTL: "0s", ListLag: "0s"}) {
		t.Errorf("default caches %+v", got)
	}
	h.ctlJSON("PUT", "/_sim/caches", `{"responseCacheTTL":"60s","listLag":"15m"}`, http.StatusOK, &got)
	if c := h.sim.CacheSettings(); c.ResponseCacheTTL != time.Minute || c.ListLag != 15*time.Minute {
		t.Errorf("caches set to %+v", c)
	}
	h.ctlError("PUT", "/_sim/caches", `{"listLag":"soon"}`, http.StatusBadRequest, "listLag")
	h.ctlJSON("PUT", "/_sim/caches", `{}`, http.StatusOK, &got)
	if c := h.sim.CacheSettings(); c != (Caches{}) {
		t.Errorf("caches not turned off: %+v", c)
	}
	h.ctlJSON("POST", "/_sim/faults", `{"method":"POST","path":"/generate/User","landAfter":"1m"}`, http.StatusCreated, nil)
	var faults []faultJSON
	h.ctlJSON("GET", "/_sim/faults", "", http.StatusOK, &faults)
	if len(faults) != 1 || faults[0].LandAfter != "1m0s" {
		t.Errorf("faults %+v", faults)
	}
}

// The parameter that makes a list's cache key unique is signed: one changed
// after signing is refused, as SolarNetwork's verifier refuses it.
func TestCacheKeyParameterIsSigned(t *testing.T) {
	h := newHarness(t, Options{ResponseCacheTTL: time.Minute})
	req, err := http.NewRequest("GET", h.base+tokensURL+"?nonce=a1", nil)
	if err != nil {
		t.Fatal(err)
	}
	sign(req, nil, signSpec{id: h.id, secret: h.secret, date: h.clock.Now()})
	req.URL.RawQuery = "nonce=b2"
	res, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a list whose nonce changed after signing: %d, want 403", res.StatusCode)
	}
}
