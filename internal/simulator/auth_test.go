package simulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// snws2Vector is one entry of internal/testdata/snws2-vectors.json.
type snws2Vector struct {
	Name  string `json:"name"`
	Input struct {
		TokenID       string            `json:"tokenId"`
		TokenSecret   string            `json:"tokenSecret"`
		RequestDate   time.Time         `json:"requestDate"`
		SigningDate   string            `json:"signingDate"`
		Method        string            `json:"method"`
		Path          string            `json:"path"`
		QueryParams   [][2]string       `json:"queryParams"`
		Headers       map[string]string `json:"headers"`
		SignedHeaders []string          `json:"signedHeaders"`
		Body          *string           `json:"body"`
		BodySHA256Hex string            `json:"bodySha256Hex"`
	} `json:"input"`
	Expected map[string]string `json:"expected"`
	Derived  map[string]string `json:"derived"`
}

func loadVectors(t *testing.T) []snws2Vector {
	t.Helper()
	b, err := os.ReadFile("../testdata/snws2-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []snws2Vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) != 19 {
		t.Fatalf("expected 19 vectors, found %d", len(f.Vectors))
	}
	return f.Vectors
}

// want returns an expected value, falling back to the derived one.
func (v *snws2Vector) want(key string) (string, bool) {
	if s, ok := v.Expected[key]; ok {
		return s, true
	}
	s, ok := v.Derived[key]
	return s, ok
}

// vectorRequest builds the HTTP request a vector describes.
func vectorRequest(v *snws2Vector) *http.Request {
	q := url.Values{}
	var raw []string
	for _, p := range v.Input.QueryParams {
		q.Add(p[0], p[1])
		raw = append(raw, url.QueryEscape(p[0])+"="+url.QueryEscape(p[1]))
	}
	target := v.Input.Path
	if len(raw) > 0 {
		target += "?" + strings.Join(raw, "&")
	}
	body := ""
	if v.Input.Body != nil {
		body = *v.Input.Body
	}
	r := httptest.NewRequest(v.Input.Method, target, strings.NewReader(body))
	r.Header = http.Header{}
	for k, val := range v.Input.Headers {
		if k == "host" {
			r.Host = val
			continue
		}
		r.Header[http.CanonicalHeaderKey(k)] = []string{val}
	}
	return r
}

// TestSNWS2Vectors runs every published vector through the server-side
// canonical request, signing key and signature code, and where the body is
// known, through the whole verifier.
func TestSNWS2Vectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			in := &v.Input
			if want, ok := v.want("signingKeyHex"); ok {
				day, err := time.Parse("20060102", in.SigningDate)
				if err != nil {
					t.Fatal(err)
				}
				if got := hex.EncodeToString(signingKey(in.TokenSecret, day)); got != want {
					t.Errorf("signing key %s, want %s", got, want)
				}
			}
			if in.Method == "" {
				return // a signing-key-only vector
			}
			r := vectorRequest(&v)
			bodyHash := in.BodySHA256Hex
			if in.Body != nil {
				sum := sha256.Sum256([]byte(*in.Body))
				if got := hex.EncodeToString(sum[:]); got != bodyHash {
					t.Fatalf("body hash %s, vector says %s", got, bodyHash)
				}
			}
			keys, params := requestParams(r, nil, false)
			canonical := canonicalRequest(r, canonicalQuery(keys, params), in.SignedHeaders, bodyHash)
			if want, ok := v.want("canonicalRequest"); ok && canonical != want {
				t.Errorf("canonical request\n got: %q\nwant: %q", canonical, want)
			}
			data := stringToSign(in.RequestDate, canonical)
			if want, ok := v.want("signatureData"); ok && data != want {
				t.Errorf("signature data\n got: %q\nwant: %q", data, want)
			}
			sig := hex.EncodeToString(hmacSHA256(signingKey(in.TokenSecret, in.RequestDate), data))
			auth := "SNWS2 Credential=" + in.TokenID + ",SignedHeaders=" +
				strings.Join(in.SignedHeaders, ";") + ",Signature=" + sig
			if want := v.Expected["authorization"]; auth != want {
				t.Errorf("authorization\n got: %s\nwant: %s", auth, want)
			}

			// The full verifier: the vector's own Authorization header must be
			// accepted at the vector's date, unless its digest header cannot
			// match (the body is not part of the vector, or is fake).
			sim := New(Options{
				Now:          func() time.Time { return in.RequestDate },
				AdminTokenID: in.TokenID,
				AdminSecret:  in.TokenSecret,
			})
			r = vectorRequest(&v)
			r.Header.Set("Authorization", v.Expected["authorization"])
			body := []byte(nil)
			if in.Body != nil {
				body = []byte(*in.Body)
			}
			_, aerr := sim.authenticate(r, body)
			_, hasDigest := in.Headers["digest"]
			_, hasMD5 := in.Headers["content-md5"]
			switch {
			case hasMD5:
				if aerr == nil || aerr.msg != "Content md5 digest value mismatch" {
					t.Errorf("fake Content-MD5: got %v", aerr)
				}
			case hasDigest && in.Body == nil:
				if aerr == nil || aerr.msg != "Content sha-256 digest value mismatch" {
					t.Errorf("digest without body: got %v", aerr)
				}
			default:
				if aerr != nil {
					t.Errorf("verifier refused the vector: %d %s", aerr.status, aerr.msg)
				}
			}
		})
	}
}

// TestIllustrativeFixtures checks the two simulator fixtures of solarnetwork-api.md §8.6.
func TestIllustrativeFixtures(t *testing.T) {
	date := time.Date(2017, 4, 25, 14, 30, 0, 0, time.UTC)
	sim := New(Options{Now: func() time.Time { return date }, AdminTokenID: "test-token-id", AdminSecret: "test-token-secret"})
	for _, tc := range []struct {
		name, method, target, ct, body, sig string
	}{
		{"form", "POST", "/solaruser/api/v1/sec/user/auth-tokens/info", "application/x-www-form-urlencoded",
			"tokenId=abcdefghij0123456789&name=My+token", "460b84dfc6ea300caf2b7e6b928c24764739a16d9d2fcebb33e6983f220aac67"},
		{"json", "PATCH", "/solaruser/api/v1/sec/user/auth-tokens/policy?tokenId=abcdefghij0123456789", "application/json",
			`{"sourceIds":["test/**"],"refreshAllowed":true}`, "266085422906831d130130c83a24784e4b29ec688949437ea9210bc8c8311116"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			r.Host = "data.solarnetwork.net"
			r.Header.Set("Content-Type", tc.ct)
			r.Header.Set("X-SN-Date", "Tue, 25 Apr 2017 14:30:00 GMT")
			r.Header.Set("Authorization", "SNWS2 Credential=test-token-id,SignedHeaders=content-type;host;x-sn-date,Signature="+tc.sig)
			if _, aerr := sim.authenticate(r, []byte(tc.body)); aerr != nil {
				t.Fatalf("refused: %s", aerr.msg)
			}
		})
	}
}

func TestUriEncode(t *testing.T) {
	for in, want := range map[string]string{
		"/path/*":     "%2Fpath%2F%2A",
		"My token":    "My%20token",
		"a-b_c.d~e":   "a-b_c.d~e",
		"!'()":        "%21%27%28%29",
		"é":           "%C3%A9",
		"a+b=c&d":     "a%2Bb%3Dc%26d",
		"/REGION1/**": "%2FREGION1%2F%2A%2A",
	} {
		if got := uriEncode(in); got != want {
			t.Errorf("uriEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAuthFailures drives the verifier over HTTP with the test signer.
func TestAuthFailures(t *testing.T) {
	h := newHarness(t, Options{})
	now := h.clock.Now()
	whoami := "/solaruser/api/v1/sec/whoami"
	disabled := h.sim.CreateToken(TypeUser, nil)
	if err := h.sim.SetStatus(disabled.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	expired := h.sim.CreateToken(TypeUser, &Policy{NotAfter: ptr(now.Add(-time.Minute))})
	notYet := h.sim.CreateToken(TypeUser, &Policy{NotAfter: ptr(now.Add(time.Hour))})
	disabledExpired := h.sim.CreateToken(TypeUser, &Policy{NotAfter: ptr(now.Add(-time.Minute))})
	if err := h.sim.SetStatus(disabledExpired.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	apiLimited := h.sim.CreateToken(TypeUser, &Policy{APIPaths: []string{"/user/auth-tokens/**"}})
	inverted := h.sim.CreateToken(TypeUser, &Policy{APIPaths: []string{"!/whoami"}})

	spec := func(mod func(*signSpec)) *signSpec {
		sp := signSpec{id: h.id, secret: h.secret, date: now}
		if mod != nil {
			mod(&sp)
		}
		return &sp
	}
	day := 24 * time.Hour
	tests := []struct {
		name       string
		c          call
		wantStatus int
		wantMsg    string // "" = success
	}{
		{"ok", call{method: "GET", path: whoami}, 200, ""},
		{"ok with Date header", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.useDate = true })}, 200, ""},
		{"no authorization", call{method: "GET", path: whoami, unsigned: true}, 401, msgFullAuthRequired},
		{"other scheme", call{method: "GET", path: whoami, unsigned: true,
			headers: map[string]string{"Authorization": "Bearer abc"}}, 401, msgFullAuthRequired},
		{"missing date", call{method: "GET", path: whoami, unsigned: true,
			headers: map[string]string{"Authorization": "SNWS2 Credential=x,SignedHeaders=host;date,Signature=" + strings.Repeat("0", 64)}},
			403, msgMissingDate},
		{"bad date", call{method: "GET", path: whoami, unsigned: true,
			headers: map[string]string{"X-SN-Date": "yesterday", "Authorization": "SNWS2 Credential=x,SignedHeaders=host;x-sn-date,Signature=" + strings.Repeat("0", 64)}},
			403, "Invalid HTTP X-SN-Date header value"},
		{"short signature", call{method: "GET", path: whoami, unsigned: true,
			headers: map[string]string{"X-SN-Date": now.Format(http.TimeFormat), "Authorization": "SNWS2 Credential=x,SignedHeaders=host;x-sn-date,Signature=abc"}},
			403, "Invalid Signature value"},
		{"one signed header", call{method: "GET", path: whoami, unsigned: true,
			headers: map[string]string{"X-SN-Date": now.Format(http.TimeFormat), "Authorization": "SNWS2 Credential=x,SignedHeaders=host,Signature=" + strings.Repeat("0", 64)}},
			403, "Invalid SignedHeaders value"},
		{"host not signed", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.omit = []string{"host"}; s.extra = []string{"accept"} }),
			headers: map[string]string{"Accept": "application/json"}},
			403, "The 'Host' HTTP header must be included in SignedHeaders"},
		{"date not signed", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.omit = []string{"x-sn-date"}; s.extra = []string{"accept"} }),
			headers: map[string]string{"Accept": "application/json"}},
			403, "One of the 'Date' or 'X-SN-Date' HTTP headers must be included in SignedHeaders"},
		{"x-sn header not signed", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.omit = []string{"x-sn-extra"} }),
			headers: map[string]string{"X-SN-Extra": "1"}},
			403, "The 'x-sn-extra' HTTP header must be included in SignedHeaders"},
		{"content-type not signed", call{method: "POST", path: tokensURL + "/generate/User", contentType: "application/json", body: "{}",
			sp: spec(func(s *signSpec) { s.omit = []string{"content-type"} })},
			403, "The 'content-type' HTTP header must be included in SignedHeaders"},
		{"digest mismatch", call{method: "POST", path: tokensURL + "/generate/User", contentType: "application/json", body: "{}",
			headers: map[string]string{"Digest": "sha-256=k6I5cakU5erL8KjSUVTNownDwccvu5kU1Hxg88toFYg="}},
			403, "Content sha-256 digest value mismatch"},
		{"digest ok", call{method: "POST", path: tokensURL + "/generate/User", contentType: "application/json", body: `{"hello":"world"}`,
			headers: map[string]string{"Digest": "sha-256=k6I5cakU5erL8KjSUVTNownDwccvu5kU1Hxg88toFYg="}},
			200, ""},
		{"bad signature", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.secret = "wrong" })}, 403, msgBadCredentials},
		{"unknown token", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.id = "nosuchtoken000000000" })}, 403, msgBadCredentials},
		{"disabled token", call{method: "GET", path: whoami, sp: h.as(disabled)}, 403, msgBadCredentials},
		{"skew 14 min", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.date = now.Add(-14 * time.Minute) })}, 200, ""},
		{"skew 16 min", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.date = now.Add(-16 * time.Minute) })}, 403, msgDateSkew},
		{"skew 16 min ahead", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.date = now.Add(16 * time.Minute) })}, 403, msgDateSkew},
		{"key 6 days old", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.keyDate = now.Add(-6 * day) })}, 200, ""},
		{"key 7 days old", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.keyDate = now.Add(-7 * day) })}, 403, msgBadCredentials},
		{"key from tomorrow", call{method: "GET", path: whoami, sp: spec(func(s *signSpec) { s.keyDate = now.Add(day) })}, 403, msgBadCredentials},
		{"expired caller", call{method: "GET", path: whoami, sp: h.as(expired)}, 401, msgExpired},
		// SecurityTokenAuthenticationFilter checks expiry and apiPaths before
		// the signature, and the date skew last.
		{"expired caller, bad signature", call{method: "GET", path: whoami,
			sp: &signSpec{id: expired.ID, secret: "wrong", date: now}}, 401, msgExpired},
		{"expired caller, date skew", call{method: "GET", path: whoami,
			sp: &signSpec{id: expired.ID, secret: expired.Secret, date: now.Add(-time.Hour)}}, 401, msgExpired},
		{"disabled and expired", call{method: "GET", path: whoami, sp: h.as(disabledExpired)}, 403, msgBadCredentials},
		{"api path denied, bad signature", call{method: "GET", path: whoami,
			sp: &signSpec{id: apiLimited.ID, secret: "wrong", date: now}}, 403, msgAccessDenied},
		{"bad signature and date skew", call{method: "GET", path: whoami,
			sp: spec(func(s *signSpec) { s.secret = "wrong"; s.date = now.Add(-time.Hour) })}, 403, msgBadCredentials},
		{"not yet expired", call{method: "GET", path: whoami, sp: h.as(notYet)}, 200, ""},
		{"api path denied", call{method: "GET", path: whoami, sp: h.as(apiLimited)}, 403, msgAccessDenied},
		{"api path allowed", call{method: "GET", path: tokensURL + "/find", sp: h.as(apiLimited)}, 200, ""},
		{"api path allowed, restricted actor", call{method: "DELETE", path: tokensURL, query: url.Values{"tokenId": {"x"}}, sp: h.as(apiLimited)},
			403, msgAccessDeniedCode},
		{"inverted api path denied", call{method: "GET", path: whoami, sp: h.as(inverted)}, 403, msgAccessDenied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := h.do(tc.c)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantMsg == "" {
				return
			}
			if want := `{"success":false,"message":"` + tc.wantMsg + `"}`; body != want {
				t.Errorf("body %s, want %s", body, want)
			}
			if tc.wantMsg == msgAccessDeniedCode {
				return // an access rule, not an authentication failure
			}
			if hdr.Get("WWW-Authenticate") != "SNWS2" || hdr.Get("X-SN-ErrorMessage") != tc.wantMsg {
				t.Errorf("auth headers %q %q", hdr.Get("WWW-Authenticate"), hdr.Get("X-SN-ErrorMessage"))
			}
		})
	}
}

// TestFormPostSigning checks that form fields are signed as parameters with
// the empty body hash, and that the same call with URL parameters also works.
func TestFormPostSigning(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, nil)
	form := url.Values{"tokenId": {tok.ID}, "name": {"My token"}, "description": {"a/b * c"}}
	status, _, body := h.do(call{method: "POST", path: tokensURL + "/info",
		contentType: "application/x-www-form-urlencoded", body: form.Encode()})
	expect(t, status, body, 200, `{"success":true}`)
	got, _ := h.sim.Token(tok.ID)
	if got.Name != "My token" || got.Description != "a/b * c" {
		t.Errorf("info not applied: %+v", got)
	}
	status, _, body = h.do(call{method: "POST", path: tokensURL + "/info", query: url.Values{"tokenId": {tok.ID}, "name": {"Other"}}})
	expect(t, status, body, 200, `{"success":true}`)
	if got, _ := h.sim.Token(tok.ID); got.Name != "Other" || got.Description != "" {
		t.Errorf("info not replaced: %+v", got)
	}
}

func TestAPIPathAllowed(t *testing.T) {
	p := &Policy{APIPaths: []string{"/user/auth-tokens/**", "!/datum/**"}}
	for path, want := range map[string]bool{
		"/solaruser/api/v1/sec/user/auth-tokens":        true,
		"/solaruser/api/v1/sec/user/auth-tokens/find":   true,
		"/solaruser/api/v1/sec/whoami":                  true, // matches the inverted pattern
		"/solarquery/api/v1/sec/datum/list":             false,
		"/solarquery/api/v1/sec/datum/stream/reading/x": false,
	} {
		if got := apiPathAllowed(p, path); got != want {
			t.Errorf("apiPathAllowed(%s) = %v, want %v", path, got, want)
		}
	}
	if !apiPathAllowed(nil, "/x") || !apiPathAllowed(&Policy{}, "/x") {
		t.Error("no apiPaths must allow everything")
	}
}

func ptr[T any](v T) *T { return &v }

// TestCLIStyleSigning signs the way the s10k CLI does: the Date header and
// every header present, including accept and content-length.
func TestCLIStyleSigning(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeUser, nil)
	body := url.Values{"tokenId": {tok.ID}, "status": {"Disabled"}}.Encode()
	req, err := http.NewRequest("POST", h.base+tokensURL+"/status", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	sign(req, []byte(body), signSpec{id: h.id, secret: h.secret, date: h.clock.Now(), useDate: true,
		extra: []string{"accept", "content-length"}})
	if !strings.Contains(req.Header.Get("Authorization"), "SignedHeaders=accept;content-length;content-type;date;host,") {
		t.Fatalf("signed %s", req.Header.Get("Authorization"))
	}
	res, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got, _ := h.sim.Token(tok.ID); got.Status != StatusDisabled {
		t.Error("status not changed")
	}
}

// A component given twice keeps its last value, as tokenStringToMap's
// map.put does; parts without "=" or with an empty key are skipped.
func TestAuthComponentsLastWins(t *testing.T) {
	got := authComponents("Credential=a,Signature=x,Credential=b,=c,junk,SignedHeaders=host;x-sn-date")
	want := map[string]string{"Credential": "b", "Signature": "x", "SignedHeaders": "host;x-sn-date"}
	if !maps.Equal(got, want) {
		t.Errorf("authComponents = %v, want %v", got, want)
	}
}
