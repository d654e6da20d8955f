package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// controlHarness serves the API and the control API together, as solarsim
// does; h signs API requests, ctl sends control requests.
type controlHarness struct {
	*harness
}

func newControlHarness(t *testing.T, opts Options) *controlHarness {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	sim := New(opts)
	srv := httptest.NewServer(sim.HandlerWithControl())
	t.Cleanup(srv.Close)
	id, secret := sim.AdminCredentials()
	return &controlHarness{&harness{t: t, sim: sim, clock: clock, base: srv.URL, id: id, secret: secret,
		client: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}}}
}

// ctl sends a control request and returns the status and body.
func (h *controlHarness) ctl(method, path, body string) (int, string) {
	h.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.base+path, r)
	if err != nil {
		h.t.Fatal(err)
	}
	res, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// ctlJSON sends a control request, checks its status and decodes the answer.
func (h *controlHarness) ctlJSON(method, path, body string, wantStatus int, into any) {
	h.t.Helper()
	status, got := h.ctl(method, path, body)
	if status != wantStatus {
		h.t.Fatalf("%s %s: %d %s, want %d", method, path, status, got, wantStatus)
	}
	if into != nil {
		if err := json.Unmarshal([]byte(got), into); err != nil {
			h.t.Fatalf("%s %s: %v in %s", method, path, err, got)
		}
	}
}

// ctlError checks that a control request fails with status and a message
// containing want.
func (h *controlHarness) ctlError(method, path, body string, wantStatus int, want string) {
	h.t.Helper()
	status, got := h.ctl(method, path, body)
	var e struct{ Error string }
	if status != wantStatus || json.Unmarshal([]byte(got), &e) != nil || !strings.Contains(e.Error, want) {
		h.t.Errorf("%s %s %s: %d %s, want %d and an error with %q", method, path, body, status, got, wantStatus, want)
	}
}

// apiToken reads a token through the signed SolarNetwork API, as the
// provider would.
func (h *controlHarness) apiToken(id string) (tokenJSON, bool) {
	h.t.Helper()
	status, _, body := h.do(call{method: "GET", path: tokensURL})
	if status != http.StatusOK {
		h.t.Fatalf("list: %d %s", status, body)
	}
	var env struct{ Data []tokenJSON }
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		h.t.Fatal(err)
	}
	for _, t := range env.Data {
		if t.ID == id {
			return t, true
		}
	}
	return tokenJSON{}, false
}

func policyJSON(t *testing.T, p *Policy) string {
	t.Helper()
	if p == nil {
		return "null"
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestControlCreateToken(t *testing.T) {
	h := newControlHarness(t, Options{NodeIDs: []int64{100, 101, 107}})

	var created tokenJSON
	h.ctlJSON("POST", "/_sim/tokens", `{"type":"ReadNodeData","name":"Reporting: region 1","description":"For the reporting team.",
		"status":"Disabled","policy":{"nodeIds":[101,100,101],"sourceIds":["/REGION1/**"],"minAggregation":"Hour","refreshAllowed":true}}`,
		http.StatusCreated, &created)
	if created.AuthSecret == "" || len(created.ID) != 20 || created.Status != StatusDisabled || created.Name != "Reporting: region 1" ||
		created.Description != "For the reporting team." || created.Type != TypeReadNodeData || created.UserID != DefaultUserID {
		t.Fatalf("created %+v", created)
	}
	stored, ok := h.sim.Token(created.ID)
	if !ok || stored.Secret != created.AuthSecret {
		t.Fatalf("stored %+v %v", stored, ok)
	}
	if got := policyJSON(t, stored.Policy); got != `{"nodeIds":[100,101],"sourceIds":["/REGION1/**"],"minAggregation":"Hour","refreshAllowed":true}` {
		t.Errorf("normalised policy %s", got)
	}
	// The provider sees it through the signed API.
	if api, ok := h.apiToken(created.ID); !ok || api.Name != created.Name || api.Status != StatusDisabled || api.AuthSecret != "" {
		t.Errorf("API sees %+v %v", api, ok)
	}

	// A token without policy, name or status: Active, no policy.
	var plain tokenJSON
	h.ctlJSON("POST", "/_sim/tokens", `{"type":"User"}`, http.StatusCreated, &plain)
	if plain.Status != StatusActive || plain.Policy != nil || plain.Name != "" {
		t.Errorf("plain %+v", plain)
	}

	before := len(h.sim.Tokens())
	h.ctlError("POST", "/_sim/tokens", `{"type":"Admin"}`, 400, `type must be "ReadNodeData" or "User"`)
	h.ctlError("POST", "/_sim/tokens", `{"type":"User","status":"Paused"}`, 400, `status must be`)
	h.ctlError("POST", "/_sim/tokens", `{"type":"User","title":"typo"}`, 400, `unknown field "title"`)
	h.ctlError("POST", "/_sim/tokens", `{"type":"User","policy":{"nodeIds":[999]}}`, 403, "node 999 is not one of the account's nodes")
	h.ctlError("POST", "/_sim/tokens", `{"type":"User","policy":[1]}`, 400, "policy:")
	h.ctlError("POST", "/_sim/tokens", `{"type":"User","name":"`+strings.Repeat("x", 129)+`"}`, 400, "longer than 128")
	h.ctlError("POST", "/_sim/tokens", `not json`, 400, "JSON object")
	if n := len(h.sim.Tokens()); n != before {
		t.Errorf("refused creates made %d tokens", n-before)
	}
}

func TestControlEditToken(t *testing.T) {
	h := newControlHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour"})
	if err := h.sim.SetInfo(tok.ID, "Dashboard", "Region 1"); err != nil {
		t.Fatal(err)
	}
	path := "/_sim/tokens/" + tok.ID

	var got tokenJSON
	h.ctlJSON("GET", path, "", 200, &got)
	if got.ID != tok.ID || got.AuthSecret != "" || got.Name != "Dashboard" {
		t.Errorf("GET %+v", got)
	}

	// Merge, as s10k sec-tokens update without --replace: the API sees the union.
	h.ctlJSON("PATCH", path+"/policy", `{"nodeIds":[200],"sourceIds":["/REGION2/**"]}`, 200, &got)
	api, _ := h.apiToken(tok.ID)
	if p := policyJSON(t, api.Policy); p != `{"nodeIds":[100,101,200],"sourceIds":["/REGION1/**","/REGION2/**"],"minAggregation":"Hour"}` {
		t.Errorf("after merge the API returns %s", p)
	}
	if policyJSON(t, got.Policy) != policyJSON(t, api.Policy) {
		t.Errorf("merge answered %s", policyJSON(t, got.Policy))
	}

	// Replace, as s10k sec-tokens update --replace.
	h.ctlJSON("PUT", path+"/policy", `{"nodeIds":[107,164]}`, 200, nil)
	if api, _ := h.apiToken(tok.ID); policyJSON(t, api.Policy) != `{"nodeIds":[107,164]}` {
		t.Errorf("after replace the API returns %s", policyJSON(t, api.Policy))
	}
	// null removes the policy entirely; an empty object keeps an empty one.
	h.ctlJSON("PUT", path+"/policy", `null`, 200, nil)
	if stored, _ := h.sim.Token(tok.ID); stored.Policy != nil {
		t.Errorf("after PUT null: %s", policyJSON(t, stored.Policy))
	}
	h.ctlJSON("PUT", path+"/policy", `{}`, 200, nil)
	if stored, _ := h.sim.Token(tok.ID); stored.Policy == nil || stored.Policy.Restricted() {
		t.Errorf("after PUT {}: %s", policyJSON(t, stored.Policy))
	}
	h.ctlError("PUT", path+"/policy", ``, 400, "security policy")
	h.ctlError("PUT", path+"/policy", `{"nodeIds":{}}`, 400, "nodeIds must be an array")

	// Name only: the description stays. Then status and description.
	h.ctlJSON("PATCH", path, `{"name":"Renamed"}`, 200, &got)
	if got.Name != "Renamed" || got.Description != "Region 1" || got.Status != StatusActive {
		t.Errorf("after renaming %+v", got)
	}
	h.ctlJSON("PATCH", path, `{"status":"Disabled","description":""}`, 200, &got)
	if api, _ := h.apiToken(tok.ID); api.Status != StatusDisabled || api.Description != "" || api.Name != "Renamed" {
		t.Errorf("API after status and description %+v", api)
	}
	h.ctlError("PATCH", path, `{"status":"disabled"}`, 400, "status must be")
	h.ctlError("PATCH", path, `{"description":"`+strings.Repeat("d", 513)+`"}`, 400, "longer than")
	if stored, _ := h.sim.Token(tok.ID); stored.Status != StatusDisabled || stored.Description != "" {
		t.Errorf("a refused edit changed the token: %+v", stored)
	}

	// Unknown tokens.
	for _, c := range [][2]string{{"GET", ""}, {"PATCH", `{"name":"x"}`}, {"DELETE", ""}} {
		h.ctlError(c[0], "/_sim/tokens/NoSuchToken000000000", c[1], 404, `no token "NoSuchToken000000000"`)
	}
	h.ctlError("PUT", "/_sim/tokens/NoSuchToken000000000/policy", `{}`, 404, "no token")
	h.ctlError("PATCH", "/_sim/tokens/NoSuchToken000000000/policy", `{}`, 404, "no token")

	// Delete: gone for the API too.
	if status, body := h.ctl("DELETE", path, ""); status != http.StatusNoContent {
		t.Fatalf("DELETE %d %s", status, body)
	}
	if _, ok := h.apiToken(tok.ID); ok {
		t.Error("deleted token still listed by the API")
	}
}

func TestControlListTokens(t *testing.T) {
	h := newControlHarness(t, Options{})
	a := h.sim.CreateToken(TypeUser, nil)
	var list []tokenJSON
	h.ctlJSON("GET", "/_sim/tokens", "", 200, &list)
	ids := make([]string, 0, len(list))
	for _, tok := range list {
		if tok.AuthSecret != "" {
			t.Errorf("the list shows the secret of %s", tok.ID)
		}
		ids = append(ids, tok.ID)
	}
	slices.Sort(ids)
	want := []string{h.id, a.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("listed %v, want the admin token and %s", ids, a.ID)
	}
}

func TestControlFaults(t *testing.T) {
	h := newControlHarness(t, Options{})
	var f faultJSON
	h.ctlJSON("POST", "/_sim/faults", `{"method":"get","path":"/auth-tokens","times":2,"status":429,"retryAfter":"1500ms"}`, 201, &f)
	if f.Method != "GET" || f.RetryAfter != "1.5s" || f.Times != 2 {
		t.Errorf("injected %+v", f)
	}
	var pending []faultJSON
	h.ctlJSON("GET", "/_sim/faults", "", 200, &pending)
	if len(pending) != 1 || pending[0].Remaining != 2 || pending[0].Status != 429 {
		t.Fatalf("pending %+v", pending)
	}
	status, hdr, body := h.do(call{method: "GET", path: tokensURL})
	expect(t, status, body, 429, `{"success":false,"code":"WEB.10000"}`)
	if hdr.Get("X-SN-Rate-Limit-Retry-After") == "" {
		t.Error("no X-SN-Rate-Limit-Retry-After")
	}
	h.ctlJSON("GET", "/_sim/faults", "", 200, &pending)
	if len(pending) != 1 || pending[0].Remaining != 1 {
		t.Errorf("after one use %+v", pending)
	}

	// A fault on every request leaves the control API alone.
	h.ctlJSON("POST", "/_sim/faults", `{"status":500,"times":-1}`, 201, nil)
	h.ctlJSON("GET", "/_sim/tokens", "", 200, nil)
	h.ctlJSON("GET", "/_sim/faults", "", 200, &pending)
	if len(pending) != 2 || pending[1].Remaining != -1 {
		t.Errorf("pending %+v", pending)
	}
	if status, _ := h.ctl("DELETE", "/_sim/faults", ""); status != http.StatusNoContent {
		t.Errorf("DELETE faults %d", status)
	}
	if status, _, body := h.do(call{method: "GET", path: tokensURL}); status != 200 {
		t.Errorf("after clearing: %d %s", status, body)
	}

	// "Sent, no answer": the token is made, the connection dropped.
	before := len(h.sim.Tokens())
	h.ctlJSON("POST", "/_sim/faults", `{"method":"POST","path":"/generate/User","dropConnection":true,"afterHandling":true}`, 201, nil)
	req := generateRequest(t, h.harness)
	if _, err := h.client.Do(req); err == nil {
		t.Error("expected a dropped connection")
	}
	if n := len(h.sim.Tokens()); n != before+1 {
		t.Errorf("%d tokens made, want 1", n-before)
	}

	// A database error's 429 after the token was made.
	h.ctlJSON("POST", "/_sim/faults", `{"method":"POST","path":"/generate/User","status":429,"code":"DAO.00300","afterHandling":true}`, 201, &f)
	if f.Code != "DAO.00300" {
		t.Errorf("injected %+v", f)
	}
	status, _, body = h.do(call{method: "POST", path: tokensURL + "/generate/User"})
	expect(t, status, body, 429, `{"success":false,"code":"DAO.00300","message":"Transaction error"}`)
	if n := len(h.sim.Tokens()); n != before+2 {
		t.Errorf("%d tokens made, want 2", n-before)
	}
	h.ctlError("POST", "/_sim/faults", `{"status":500,"code":"DAO.00300"}`, 400, "a code goes with status 429")
	h.ctlError("POST", "/_sim/faults", `{"status":429,"code":"DAO.00999"}`, 400, "a code goes with status 429")

	h.ctlError("POST", "/_sim/faults", `{"path":"/x","delay":"soon"}`, 400, `delay: "soon" is not a duration`)
	h.ctlError("POST", "/_sim/faults", `{"path":"/x"}`, 400, "needs a status, dropConnection, a delay or landAfter")
	h.ctlError("POST", "/_sim/faults", `{"status":42}`, 400, "not an HTTP status")
	h.ctlError("POST", "/_sim/faults", `{"delay":"1s","afterHandling":true}`, 400, "afterHandling needs")
	h.ctlError("POST", "/_sim/faults", `{"status":500,"remaining":3}`, 400, "read-only")
	h.ctlError("POST", "/_sim/faults", `{"status":500,"drop":true}`, 400, "unknown field")
}

func TestControlRequestLog(t *testing.T) {
	h := newControlHarness(t, Options{})
	h.do(call{method: "GET", path: tokensURL})
	h.ctlJSON("GET", "/_sim/tokens", "", 200, nil)
	h.do(call{method: "GET", path: tokensURL + "/find", query: map[string][]string{"identifiers": {"abc"}}})
	var log []requestJSON
	h.ctlJSON("GET", "/_sim/requests", "", 200, &log)
	if len(log) != 2 {
		t.Fatalf("log %+v: want the two API requests only", log)
	}
	if log[0].Method != "GET" || log[0].Path != "/solaruser/api/v1/sec/user/auth-tokens" || log[0].Status != 200 || log[0].TokenID != h.id {
		t.Errorf("first entry %+v", log[0])
	}
	if log[1].RawQuery != "identifiers=abc" || !strings.HasSuffix(log[1].Path, "/find") {
		t.Errorf("second entry %+v", log[1])
	}
	if status, _ := h.ctl("DELETE", "/_sim/requests", ""); status != http.StatusNoContent {
		t.Errorf("DELETE requests %d", status)
	}
	h.ctlJSON("GET", "/_sim/requests", "", 200, &log)
	if len(log) != 0 {
		t.Errorf("after reset %+v", log)
	}
}

func TestControlRouting(t *testing.T) {
	h := newControlHarness(t, Options{})
	var index struct{ Endpoints []string }
	h.ctlJSON("GET", "/_sim/", "", 200, &index)
	if !slices.Equal(index.Endpoints, ControlEndpoints()) || len(index.Endpoints) < 10 {
		t.Errorf("index %v", index.Endpoints)
	}
	if status, _ := h.ctl("GET", "/_sim", ""); status != http.StatusMovedPermanently {
		t.Errorf("GET /_sim: %d", status)
	}
	h.ctlError("GET", "/_sim/nothing", "", 404, "GET /_sim/ lists them")
	h.ctlError("PUT", "/_sim/tokens", "{}", http.StatusMethodNotAllowed, "PUT /_sim/tokens: use GET, POST")
	h.ctlError("POST", "/_sim/tokens/abc/policy", "{}", http.StatusMethodNotAllowed, "use PUT, PATCH")
	// Without SNWS2 the SolarNetwork API still refuses.
	if status, _ := h.ctl("GET", "/solaruser/api/v1/sec/user/auth-tokens", ""); status != http.StatusUnauthorized {
		t.Errorf("unsigned API request: %d", status)
	}
	// Handler alone has no control API.
	srv := httptest.NewServer(h.sim.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/_sim/tokens")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("Handler serves /_sim/: %d", res.StatusCode)
	}
}
