package simulator

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultRateLimit(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Method: "GET", Path: "/auth-tokens", Status: 429, RetryAfter: 1500 * time.Millisecond})
	status, hdr, body := h.do(call{method: "GET", path: tokensURL})
	expect(t, status, body, 429, `{"success":false,"code":"WEB.10000"}`)
	want := h.clock.Now().Add(1500 * time.Millisecond).UnixMilli()
	if got, _ := strconv.ParseInt(hdr.Get("X-SN-Rate-Limit-Retry-After"), 10, 64); got != want {
		t.Errorf("X-SN-Rate-Limit-Retry-After %q, want %d", hdr.Get("X-SN-Rate-Limit-Retry-After"), want)
	}
	// RateLimitingFilter sets only its own header.
	if v := hdr.Get("Retry-After"); v != "" {
		t.Errorf("the rate limiter's 429 carries Retry-After %q", v)
	}
	if hdr.Get("Date") != h.clock.Now().UTC().Format(http.TimeFormat) {
		t.Errorf("Date %q, want the simulator's clock", hdr.Get("Date"))
	}
	// used up: the next request succeeds
	if status, _, _ := h.do(call{method: "GET", path: tokensURL}); status != 200 {
		t.Errorf("second request %d", status)
	}
	// A gateway's answer carries the standard header instead.
	h.sim.InjectFault(Fault{Method: "GET", Path: "/auth-tokens", Status: 503, RetryAfter: 1500 * time.Millisecond})
	status, hdr, _ = h.do(call{method: "GET", path: tokensURL})
	if status != 503 || hdr.Get("Retry-After") != "2" || hdr.Get("X-SN-Rate-Limit-Retry-After") != "" {
		t.Errorf("gateway: %d, Retry-After %q, X-SN-Rate-Limit-Retry-After %q", status, hdr.Get("Retry-After"), hdr.Get("X-SN-Rate-Limit-Retry-After"))
	}
}

func TestFaultStatuses(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Status: 503, Times: 2})
	h.sim.InjectFault(Fault{Status: 500})
	for range 2 {
		status, hdr, body := h.do(call{method: "GET", path: tokensURL})
		if status != 503 || !strings.Contains(body, "503 Service Unavailable") || hdr.Get("Content-Type") != "text/html" {
			t.Errorf("%d %s", status, body)
		}
	}
	status, _, body := h.do(call{method: "GET", path: tokensURL})
	expect(t, status, body, 500, `{"success":false,"message":"Internal error"}`)
	if status, _, _ := h.do(call{method: "GET", path: tokensURL}); status != 200 {
		t.Errorf("after faults: %d", status)
	}

	h.sim.InjectFault(Fault{Path: "/status", Status: 502, Times: -1})
	for range 3 {
		if status, _, _ := h.do(call{method: "POST", path: tokensURL + "/status"}); status != 502 {
			t.Errorf("unlimited fault: %d", status)
		}
	}
	if status, _, _ := h.do(call{method: "GET", path: tokensURL}); status != 200 {
		t.Errorf("non-matching path: %d", status)
	}
	h.sim.ClearFaults()
	if status, _, _ := h.do(call{method: "POST", path: tokensURL + "/status"}); status != 400 {
		t.Errorf("after ClearFaults: %d", status)
	}
}

func TestFaultDrop(t *testing.T) {
	h := newHarness(t, Options{})
	before := len(h.sim.Tokens())
	h.sim.InjectFault(Fault{Method: "POST", Path: "/generate/User", DropConnection: true})
	req := generateRequest(t, h)
	if _, err := h.client.Do(req); err == nil {
		t.Fatal("expected a connection error")
	}
	if n := len(h.sim.Tokens()); n != before {
		t.Errorf("dropped request created a token")
	}
	reqs := h.sim.Requests()
	if last := reqs[len(reqs)-1]; !last.Dropped || last.Status != 0 || !last.Fault {
		t.Errorf("log entry %+v", last)
	}
}

func TestFaultDropAfterHandling(t *testing.T) {
	h := newHarness(t, Options{})
	before := len(h.sim.Tokens())
	h.sim.InjectFault(Fault{Method: "POST", Path: "/generate/User", DropConnection: true, AfterHandling: true})
	if _, err := h.client.Do(generateRequest(t, h)); err == nil {
		t.Fatal("expected a connection error")
	}
	if n := len(h.sim.Tokens()); n != before+1 {
		t.Errorf("token count %d, want %d: sent, no answer must still create it", n, before+1)
	}
	reqs := h.sim.Requests()
	if last := reqs[len(reqs)-1]; !last.Dropped || last.Status != 200 {
		t.Errorf("log entry %+v", last)
	}

	// AfterHandling with a status: processed, but the client sees a 504.
	h.sim.InjectFault(Fault{Path: "/generate/User", Status: 504, AfterHandling: true})
	status, _, _ := h.do(call{method: "POST", path: tokensURL + "/generate/User"})
	if status != 504 || len(h.sim.Tokens()) != before+2 {
		t.Errorf("status %d, tokens %d", status, len(h.sim.Tokens()))
	}
}

func TestFaultDelay(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	if status, _, _ := h.do(call{method: "GET", path: tokensURL}); status != 200 {
		t.Errorf("status %d", status)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("not delayed: %v", d)
	}

	// A client that gives up ends the wait.
	reached := make(chan struct{}, 1)
	h.sim.InjectFault(Fault{Delay: time.Minute, Reached: reached})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-reached
		cancel()
	}()
	req := generateRequest(t, h).WithContext(ctx)
	if _, err := h.client.Do(req); err == nil {
		t.Fatal("expected the request to be cancelled")
	}
	h.sim.WaitIdle()
	reqs := h.sim.Requests()
	if last := reqs[len(reqs)-1]; last.Method != "POST" || !last.Dropped {
		t.Errorf("log entry %+v", last)
	}
}

// generateRequest is a signed POST /generate/User without a policy.
func generateRequest(t *testing.T, h *harness) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", h.base+tokensURL+"/generate/User", nil)
	if err != nil {
		t.Fatal(err)
	}
	sign(req, nil, signSpec{id: h.id, secret: h.secret, date: h.clock.Now()})
	return req
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeUser, nil)
	h.do(call{method: "GET", path: tokensURL})
	h.do(call{method: "GET", path: tokensURL + "/find", query: map[string][]string{"identifiers": {"a b"}}})
	h.do(call{method: "POST", path: tokensURL + "/generate/User"})
	h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", sp: h.as(tok)})
	h.do(call{method: "GET", path: "/solaruser/api/v1/sec/whoami", unsigned: true})

	for _, tc := range []struct {
		method, suffix string
		want           int
	}{
		{"", "", 5},
		{"GET", "", 3},
		{"post", "", 2},
		{"POST", "/generate/User", 1},
		{"", "/auth-tokens", 1},
		{"GET", "/find", 1},
		{"DELETE", "", 0},
	} {
		if got := h.sim.Count(tc.method, tc.suffix); got != tc.want {
			t.Errorf("Count(%q, %q) = %d, want %d", tc.method, tc.suffix, got, tc.want)
		}
	}
	reqs := h.sim.Requests()
	if r := reqs[1]; r.Path != tokensURL+"/find" || r.RawQuery != "identifiers=a+b" || r.Status != 200 || r.TokenID != h.id || !r.Time.Equal(h.clock.Now()) {
		t.Errorf("entry %+v", r)
	}
	if reqs[3].TokenID != tok.ID || reqs[4].TokenID != "" || reqs[4].Status != 401 {
		t.Errorf("entries %+v %+v", reqs[3], reqs[4])
	}
	h.sim.ResetRequests()
	if len(h.sim.Requests()) != 0 || h.sim.Count("", "") != 0 {
		t.Error("ResetRequests did not clear")
	}
}

// TestFaultDatabase429AfterCommit: SolarNetwork's 429 for a database error
// carries its code and message and none of the rate limiter's headers, and
// with AfterHandling the token was made before it.
func TestFaultDatabase429AfterCommit(t *testing.T) {
	h := newHarness(t, Options{})
	before := len(h.sim.Tokens())
	h.sim.InjectFault(Fault{Path: "/generate/User", Status: 429, Code: "DAO.00300", RetryAfter: time.Second, AfterHandling: true})
	status, hdr, body := h.do(call{method: "POST", path: tokensURL + "/generate/User"})
	expect(t, status, body, 429, `{"success":false,"code":"DAO.00300","message":"Transaction error"}`)
	if v := hdr.Get("X-SN-Rate-Limit-Retry-After") + hdr.Get("Retry-After"); v != "" {
		t.Errorf("a database error's 429 carries the rate limiter's wait %q", v)
	}
	if n := len(h.sim.Tokens()); n != before+1 {
		t.Errorf("%d tokens, want %d: the generate committed before its 429", n, before+1)
	}
	for _, code := range DatabaseErrorCodes() {
		h.sim.InjectFault(Fault{Path: "/auth-tokens", Status: 429, Code: code})
		status, _, body := h.do(call{method: "GET", path: tokensURL})
		if status != 429 || !strings.Contains(body, `"code":"`+code+`","message":"`) {
			t.Errorf("%s: %d %s", code, status, body)
		}
	}
	if got := DatabaseErrorCodes(); len(got) != 11 || got[0] != "DAO.00200" || got[10] != "DAO.00302" {
		t.Errorf("DatabaseErrorCodes() = %v", got)
	}
}
