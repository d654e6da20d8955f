package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// TestRetryRateLimitHonoursRetryAfter: a 429 carries the server's
// X-SN-Rate-Limit-Retry-After; the client waits at least that long.
func TestRetryRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	const retryAfter = 200 * time.Millisecond
	// MaxBackoff caps even a server-requested wait, so it must exceed it here.
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxBackoff = time.Second })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusTooManyRequests, RetryAfter: retryAfter})

	start := time.Now()
	tokens, err := env.client.ListTokens(context.Background())
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 {
		t.Errorf("tokens = %v", tokenIDs(tokens))
	}
	// The header holds whole epoch milliseconds, so allow for the truncation.
	if elapsed < retryAfter-time.Millisecond {
		t.Errorf("retried after %v, before the requested %v", elapsed, retryAfter)
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 2 {
		t.Errorf("list requests = %d, want 2", n)
	}
}

// A rate limiter's wait is measured by SolarNetwork's clock: with this
// machine's clock five minutes ahead (less than the 15 minutes SolarNetwork
// accepts), the client still waits what was asked instead of a millisecond.
// The test reads the wait from the retry's log line and then cancels, so
// that it waits for nothing itself.
func TestRetryRateLimitWaitOnServerClock(t *testing.T) {
	t.Parallel()
	const retryAfter = 1500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []string
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.MaxBackoff = time.Minute
		c.Logger = func(_ context.Context, _ LogLevel, msg string, fields map[string]any) {
			if msg == "retrying SolarNetwork request" {
				waits = append(waits, fmt.Sprint(fields["wait"]))
				cancel()
			}
		}
	})
	env.sim.SetClockOffset(-5 * time.Minute)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusTooManyRequests, RetryAfter: retryAfter})

	_, err := env.client.ListTokens(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ListTokens: %v, want it cancelled while waiting", err)
	}
	if len(waits) != 1 {
		t.Fatalf("retries logged %v, want one", waits)
	}
	// The Date header has whole seconds: the wait may be up to one longer.
	if wait, err := time.ParseDuration(waits[0]); err != nil || wait < retryAfter || wait >= retryAfter+time.Second {
		t.Errorf("waited %s, want %v to %v", waits[0], retryAfter, retryAfter+time.Second)
	}
}

// TestRetryStatuses: rate limits and gateway errors are retried on
// idempotent requests; other failures are final.
func TestRetryStatuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		retry  bool
	}{
		{http.StatusTooManyRequests, true},
		{http.StatusBadGateway, true},
		{http.StatusServiceUnavailable, true},
		{http.StatusGatewayTimeout, true},
		{http.StatusInternalServerError, true}, // the list is read-only
		{http.StatusBadRequest, false},
		{http.StatusUnauthorized, false},
		{http.StatusForbidden, false},
		{http.StatusConflict, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: tt.status})
			_, err := env.client.ListTokens(context.Background())
			n := env.sim.Count(http.MethodGet, listPath)
			if tt.retry {
				if err != nil || n != 2 {
					t.Errorf("err = %v, %d requests; want success after 2", err, n)
				}
				return
			}
			if apiErr := apiError(t, err); apiErr.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", apiErr.StatusCode, tt.status)
			}
			if n != 1 {
				t.Errorf("%d requests, want 1 (not retried)", n)
			}
		})
	}
}

func TestRetryPolicyPutAfterTwo503(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	tok := env.sim.CreateToken(simulator.TypeUser, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPut, Path: "/policy", Status: http.StatusServiceUnavailable, Times: 2})
	got, err := env.client.ReplaceTokenPolicy(context.Background(), tok.ID, SecurityPolicy{SourceIDs: []string{"/a/**"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Policy == nil || len(got.Policy.SourceIDs) != 1 {
		t.Errorf("policy = %+v", got.Policy)
	}
	if n := env.sim.Count(http.MethodPut, "/policy"); n != 3 {
		t.Errorf("PUT requests = %d, want 3", n)
	}
}

// TestRetryEveryIdempotentCall: every call but generate is retried.
func TestRetryEveryIdempotentCall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		call               func(*Client, context.Context, string) error
	}{
		{"list", http.MethodGet, listPath, func(c *Client, ctx context.Context, _ string) error { _, err := c.ListTokens(ctx); return err }},
		{"whoami", http.MethodGet, "/whoami", func(c *Client, ctx context.Context, _ string) error { _, err := c.WhoAmI(ctx); return err }},
		{"info", http.MethodPost, "/info", func(c *Client, ctx context.Context, id string) error { return c.UpdateTokenInfo(ctx, id, "n", "d") }},
		{"status", http.MethodPost, "/status", func(c *Client, ctx context.Context, id string) error {
			return c.UpdateTokenStatus(ctx, id, StatusDisabled)
		}},
		{"merge", http.MethodPatch, "/policy", func(c *Client, ctx context.Context, id string) error {
			_, err := c.MergeTokenPolicy(ctx, id, SecurityPolicy{SourceIDs: []string{"/a"}})
			return err
		}},
		{"replace", http.MethodPut, "/policy", func(c *Client, ctx context.Context, id string) error {
			_, err := c.ReplaceTokenPolicy(ctx, id, SecurityPolicy{SourceIDs: []string{"/a"}})
			return err
		}},
		{"delete", http.MethodDelete, listPath, func(c *Client, ctx context.Context, id string) error { return c.DeleteToken(ctx, id) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			tok := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
			env.sim.InjectFault(simulator.Fault{Method: tt.method, Path: tt.path, Status: http.StatusBadGateway, Times: 2})
			if err := tt.call(env.client, context.Background(), tok.ID); err != nil {
				t.Fatal(err)
			}
			if n := env.sim.Count(tt.method, tt.path); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
		})
	}
}

// TestRetryNeverOnGenerate: a gateway error may come after the token was
// made, so generate is not sent again.
func TestRetryNeverOnGenerate(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/User", Status: status})
			tok, err := env.client.GenerateToken(context.Background(), TokenTypeUser, nil)
			if tok != nil {
				t.Errorf("token = %+v", tok)
			}
			if apiErr := apiError(t, err); apiErr.StatusCode != status {
				t.Errorf("status = %d", apiErr.StatusCode)
			}
			if IsAmbiguous(err) {
				t.Error("an HTTP answer is not ambiguous")
			}
			if n := env.sim.Count(http.MethodPost, "/generate/User"); n != 1 {
				t.Errorf("generate requests = %d, want exactly 1", n)
			}
			if ids := simTokenIDs(env.sim); len(ids) != 1 {
				t.Errorf("tokens = %v, want only the admin token", ids)
			}
		})
	}
}

// TestRetryGenerateAfterRateLimit: the rate limiter refuses before doing
// anything, so a generate refused with 429 is safe to send again.
func TestRetryGenerateAfterRateLimit(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/User", Status: http.StatusTooManyRequests, RetryAfter: 5 * time.Millisecond})
	tok, err := env.client.GenerateToken(context.Background(), TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := env.sim.Count(http.MethodPost, "/generate/User"); n != 2 {
		t.Errorf("generate requests = %d, want 2", n)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 2 || tok.AuthSecret == "" {
		t.Errorf("tokens = %v, want the admin token and one new one", ids)
	}
}

// TestGenerateNotResentAfterDatabase429: SolarNetwork's 429s other than
// its rate limiter's answer database errors, which can come after the
// generate's token was made, so the generate is not sent again: a second
// one would make a second token. A 429 from something other than
// SolarNetwork says nothing of when it was sent either.
func TestGenerateNotResentAfterDatabase429(t *testing.T) {
	t.Parallel()
	faults := map[string]simulator.Fault{
		"proxy page": {Status: http.StatusTooManyRequests, Body: "<html><body>Slow down</body></html>", ContentType: "text/html", AfterHandling: true},
	}
	for _, code := range simulator.DatabaseErrorCodes() {
		faults[code] = simulator.Fault{Status: http.StatusTooManyRequests, Code: code, AfterHandling: true}
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			f.Method, f.Path = http.MethodPost, "/generate/User"
			env.sim.InjectFault(f)
			_, err := env.client.GenerateToken(context.Background(), TokenTypeUser, nil)
			apiErr := apiError(t, err)
			if apiErr.StatusCode != http.StatusTooManyRequests || apiErr.RateLimiter {
				t.Errorf("error %+v, want a 429 that is not the rate limiter's", apiErr)
			}
			if f.Code != "" && apiErr.Code != f.Code {
				t.Errorf("code %q, want %q", apiErr.Code, f.Code)
			}
			if n := env.sim.Count(http.MethodPost, "/generate/User"); n != 1 {
				t.Errorf("generate requests = %d, want exactly 1", n)
			}
			if !mayHaveWritten(err) {
				t.Error("a generate answered with this 429 may have made its token")
			}
			// Idempotent requests are still retried.
			f.Method, f.Path = http.MethodGet, listPath
			env.sim.InjectFault(f)
			if _, err := env.client.ListTokens(context.Background()); err != nil {
				t.Errorf("the list was not retried: %v", err)
			}
		})
	}
}

// TestRateLimiterAnswer: the rate limiter's 429 is told by its code or by
// its X-SN-Rate-Limit-Retry-After header (without an exception resolver it
// sends Spring Boot's error page with the header).
func TestRateLimiterAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, header string
		status             int
		want               bool
	}{
		{"WEB.10000 with header", `{"success":false,"code":"WEB.10000"}`, "1", 429, true},
		{"WEB.10000 alone", `{"success":false,"code":"WEB.10000"}`, "", 429, true},
		{"Boot error with header", `{"timestamp":"x","status":429,"error":"Too Many Requests","path":"/x","success":false}`, "1", 429, true},
		{"DAO.00300", `{"success":false,"code":"DAO.00300","message":"Transaction error"}`, "", 429, false},
		{"proxy", `<html>slow down</html>`, "", 429, false},
		{"not a 429", `{"success":false,"code":"WEB.10000"}`, "1", 503, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.header != "" {
					w.Header().Set("X-SN-Rate-Limit-Retry-After", tt.header)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL, "id", "secret", func(c *Config) { c.MaxRetries = intPtr(0) })
			_, err := c.GenerateToken(context.Background(), TokenTypeUser, nil)
			if got := apiError(t, err).RateLimiter; got != tt.want {
				t.Errorf("RateLimiter = %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

// TestRetryBoundedByMaxRetries: a fault that never ends gives 1+MaxRetries
// requests and the last error.
func TestRetryBoundedByMaxRetries(t *testing.T) {
	t.Parallel()
	for _, maxRetries := range []int{0, 1, 3} {
		t.Run(fmt.Sprint(maxRetries), func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(maxRetries) })
			env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusServiceUnavailable, Times: -1})
			_, err := env.client.ListTokens(context.Background())
			apiErr := apiError(t, err)
			if apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Method != http.MethodGet || apiErr.Path != tokensPath {
				t.Errorf("error = %+v", apiErr)
			}
			if n := env.sim.Count(http.MethodGet, listPath); n != 1+maxRetries {
				t.Errorf("requests = %d, want %d", n, 1+maxRetries)
			}
		})
	}
}

// TestRetryDefaultMaxRetries: nil MaxRetries means DefaultMaxRetries.
func TestRetryDefaultMaxRetries(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusBadGateway, Times: -1})
	if _, err := env.client.ListTokens(context.Background()); err == nil {
		t.Fatal("no error")
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1+DefaultMaxRetries {
		t.Errorf("requests = %d, want %d", n, 1+DefaultMaxRetries)
	}
}

// TestRetryContextCancelledDuringBackoff: cancelling while the client waits
// between attempts ends the wait at once, with the context's error.
func TestRetryContextCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	waiting := make(chan struct{}, 1)
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		// The wait would be 5-10 s.
		c.MinBackoff, c.MaxBackoff = 10*time.Second, 10*time.Second
		c.Logger = func(_ context.Context, _ LogLevel, msg string, _ map[string]any) {
			if msg == "retrying SolarNetwork request" {
				select {
				case waiting <- struct{}{}:
				default:
				}
			}
		}
	})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusServiceUnavailable, Times: -1})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := env.client.ListTokens(ctx)
		done <- err
	}()
	select {
	case <-waiting:
	case <-time.After(10 * time.Second):
		t.Fatal("the client never started a backoff")
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("ListTokens did not return after its context was cancelled")
	}
	if err == nil {
		t.Fatal("no error")
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	// The last HTTP answer is kept...
	if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status = %d", apiErr.StatusCode)
	}
	// ...and so must the context's error be, for errors.Is.
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(err, context.Canceled) = false for %q: client.go do() wraps ctx.Err() with %%v instead of %%w", err)
	}
}

// TestRetryContextCancelledBeforeSend: an already cancelled context sends
// nothing and is not a TransportError.
func TestRetryContextCancelledBeforeSend(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := env.client.GenerateToken(ctx, TokenTypeUser, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if IsAmbiguous(err) {
		t.Error("a request never sent is not ambiguous")
	}
	if n := env.sim.Count("", ""); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestRetryDroppedConnection: a connection closed without an answer is
// retried for idempotent requests.
func TestRetryDroppedConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		afterHandling bool
	}{
		{"before handling", false},
		{"after handling", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			tok := env.sim.CreateToken(simulator.TypeUser, nil)
			env.sim.InjectFault(simulator.Fault{Method: http.MethodDelete, Path: listPath, DropConnection: true, AfterHandling: tt.afterHandling})
			if err := env.client.DeleteToken(context.Background(), tok.ID); err != nil {
				t.Fatal(err)
			}
			if n := env.sim.Count(http.MethodDelete, listPath); n != 2 {
				t.Errorf("DELETE requests = %d, want 2", n)
			}
			if _, ok := env.sim.Token(tok.ID); ok {
				t.Error("token not deleted")
			}
		})
	}
}

// TestRetryDroppedConnectionOnGet: GETs dropped twice still succeed. (Go's
// transport may itself resend a GET dropped on a reused connection, so only
// a lower bound on the requests is certain.)
func TestRetryDroppedConnectionOnGet(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, DropConnection: true, Times: 2})
	tokens, err := env.client.ListTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 {
		t.Errorf("tokens = %v", tokenIDs(tokens))
	}
	if n := env.sim.Count(http.MethodGet, listPath); n < 3 {
		t.Errorf("list requests = %d, want at least 3", n)
	}
}

// TestRetryDroppedConnectionOnPolicyPatch: a merge is resent after a drop
// that happened after the server applied it; the union makes that harmless.
func TestRetryDroppedConnectionOnPolicyPatch(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	tok := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a"}})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPatch, Path: "/policy", DropConnection: true, AfterHandling: true})
	got, err := env.client.MergeTokenPolicy(context.Background(), tok.ID, SecurityPolicy{SourceIDs: []string{"/b"}, NodeIDs: []int64{2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := SecurityPolicy{NodeIDs: []int64{1, 2}, SourceIDs: []string{"/a", "/b"}}
	if !PoliciesEqual(got.Policy, &want) || len(got.Policy.SourceIDs) != 2 {
		t.Errorf("policy = %+v, want %+v", got.Policy, want)
	}
	if n := env.sim.Count(http.MethodPatch, "/policy"); n != 2 {
		t.Errorf("PATCH requests = %d, want 2", n)
	}
}

// TestGenerateDroppedAfterHandlingIsAmbiguous: the token was created but
// its answer lost; the client reports that and does not retry.
func TestGenerateDroppedAfterHandlingIsAmbiguous(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/User", DropConnection: true, AfterHandling: true})
	tok, err := env.client.GenerateToken(context.Background(), TokenTypeUser, nil)
	if tok != nil {
		t.Errorf("token = %+v", tok)
	}
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *TransportError", err, err)
	}
	if !te.Sent || !IsAmbiguous(err) {
		t.Errorf("Sent = %v, IsAmbiguous = %v; want both true", te.Sent, IsAmbiguous(err))
	}
	if te.Method != http.MethodPost || te.Path != tokensPath+"/generate/User" {
		t.Errorf("TransportError names %s %s", te.Method, te.Path)
	}
	if IsNotFound(err) || IsUnauthorized(err) || IsAccessDenied(err) {
		t.Error("a transport error classified as an API error")
	}
	if n := env.sim.Count(http.MethodPost, "/generate/User"); n != 1 {
		t.Errorf("generate requests = %d, want 1", n)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 2 {
		t.Errorf("tokens = %v, want the admin token and the orphan", ids)
	}
}

// TestTransportErrorNotSent: a connection that could not be made is a
// TransportError that is not ambiguous, and idempotent requests retry it.
// The dialer fails by itself: a closed listener's port could be reused by
// a parallel test.
func TestTransportErrorNotSent(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			dials.Add(1)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		},
	}}
	c := newTestClient(t, "http://127.0.0.1:1", "t", "s", func(c *Config) { c.MaxRetries = intPtr(2); c.HTTPClient = hc })

	_, err := c.GenerateToken(context.Background(), TokenTypeUser, nil)
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *TransportError", err, err)
	}
	if te.Sent || IsAmbiguous(err) {
		t.Errorf("Sent = %v for a connection never made", te.Sent)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v does not wrap the dial error", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("generate dialled %d times, want 1", n)
	}

	dials.Store(0)
	if _, err := c.ListTokens(context.Background()); IsAmbiguous(err) || err == nil {
		t.Errorf("list error = %v", err)
	}
	if n := dials.Load(); n != 3 {
		t.Errorf("list dialled %d times, want 3 (1 + MaxRetries)", n)
	}
}

// TestBackoffBounds checks the jittered exponential backoff stays within
// [MinBackoff/2, MaxBackoff] and that a server-requested wait is used, capped.
func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		min, max time.Duration
	}{
		{"test values", time.Millisecond, 20 * time.Millisecond},
		{"defaults", 0, 0},
		{"equal", 50 * time.Millisecond, 50 * time.Millisecond},
		// MaxBackoff alone: MinBackoff defaults to 500ms, above it.
		{"max below default min", 0, 20 * time.Millisecond},
		{"min above max", time.Second, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{Token: "t", Secret: "s", MinBackoff: tt.min, MaxBackoff: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("backoff panicked with MinBackoff=%v MaxBackoff=%v: %v", c.minBackoff, c.maxBackoff, r)
				}
			}()
			for attempt := range 40 {
				for range 20 {
					d := c.backoff(attempt, 0)
					if d < 0 || d > c.maxBackoff || (c.minBackoff <= c.maxBackoff && d < c.minBackoff/2) {
						t.Fatalf("backoff(%d) = %v outside [%v, %v]", attempt, d, c.minBackoff/2, c.maxBackoff)
					}
				}
			}
			if d := c.backoff(0, c.maxBackoff/2); d != c.maxBackoff/2 {
				t.Errorf("server wait %v became %v", c.maxBackoff/2, d)
			}
			if d := c.backoff(0, 2*c.maxBackoff); d != c.maxBackoff {
				t.Errorf("server wait %v not capped to %v: %v", 2*c.maxBackoff, c.maxBackoff, d)
			}
		})
	}
}

// TestRetryWithOnlyMaxBackoffSet: a client configured with MaxBackoff below
// the default MinBackoff must still retry (it panicked in backoff).
func TestRetryWithOnlyMaxBackoffSet(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.MinBackoff = 0; c.MaxBackoff = 20 * time.Millisecond })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusServiceUnavailable})
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("ListTokens panicked: %v", r)
		}
	}()
	if _, err := env.client.ListTokens(context.Background()); err != nil {
		t.Errorf("ListTokens: %v", err)
	}
}

func TestRetryAfterHeaders(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	server := now.Add(-30 * time.Second)
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"none", nil, 0},
		{"sn epoch ms", map[string]string{"X-SN-Rate-Limit-Retry-After": strconv.FormatInt(now.Add(1500*time.Millisecond).UnixMilli(), 10)}, 1500 * time.Millisecond},
		{"sn in the past", map[string]string{"X-SN-Rate-Limit-Retry-After": strconv.FormatInt(now.Add(-time.Second).UnixMilli(), 10)}, time.Millisecond},
		{"sn wins over standard", map[string]string{"X-SN-Rate-Limit-Retry-After": strconv.FormatInt(now.Add(time.Second).UnixMilli(), 10), "Retry-After": "9"}, time.Second},
		{"sn unparsable", map[string]string{"X-SN-Rate-Limit-Retry-After": "soon", "Retry-After": "2"}, 2 * time.Second},
		{"seconds", map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{"http date", map[string]string{"Retry-After": now.Add(4 * time.Second).Format(http.TimeFormat)}, 4 * time.Second},
		{"http date past", map[string]string{"Retry-After": now.Add(-4 * time.Second).Format(http.TimeFormat)}, 0},
		{"garbage", map[string]string{"Retry-After": "later"}, 0},
		// The server's instants are measured from its own clock, the Date
		// header, when this machine's clock is elsewhere (here 30s off)...
		{"sn, local clock ahead", map[string]string{"Date": server.Format(http.TimeFormat), "X-SN-Rate-Limit-Retry-After": strconv.FormatInt(server.Add(1500*time.Millisecond).UnixMilli(), 10)}, 1500 * time.Millisecond},
		{"sn, local clock behind", map[string]string{"Date": server.Add(time.Minute).Format(http.TimeFormat), "X-SN-Rate-Limit-Retry-After": strconv.FormatInt(server.Add(time.Minute+1500*time.Millisecond).UnixMilli(), 10)}, 1500 * time.Millisecond},
		{"http date, local clock ahead", map[string]string{"Date": server.Format(http.TimeFormat), "Retry-After": server.Add(4 * time.Second).Format(http.TimeFormat)}, 4 * time.Second},
		// ... and from this machine's, to the millisecond, while it agrees
		// with the Date's second.
		{"sn, Date in the same second", map[string]string{"Date": now.Format(http.TimeFormat), "X-SN-Rate-Limit-Retry-After": strconv.FormatInt(now.Add(1234*time.Millisecond).UnixMilli(), 10)}, 1234 * time.Millisecond},
		{"sn, unreadable Date", map[string]string{"Date": "yesterday", "X-SN-Rate-Limit-Retry-After": strconv.FormatInt(now.Add(time.Second).UnixMilli(), 10)}, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}
