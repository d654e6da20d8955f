package simulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// This file holds a minimal SNWS2 client written independently of auth.go,
// so the tests check the verifier against a second implementation.

// fakeClock is a settable clock shared by the simulator and the signer.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 9, 29, 3, 52, 13, 248686631, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// signSpec describes how to sign one request.
type signSpec struct {
	id, secret string
	date       time.Time // request date; the signing key day too unless keyDate is set
	keyDate    time.Time
	useDate    bool     // send Date instead of X-SN-Date
	extra      []string // more header names to sign (lower case)
	omit       []string // header names to leave out of SignedHeaders
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return fmt.Sprintf("%x", s[:])
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	_, _ = io.WriteString(h, msg)
	return h.Sum(nil)
}

// pctEncode escapes everything but RFC 3986 unreserved characters.
func pctEncode(s string) string {
	var sb strings.Builder
	for _, b := range []byte(s) {
		unreserved := ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || ('0' <= b && b <= '9') ||
			b == '-' || b == '.' || b == '_' || b == '~'
		if unreserved {
			sb.WriteByte(b)
		} else {
			fmt.Fprintf(&sb, "%%%02X", b)
		}
	}
	return sb.String()
}

// sign adds the date and Authorization headers to req (whose body is body).
func sign(req *http.Request, body []byte, sp signSpec) {
	dateHeader := "X-Sn-Date"
	if sp.useDate {
		dateHeader = "Date"
	}
	req.Header.Set(dateHeader, sp.date.UTC().Format(http.TimeFormat))
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}

	// parameters: URL query plus the fields of a form POST
	params := req.URL.Query()
	isForm := req.Method == http.MethodPost &&
		strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	if isForm {
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	var pkeys []string
	for k := range params {
		pkeys = append(pkeys, k)
	}
	sort.Strings(pkeys)
	var pairs []string
	for _, k := range pkeys {
		for _, v := range params[k] {
			pairs = append(pairs, pctEncode(k)+"="+pctEncode(v))
		}
	}

	// headers: host, the date, every header that must be signed, extras
	hv := map[string]string{"host": host}
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "date" || lk == "x-sn-date" || strings.HasPrefix(lk, "x-sn-") ||
			lk == "content-type" || lk == "digest" || lk == "content-md5" {
			hv[lk] = strings.TrimSpace(vs[0])
		}
	}
	for _, e := range sp.extra {
		hv[e] = strings.TrimSpace(req.Header.Get(e))
	}
	for _, o := range sp.omit {
		delete(hv, o)
	}
	var names []string
	for k := range hv {
		names = append(names, k)
	}
	sort.Strings(names)
	var lines strings.Builder
	for _, n := range names {
		lines.WriteString(n + ":" + hv[n] + "\n")
	}

	bodyHash := sha256Hex(body)
	if isForm {
		bodyHash = sha256Hex(nil)
	}
	canonical := req.Method + "\n" + req.URL.EscapedPath() + "\n" + strings.Join(pairs, "&") + "\n" +
		lines.String() + strings.Join(names, ";") + "\n" + bodyHash
	toSign := "SNWS2-HMAC-SHA256\n" + sp.date.UTC().Format("20060102T150405Z") + "\n" + sha256Hex([]byte(canonical))
	keyDay := sp.date
	if !sp.keyDate.IsZero() {
		keyDay = sp.keyDate
	}
	key := mac(mac([]byte("SNWS2"+sp.secret), keyDay.UTC().Format("20060102")), "snws2_request")
	req.Header.Set("Authorization", fmt.Sprintf("SNWS2 Credential=%s,SignedHeaders=%s,Signature=%x",
		sp.id, strings.Join(names, ";"), mac(key, toSign)))
}

// harness is a started simulator plus a signing client.
type harness struct {
	t      testing.TB
	sim    *Simulator
	clock  *fakeClock
	base   string
	id     string
	secret string
	client *http.Client
}

func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	sim := New(opts)
	base := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	return &harness{t: t, sim: sim, clock: clock, base: base, id: id, secret: secret,
		client: &http.Client{Timeout: 10 * time.Second}}
}

// call describes one request.
type call struct {
	method, path string
	query        url.Values
	contentType  string
	body         string
	sp           *signSpec // nil: admin credentials at the clock's time
	unsigned     bool
	headers      map[string]string
}

// do sends c and returns the status, headers and body.
func (h *harness) do(c call) (int, http.Header, string) {
	h.t.Helper()
	u := h.base + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, u, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	if !c.unsigned {
		sp := signSpec{id: h.id, secret: h.secret, date: h.clock.Now()}
		if c.sp != nil {
			sp = *c.sp
		}
		sign(req, []byte(c.body), sp)
	}
	res, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

// as returns a signSpec for another token at the clock's time.
func (h *harness) as(t Token) *signSpec {
	return &signSpec{id: t.ID, secret: t.Secret, date: h.clock.Now()}
}

const tokensURL = "/solaruser/api/v1/sec/user/auth-tokens"

// mustJSON parses a JSON response body into a generic value.
func mustJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("invalid JSON %q: %v", s, err)
	}
	return v
}

// expect checks status and exact body.
func expect(t testing.TB, status int, body string, wantStatus int, wantBody string) {
	t.Helper()
	if status != wantStatus || body != wantBody {
		t.Errorf("got %d %s\nwant %d %s", status, body, wantStatus, wantBody)
	}
}
