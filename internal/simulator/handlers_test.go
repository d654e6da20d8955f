package simulator

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// putToken stores a token with a fixed id and creation time, so responses
// can be compared byte for byte.
func (h *harness) putToken(t Token) {
	h.sim.mu.Lock()
	defer h.sim.mu.Unlock()
	if t.UserID == 0 {
		t.UserID = h.sim.userID
	}
	if t.Status == "" {
		t.Status = StatusActive
	}
	t.Policy = normalizePolicy(t.Policy)
	h.sim.tokens[t.ID] = &t
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04:05.999999999Z", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWhoami(t *testing.T) {
	h := newHarness(t, Options{})
	want := fmt.Sprintf(`{"success":true,"data":{"userId":123,"token":"%s","tokenType":"User"}}`, h.id)
	for _, p := range []string{"/solaruser/api/v1/sec/whoami", "/solarquery/api/v1/sec/whoami"} {
		status, _, body := h.do(call{method: "GET", path: p})
		expect(t, status, body, 200, want)
	}
	data := h.sim.CreateToken(TypeReadNodeData, nil)
	status, _, body := h.do(call{method: "GET", path: "/solarquery/api/v1/sec/whoami", sp: h.as(data)})
	expect(t, status, body, 200, fmt.Sprintf(`{"success":true,"data":{"userId":123,"token":"%s","tokenType":"ReadNodeData"}}`, data.ID))
}

func TestGenerate(t *testing.T) {
	h := newHarness(t, Options{NodeIDs: []int64{100, 101, 107, 164}})
	idRE := regexp.MustCompile(`^[0-9A-Za-z._-]{20}$`)
	secretRE := regexp.MustCompile(`^[0-9A-Za-z._-]{24,31}$`)

	t.Run("no body means no policy", func(t *testing.T) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/User"})
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		d := mustJSON(t, body).(map[string]any)["data"].(map[string]any)
		if !idRE.MatchString(d["id"].(string)) || !secretRE.MatchString(d["authSecret"].(string)) {
			t.Errorf("bad id or secret: %v", d)
		}
		if _, ok := d["policy"]; ok {
			t.Errorf("unexpected policy: %s", body)
		}
		// The insert answers with the unrounded instant; reads show microseconds.
		if d["created"] != "2025-09-29 03:52:13.248686631Z" {
			t.Errorf("created %v", d["created"])
		}
		want := fmt.Sprintf(`{"success":true,"data":{"id":"%s","created":"2025-09-29 03:52:13.248686631Z","userId":123,"authSecret":"%s","status":"Active","type":"User","expired":false}}`,
			d["id"], d["authSecret"])
		if body != want {
			t.Errorf("body\n got %s\nwant %s", body, want)
		}
		tok, _ := h.sim.Token(d["id"].(string))
		if formatCreated(tok.Created) != "2025-09-29 03:52:13.248687Z" || tok.Secret != d["authSecret"] {
			t.Errorf("stored %+v", tok)
		}
		// the secret is never returned again
		_, _, list := h.do(call{method: "GET", path: tokensURL})
		if strings.Contains(list, "authSecret") || strings.Contains(list, tok.Secret) {
			t.Errorf("list leaks secret: %s", list)
		}
	})
	t.Run("empty policy", func(t *testing.T) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json", body: "{}"})
		if status != 200 || !strings.Contains(body, `"type":"ReadNodeData","policy":{},"expired":false}`) {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("no HTML escaping", func(t *testing.T) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/User", contentType: "application/json", body: `{"apiPaths":["/a<b>&"]}`})
		if status != 200 || !strings.Contains(body, `"policy":{"apiPaths":["/a<b>&"]}`) {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("web test example", func(t *testing.T) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json",
			body: `{"sourceIds":["test/**"],"refreshAllowed":true}`})
		if status != 200 || !strings.Contains(body, `"status":"Active","type":"ReadNodeData","policy":{"sourceIds":["test/**"],"refreshAllowed":true},"expired":false}}`) {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("normalised", func(t *testing.T) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json; charset=UTF-8",
			body: `{"refreshAllowed":false,"aggregations":["d","Month","bogus"],"nodeIds":[164,100,164],"sourceIds":["b","a","b"],"minLocationPrecision":"Region","locationPrecisions":["Block"],"nodeMetadataPaths":[],"notAfter":1527676200000}`})
		want := `"policy":{"nodeIds":[100,164],"sourceIds":["b","a"],"aggregations":["Day","Month"],"minLocationPrecision":"Region","notAfter":1527676200000,"refreshAllowed":false},"expired":true}}`
		if status != 200 || !strings.HasSuffix(body, want) {
			t.Errorf("%d %s\nwant suffix %s", status, body, want)
		}
	})
	for _, tc := range []struct {
		name, path, ct, body string
		status               int
		want                 string
	}{
		{"bad type", "/generate/user", "", "", 422, `{"success":false,"message":"Illegal argument: Failed to convert value of type 'java.lang.String' to required type 'net.solarnetwork.central.security.SecurityTokenType'; No enum constant net.solarnetwork.central.security.SecurityTokenType.user"}`},
		{"unowned node", "/generate/ReadNodeData", "application/json", `{"nodeIds":[100,999]}`, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`},
		{"malformed", "/generate/User", "application/json", `{"nodeIds":`, 422, ""},
		{"not json", "/generate/User", "text/plain", `{}`, 415, ""},
		{"empty aggregations", "/generate/User", "application/json", `{"aggregations":[]}`, 422, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.sim.Tokens())
			status, _, body := h.do(call{method: "POST", path: tokensURL + tc.path, contentType: tc.ct, body: tc.body})
			if status != tc.status || (tc.want != "" && body != tc.want) || !strings.Contains(body, `"success":false`) {
				t.Errorf("%d %s", status, body)
			}
			if n := len(h.sim.Tokens()); n != before {
				t.Errorf("token count changed %d -> %d", before, n)
			}
		})
	}
	t.Run("method not allowed", func(t *testing.T) {
		status, hdr, body := h.do(call{method: "GET", path: tokensURL + "/generate/User"})
		if status != 405 || hdr.Get("Allow") != "POST" || !strings.Contains(body, `"status":405,"error":"Method Not Allowed","path":"/solaruser/api/v1/sec/user/auth-tokens/generate/User","success":false}`) {
			t.Errorf("%d %v %s", status, hdr, body)
		}
	})
}

// TestManualUpdateExamples reproduces the s10k "sec-tokens update" manual.
func TestManualUpdateExamples(t *testing.T) {
	h := newHarness(t, Options{})
	created := mustTime(t, "2025-09-29 03:52:43.281061Z")
	h.putToken(Token{ID: "hNAdH.aXHaEqFossMwT8", Created: created, Type: TypeReadNodeData, Secret: "s"})

	status, _, body := h.do(call{method: "POST", path: tokensURL + "/info", contentType: "application/x-www-form-urlencoded",
		body: url.Values{"tokenId": {"hNAdH.aXHaEqFossMwT8"}, "name": {"Student access"}, "description": {"Allow access to school system data."}}.Encode()})
	expect(t, status, body, 200, `{"success":true}`)
	status, _, body = h.do(call{method: "GET", path: tokensURL + "/find", query: url.Values{"identifiers": {"hNAdH.aXHaEqFossMwT8"}}})
	expect(t, status, body, 200, `{"success":true,"data":{"startingOffset":0,"returnedResultCount":1,"results":[`+
		`{"id":"hNAdH.aXHaEqFossMwT8","created":"2025-09-29 03:52:43.281061Z","userId":123,"name":"Student access","description":"Allow access to school system data.","status":"Active","type":"ReadNodeData","expired":false}]}}`)

	const id = "kF67p6g30eUXQICUgzQf"
	reset := func() {
		h.putToken(Token{ID: id, Created: mustTime(t, "2025-09-29 04:23:20.302917Z"), Type: TypeUser, Secret: "s",
			Name: "Reporting: region 1", Description: "Allow access to region 1 for reporting team.",
			Policy: &Policy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: ptr(true)}})
	}
	prefix := `{"success":true,"data":{"id":"kF67p6g30eUXQICUgzQf","created":"2025-09-29 04:23:20.302917Z","userId":123,"name":"Reporting: region 1","description":"Allow access to region 1 for reporting team.","status":"Active","type":"User","policy":`
	patch := `{"nodeIds":[107,164],"sourceIds":["/REGION2/**"]}`

	reset()
	status, _, body = h.do(call{method: "PATCH", path: tokensURL + "/policy", query: url.Values{"tokenId": {id}}, contentType: "application/json", body: patch})
	expect(t, status, body, 200, prefix+`{"nodeIds":[100,101,107,164],"sourceIds":["/REGION1/**","/REGION2/**"],"minAggregation":"Hour","refreshAllowed":true},"expired":false}}`)

	reset()
	status, _, body = h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {id}}, contentType: "application/json", body: patch})
	expect(t, status, body, 200, prefix+`{"nodeIds":[107,164],"sourceIds":["/REGION2/**"]},"expired":false}}`)
}

// TestGenerateNodeOwnership follows DaoUserBiz.generateUserAuthToken: a node
// that does not exist is UNKNOWN_OBJECT, another account's ACCESS_DENIED, and
// by default the account owns nodes 1 to 200.
func TestGenerateNodeOwnership(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   Options
		policy string
		status int
		want   string
	}{
		{"default first", Options{}, `{"nodeIds":[1]}`, 200, ""},
		{"default last", Options{}, `{"nodeIds":[200,100,101,107,164]}`, 200, ""},
		{"default mistyped", Options{}, `{"nodeIds":[101,1010]}`, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`},
		{"explicit set", Options{NodeIDs: []int64{7}}, `{"nodeIds":[1]}`, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`},
		{"other account", Options{OtherNodeIDs: []int64{500}}, `{"nodeIds":[1,500]}`, 403, `{"success":false,"message":"ACCESS_DENIED"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json", body: tc.policy})
			if status != tc.status || (tc.want != "" && body != tc.want) {
				t.Errorf("%d %s, want %d %s", status, body, tc.status, tc.want)
			}
			if n := len(h.sim.Tokens()); (status == 200) != (n == 2) {
				t.Errorf("%d tokens after a %d", n, status)
			}
		})
	}
}

func TestPolicyEndpoints(t *testing.T) {
	h := newHarness(t, Options{NodeIDs: []int64{1}})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{NodeMetadataPaths: []string{"/pm/foo/**"}})
	q := url.Values{"tokenId": {tok.ID}}
	policyOf := func(body string) string {
		i := strings.Index(body, `"policy":`)
		j := strings.LastIndex(body, `,"expired"`)
		if i < 0 || j < 0 {
			return "<none>"
		}
		return body[i+len(`"policy":`) : j]
	}

	status, _, body := h.do(call{method: "PATCH", path: tokensURL + "/policy", query: q, contentType: "application/json",
		body: `{"sourceIds":["test/**"],"refreshAllowed":true}`})
	if status != 200 || policyOf(body) != `{"sourceIds":["test/**"],"nodeMetadataPaths":["/pm/foo/**"],"refreshAllowed":true}` {
		t.Errorf("patch: %d %s", status, body)
	}
	if strings.Contains(body, "authSecret") {
		t.Error("secret in policy response")
	}
	// PATCH cannot remove; PATCH/PUT do not check node ownership.
	status, _, body = h.do(call{method: "PATCH", path: tokensURL + "/policy", query: q, contentType: "application/json",
		body: `{"nodeIds":[5],"refreshAllowed":false,"minAggregation":"d","aggregations":["Hour"]}`})
	if status != 200 || policyOf(body) != `{"nodeIds":[5],"sourceIds":["test/**"],"minAggregation":"Day","nodeMetadataPaths":["/pm/foo/**"],"refreshAllowed":false}` {
		t.Errorf("patch 2: %d %s", status, body)
	}
	status, _, body = h.do(call{method: "PUT", path: tokensURL + "/policy", query: q, contentType: "application/json", body: `{}`})
	if status != 200 || policyOf(body) != `{}` {
		t.Errorf("put {}: %d %s", status, body)
	}
	if got, _ := h.sim.Token(tok.ID); got.Policy == nil || got.Policy.Restricted() {
		t.Errorf("stored %+v", got.Policy)
	}

	for _, tc := range []struct {
		name, method, ct, body string
		query                  url.Values
		status                 int
		want                   string
	}{
		{"unknown token", "PATCH", "application/json", `{}`, url.Values{"tokenId": {"nope"}}, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`},
		{"unknown token put", "PUT", "application/json", `{}`, url.Values{"tokenId": {"nope"}}, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`},
		{"form content", "PATCH", "application/x-www-form-urlencoded", `a=b`, q, 415, ""},
		{"no content type", "PUT", "", `{}`, q, 415, ""},
		{"malformed", "PATCH", "application/json", `{"sourceIds":`, q, 422, ""},
		{"not an object", "PUT", "application/json", `["a"]`, q, 422, ""},
		{"empty body", "PUT", "application/json", ``, q, 422, `{"success":false,"message":"Malformed request: Required request body is missing"}`},
		{"null min precision", "PUT", "application/json", `{"minLocationPrecision":null}`, q, 422, ""},
		{"missing tokenId", "PATCH", "application/json", `{}`, nil, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := h.do(call{method: tc.method, path: tokensURL + "/policy", query: tc.query, contentType: tc.ct, body: tc.body})
			if status != tc.status || (tc.want != "" && body != tc.want) || !strings.Contains(body, `"success":false`) {
				t.Errorf("%d %s", status, body)
			}
		})
	}
}

func TestInfoStatusDelete(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeUser, nil)
	id := url.Values{"tokenId": {tok.ID}}
	ok := `{"success":true}`
	unknown := `{"success":false,"message":"UNKNOWN_OBJECT"}`
	post := func(path string, q url.Values) (int, string) {
		status, _, body := h.do(call{method: "POST", path: tokensURL + path, query: q})
		return status, body
	}
	with := func(kv ...string) url.Values {
		q := url.Values{"tokenId": {tok.ID}}
		for i := 0; i < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}

	status, body := post("/info", with("name", "n", "description", "d"))
	expect(t, status, body, 200, ok)
	// both fields are replaced; blank clears
	status, body = post("/info", with("name", "only name", "description", "   "))
	expect(t, status, body, 200, ok)
	if got, _ := h.sim.Token(tok.ID); got.Name != "only name" || got.Description != "" {
		t.Errorf("got %+v", got)
	}
	status, body = post("/info", with("name", strings.Repeat("é", 128), "description", strings.Repeat("x", 512)))
	expect(t, status, body, 200, ok)
	tooLong := `{"success":false,"code":"DAO.00103","message":"An invalid query parameter was used, or a required parameter was missing."}`
	status, body = post("/info", with("name", strings.Repeat("x", 129)))
	expect(t, status, body, 422, tooLong)
	status, body = post("/info", with("description", strings.Repeat("x", 513)))
	expect(t, status, body, 422, tooLong)
	status, body = post("/info", url.Values{"tokenId": {"nope"}, "name": {"x"}})
	expect(t, status, body, 403, unknown)
	status, body = post("/info", url.Values{"name": {"x"}})
	if status != 400 || !regexp.MustCompile(`^\{"timestamp":"[^"]+","status":400,"error":"Bad Request","path":"/solaruser/api/v1/sec/user/auth-tokens/info","success":false\}$`).MatchString(body) {
		t.Errorf("missing tokenId: %d %s", status, body)
	}

	status, body = post("/status", with("status", "Disabled"))
	expect(t, status, body, 200, ok)
	if got, _ := h.sim.Token(tok.ID); got.Status != StatusDisabled {
		t.Errorf("status %s", got.Status)
	}
	status, body = post("/status", with("status", "disabled"))
	if status != 422 || !strings.HasPrefix(body, `{"success":false,"message":"Illegal argument: `) {
		t.Errorf("bad status: %d %s", status, body)
	}
	status, body = post("/status", id)
	if status != 400 {
		t.Errorf("missing status: %d %s", status, body)
	}
	status, body = post("/status", url.Values{"tokenId": {"nope"}, "status": {"Active"}})
	expect(t, status, body, 403, unknown)

	for _, path := range []string{tokensURL, tokensURL + "/"} {
		status, _, body = h.do(call{method: "DELETE", path: path, query: id})
		expect(t, status, body, 200, ok) // the second time the token is already gone
	}
	if _, found := h.sim.Token(tok.ID); found {
		t.Error("token not deleted")
	}
	status, _, body = h.do(call{method: "DELETE", path: tokensURL})
	if status != 400 {
		t.Errorf("delete without tokenId: %d %s", status, body)
	}
}

func TestListAndFind(t *testing.T) {
	h := newHarness(t, Options{})
	h.clock.Add(time.Second)
	a := h.sim.CreateToken(TypeReadNodeData, nil)
	h.clock.Add(time.Second)
	b := h.sim.CreateToken(TypeUser, &Policy{NotAfter: ptr(h.clock.Now().Add(-time.Hour))})
	h.clock.Add(time.Second)
	c := h.sim.CreateToken(TypeReadNodeData, nil)
	if err := h.sim.SetStatus(c.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}

	ids := func(body string, results bool) []string {
		v := mustJSON(t, body).(map[string]any)["data"]
		var list []any
		if results {
			list = v.(map[string]any)["results"].([]any)
		} else {
			list = v.([]any)
		}
		var out []string
		for _, e := range list {
			out = append(out, e.(map[string]any)["id"].(string))
		}
		return out
	}
	sorted := func(s ...string) []string {
		out := append([]string(nil), s...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	for _, path := range []string{tokensURL, tokensURL + "/"} {
		status, _, body := h.do(call{method: "GET", path: path})
		if got := ids(body, false); status != 200 || fmt.Sprint(got) != fmt.Sprint([]string{h.id, a.ID, b.ID, c.ID}) {
			t.Errorf("list %s: %v", path, got)
		}
	}
	_, _, body := h.do(call{method: "GET", path: tokensURL})
	if !strings.Contains(body, `"type":"User","policy":{"notAfter":`) || !strings.Contains(body, `},"expired":true}`) {
		t.Errorf("expired not computed: %s", body)
	}

	for _, tc := range []struct {
		q    url.Values
		want []string
	}{
		{url.Values{}, sorted(h.id, a.ID, b.ID, c.ID)},
		{url.Values{"identifiers": {a.ID + "," + c.ID}}, sorted(a.ID, c.ID)},
		{url.Values{"identifiers": {a.ID, c.ID}}, sorted(a.ID, c.ID)},
		{url.Values{"identifier": {b.ID}}, []string{b.ID}},
		{url.Values{"tokenTypes": {"User"}}, sorted(h.id, b.ID)},
		{url.Values{"tokenType": {"ReadNodeData"}}, sorted(a.ID, c.ID)},
		{url.Values{"tokenTypes": {"Bogus"}}, sorted(h.id, a.ID, b.ID, c.ID)},
		{url.Values{"active": {"false"}}, []string{c.ID}},
		{url.Values{"active": {"true"}, "tokenTypes": {"ReadNodeData"}}, []string{a.ID}},
		{url.Values{"identifiers": {"nope"}}, nil},
	} {
		status, _, body := h.do(call{method: "GET", path: tokensURL + "/find", query: tc.q})
		got := ids(body, true)
		if status != 200 || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("find %v: %d %v, want %v", tc.q, status, got, tc.want)
		}
		if n := len(tc.want); !strings.Contains(body, fmt.Sprintf(`{"startingOffset":0,"returnedResultCount":%d,"results":[`, n)) {
			t.Errorf("find %v: %s", tc.q, body)
		}
	}
}

func TestFindCache(t *testing.T) {
	h := newHarness(t, Options{FindCacheTTL: 15 * time.Minute})
	tok := h.sim.CreateToken(TypeReadNodeData, nil)
	find := func(q url.Values) string {
		_, _, body := h.do(call{method: "GET", path: tokensURL + "/find", query: q})
		return body
	}
	one := url.Values{"identifiers": {tok.ID}}
	if !strings.Contains(find(one), `"status":"Active"`) {
		t.Fatal("not found")
	}
	if err := h.sim.SetStatus(tok.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(find(one), `"status":"Active"`) {
		t.Error("single-identifier find should be stale")
	}
	if !strings.Contains(find(url.Values{"identifiers": {tok.ID}, "tokenTypes": {"User,ReadNodeData"}}), `"status":"Disabled"`) {
		t.Error("an extra criterion should bypass the cache")
	}
	h.clock.Add(15 * time.Minute)
	if !strings.Contains(find(one), `"status":"Disabled"`) {
		t.Error("cache should expire")
	}
}

func TestRestrictedAndDataCallers(t *testing.T) {
	h := newHarness(t, Options{})
	restricted := h.sim.CreateToken(TypeUser, &Policy{SourceIDs: []string{"a"}})
	expiring := h.sim.CreateToken(TypeUser, &Policy{NotAfter: ptr(h.clock.Now().Add(time.Hour)), RefreshAllowed: ptr(true)})
	data := h.sim.CreateToken(TypeReadNodeData, nil)
	denied := `{"success":false,"message":"ACCESS_DENIED"}`
	// A data token lacks ROLE_USER: Spring Security's own message, without
	// the authentication headers.
	roleDenied := `{"success":false,"message":"Access Denied"}`
	id := url.Values{"tokenId": {data.ID}}
	mutations := []call{
		{method: "POST", path: tokensURL + "/generate/User"},
		{method: "POST", path: tokensURL + "/info", query: url.Values{"tokenId": {data.ID}, "name": {"x"}}},
		{method: "POST", path: tokensURL + "/status", query: url.Values{"tokenId": {data.ID}, "status": {"Disabled"}}},
		{method: "PATCH", path: tokensURL + "/policy", query: id, contentType: "application/json", body: "{}"},
		{method: "PUT", path: tokensURL + "/policy", query: id, contentType: "application/json", body: "{}"},
		{method: "DELETE", path: tokensURL, query: id},
	}
	for _, c := range mutations {
		c.sp = h.as(restricted)
		status, _, body := h.do(c)
		expect(t, status, body, 403, denied)
		c.sp = h.as(data)
		status, hdr, body := h.do(c)
		expect(t, status, body, 403, roleDenied)
		if hdr.Get("X-SN-ErrorMessage") != "" || hdr.Get("WWW-Authenticate") != "" {
			t.Errorf("a role refusal has authentication headers: %v", hdr)
		}
	}
	for _, path := range []string{tokensURL, tokensURL + "/find"} {
		_, _, body := h.do(call{method: "GET", path: path, sp: h.as(restricted)})
		if strings.Count(body, `"id":`) != 1 || !strings.Contains(body, restricted.ID) {
			t.Errorf("restricted %s: %s", path, body)
		}
		status, _, body := h.do(call{method: "GET", path: path, sp: h.as(data)})
		expect(t, status, body, 403, roleDenied)
	}
	// SolarUser's whoami is under /api/v1/sec/** too; SolarQuery's answers.
	status, _, body := h.do(call{method: "GET", path: "/solaruser/api/v1/sec/whoami", sp: h.as(data)})
	expect(t, status, body, 403, roleDenied)
	if status, _, body := h.do(call{method: "GET", path: "/solarquery/api/v1/sec/whoami", sp: h.as(data)}); status != 200 ||
		!strings.Contains(body, `"tokenType":"ReadNodeData"`) {
		t.Errorf("SolarQuery whoami of a data token: %d %s", status, body)
	}
	// notAfter and refreshAllowed do not make a token restricted
	status, _, body = h.do(call{method: "POST", path: tokensURL + "/status", sp: h.as(expiring),
		query: url.Values{"tokenId": {data.ID}, "status": {"Disabled"}}})
	expect(t, status, body, 200, `{"success":true}`)
	if got, _ := h.sim.Token(data.ID); got.Status != StatusDisabled {
		t.Error("status not changed")
	}
}

func TestNotFoundPaths(t *testing.T) {
	h := newHarness(t, Options{})
	for _, c := range []call{
		{method: "GET", path: "/solaruser/api/v1/sec/nothing"},
		{method: "GET", path: tokensURL + "/find/"},
		{method: "POST", path: tokensURL + "/generate/"},
		{method: "GET", path: "/somewhere", unsigned: true},
	} {
		status, _, body := h.do(c)
		if status != 404 || !strings.Contains(body, `"status":404,"error":"Not Found"`) {
			t.Errorf("%s: %d %s", c.path, status, body)
		}
	}
	// the security filter answers before routing
	status, _, _ := h.do(call{method: "GET", path: "/solaruser/api/v1/sec/nothing", unsigned: true})
	if status != 401 {
		t.Errorf("unauthenticated unknown path: %d", status)
	}
}

func TestRefreshV2(t *testing.T) {
	h := newHarness(t, Options{})
	denied := h.sim.CreateToken(TypeReadNodeData, &Policy{RefreshAllowed: ptr(false)})
	path := "/solarquery/api/v1/sec/auth-tokens/refresh/v2"
	day := h.clock.Now().Format("2006-01-02")
	status, _, body := h.do(call{method: "GET", path: path, query: url.Values{"date": {day}}})
	key := fmt.Sprintf("%x", signingKey(h.secret, h.clock.Now()))
	expect(t, status, body, 200, `{"success":true,"data":{"key":"`+key+`"}}`)
	status, _, body = h.do(call{method: "GET", path: path, query: url.Values{"date": {h.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")}}})
	expect(t, status, body, 422, `{"success":false,"message":"Illegal argument: date parameter cannot be in the future"}`)
	status, _, body = h.do(call{method: "GET", path: path, query: url.Values{"date": {day}}, sp: h.as(denied)})
	expect(t, status, body, 403, `{"success":false,"message":"ACCESS_DENIED"}`)
	// refreshAllowed false is checked before the date.
	status, _, body = h.do(call{method: "GET", path: path, query: url.Values{"date": {h.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")}}, sp: h.as(denied)})
	expect(t, status, body, 403, `{"success":false,"message":"ACCESS_DENIED"}`)
	// Unset, refreshAllowed lets the key holder refresh.
	unset := h.sim.CreateToken(TypeReadNodeData, &Policy{NodeIDs: []int64{1}})
	status, _, body = h.do(call{method: "GET", path: path, query: url.Values{"date": {day}}, sp: h.as(unset)})
	expect(t, status, body, 200, `{"success":true,"data":{"key":"`+fmt.Sprintf("%x", signingKey(unset.Secret, h.clock.Now()))+`"}}`)
}

// TestRestrictedCallerListFromIdentifierCache: SolarNetwork answers a
// restricted caller's list-all with a find of its own token, which the
// per-identifier cache serves: read by /find?identifiers=<it> before it was
// restricted, the token lists itself as it was, unrestricted. A find with
// another criterion is not served from that cache and shows the policy as
// it is; a restricted caller's find is of its own token, whatever it names.
func TestRestrictedCallerListFromIdentifierCache(t *testing.T) {
	h := newHarness(t, Options{FindCacheTTL: 15 * time.Minute})
	caller := h.sim.CreateToken(TypeUser, nil)
	other := h.sim.CreateToken(TypeReadNodeData, nil)
	status, _, body := h.do(call{method: "GET", path: tokensURL + "/find", query: url.Values{"identifiers": {caller.ID}}})
	if status != 200 || !strings.Contains(body, `"returnedResultCount":1`) {
		t.Fatalf("find of the caller: %s", body)
	}
	if err := h.sim.SetPolicy(caller.ID, &Policy{NodeIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}

	_, _, body = h.do(call{method: "GET", path: tokensURL, sp: h.as(caller)})
	if strings.Count(body, `"id":`) != 1 || !strings.Contains(body, caller.ID) || strings.Contains(body, `"nodeIds"`) {
		t.Errorf("restricted list-all: %s, want the caller alone as cached, without its node IDs", body)
	}
	_, _, body = h.do(call{method: "GET", path: tokensURL + "/find", sp: h.as(caller),
		query: url.Values{"identifiers": {caller.ID + "," + other.ID}, "tokenTypes": {"User,ReadNodeData"}}})
	if strings.Count(body, `"id":`) != 1 || !strings.Contains(body, caller.ID) || !strings.Contains(body, `"nodeIds":[1]`) {
		t.Errorf("restricted find with a type criterion: %s, want the caller alone as it is", body)
	}
	_, _, body = h.do(call{method: "GET", path: tokensURL + "/find", sp: h.as(caller), query: url.Values{"identifiers": {other.ID}}})
	if strings.Count(body, `"id":`) != 1 || !strings.Contains(body, caller.ID) {
		t.Errorf("restricted find of another token: %s, want the caller's own", body)
	}
}
