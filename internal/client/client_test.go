package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Shared helpers for the client tests. Every test starts its own simulator
// over real HTTP on a loopback port.

// listPath is the list/delete endpoint's path suffix, as simulator.Count takes it.
const listPath = "/auth-tokens"

// testEnv is a started simulator and a client signed with its admin token.
type testEnv struct {
	sim    *simulator.Simulator
	url    string
	client *Client
}

// newEnv starts a simulator with opts and returns a client with fast
// backoffs; mod, if not nil, adjusts the client's Config first.
func newEnv(t testing.TB, opts simulator.Options, mod func(*Config)) *testEnv {
	t.Helper()
	sim := simulator.New(opts)
	u := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	return &testEnv{sim: sim, url: u, client: newTestClient(t, u, id, secret, mod)}
}

// newTestClient returns a client for url with 1ms/20ms backoffs, whose
// waits (Config.After) end at once.
func newTestClient(t testing.TB, url, tokenID, secret string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: url, Token: tokenID, Secret: secret, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, After: passedAt(time.Time{})}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.http.CloseIdleConnections)
	return c
}

// passedAt is an After whose waits end at once, at t.
func passedAt(t time.Time) func(time.Duration) <-chan time.Time {
	return func(time.Duration) <-chan time.Time {
		c := make(chan time.Time, 1)
		c <- t
		return c
	}
}

// clientFor returns a client signing with a token the simulator holds.
func (e *testEnv) clientFor(t testing.TB, tok simulator.Token) *Client {
	t.Helper()
	return newTestClient(t, e.url, tok.ID, tok.Secret, nil)
}

func intPtr(n int) *int              { return &n }
func boolPtr(b bool) *bool           { return &b }
func timePtr(t time.Time) *time.Time { return &t }

// apiError asserts err is an *APIError and returns it.
func apiError(t testing.TB, err error) *APIError {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return apiErr
}

// toClientPolicy converts a simulator policy through its JSON form, the way
// the client would read it from the API.
func toClientPolicy(t testing.TB, p *simulator.Policy) *SecurityPolicy {
	t.Helper()
	if p == nil {
		return nil
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var out SecurityPolicy
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// tokenIDs returns the ids of tokens, in order.
func tokenIDs(tokens []SecurityToken) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = t.ID
	}
	return out
}

// simTokenIDs returns the ids the simulator holds, ordered by created then id.
func simTokenIDs(sim *simulator.Simulator) []string {
	var out []string
	for _, t := range sim.Tokens() {
		out = append(out, t.ID)
	}
	return out
}

// exchange is one request/response pair seen by a recorder.
type exchange struct {
	Method, Path, RawQuery string
	ContentType            string
	ReqBody, RespBody      []byte
	Status                 int
	Err                    error
}

// recorder is an http.RoundTripper that keeps copies of request and response
// bodies, and can run a hook before forwarding each request.
type recorder struct {
	base   http.RoundTripper
	before func(*http.Request)

	mu        sync.Mutex
	exchanges []exchange
}

func newRecorder(before func(*http.Request)) *recorder {
	return &recorder{base: http.DefaultTransport.(*http.Transport).Clone(), before: before}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.before != nil {
		r.before(req)
	}
	ex := exchange{Method: req.Method, Path: req.URL.Path, RawQuery: req.URL.RawQuery, ContentType: req.Header.Get("Content-Type")}
	out := req.Clone(req.Context())
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.ReqBody = body
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.base.RoundTrip(out)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		ex.RespBody, ex.Status = body, resp.StatusCode
	}
	ex.Err = err
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// last returns the last exchange whose method matches and path ends in suffix.
func (r *recorder) last(t testing.TB, method, suffix string) exchange {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.exchanges) - 1; i >= 0; i-- {
		if ex := r.exchanges[i]; ex.Method == method && strings.HasSuffix(ex.Path, suffix) {
			return ex
		}
	}
	t.Fatalf("no %s *%s request recorded", method, suffix)
	return exchange{}
}

func (r *recorder) client() *http.Client { return &http.Client{Transport: r} }

// dataField extracts data.<field> from a response envelope as raw JSON.
func dataField(t testing.TB, body []byte, field string) string {
	t.Helper()
	var env struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	return string(env.Data[field])
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"defaults to production", Config{Token: "t", Secret: "s"}, ""},
		{"https", Config{URL: "https://example.com/", Token: "t", Secret: "s"}, ""},
		{"http loopback ip", Config{URL: "http://127.0.0.1:8080", Token: "t", Secret: "s"}, ""},
		{"http localhost", Config{URL: "http://localhost:8080", Token: "t", Secret: "s"}, ""},
		{"http ipv6 loopback", Config{URL: "http://[::1]:8080", Token: "t", Secret: "s"}, ""},
		{"http remote", Config{URL: "http://data.solarnetwork.net", Token: "t", Secret: "s"}, "plain http"},
		{"other scheme", Config{URL: "ftp://example.com", Token: "t", Secret: "s"}, "must use https"},
		{"relative", Config{URL: "example.com", Token: "t", Secret: "s"}, "not an absolute URL"},
		{"query", Config{URL: "https://example.com/?a=b", Token: "t", Secret: "s"}, "query or fragment"},
		{"no token", Config{Secret: "s"}, "token is required"},
		{"no secret", Config{Token: "t"}, "secret is required"},
		{"negative retries", Config{Token: "t", Secret: "s", MaxRetries: intPtr(-1)}, "negative"},
		{"negative timeout", Config{Token: "t", Secret: "s", RequestTimeout: -time.Second}, "timeout must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if c.TokenID() != tt.cfg.Token {
					t.Errorf("TokenID = %q", c.TokenID())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want one containing %q", err, tt.wantErr)
			}
			var cfgErr *ConfigError
			if !errors.As(err, &cfgErr) || cfgErr.Field != configFieldOf(tt.name) {
				t.Errorf("New error %#v does not name the field %s", err, configFieldOf(tt.name))
			}
		})
	}
}

func TestWhoAmI(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{UserID: 42}, nil)
	id, err := env.client.WhoAmI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	adminID, _ := env.sim.AdminCredentials()
	want := Identity{UserID: 42, Token: adminID, TokenType: TokenTypeUser}
	if *id != want {
		t.Errorf("WhoAmI = %+v, want %+v", *id, want)
	}
	if n := env.sim.Count(http.MethodGet, "/solaruser/api/v1/sec/whoami"); n != 1 {
		t.Errorf("whoami requests = %d, want 1", n)
	}
}

// TestUserAgentAndLogger checks the request headers and that the logger
// never receives credentials.
func TestUserAgentAndLogger(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logged []string
	rec := newRecorder(func(r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != "test-agent/1" {
			t.Errorf("User-Agent = %q", got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q", got)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "SNWS2 Credential=") {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
	})
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.UserAgent = "test-agent/1"
		c.HTTPClient = rec.client()
		c.Logger = func(_ context.Context, _ LogLevel, msg string, fields map[string]any) {
			b, _ := json.Marshal(fields)
			mu.Lock()
			logged = append(logged, msg+" "+string(b))
			mu.Unlock()
		}
	})
	if _, err := env.client.ListTokens(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, secret := env.sim.AdminCredentials()
	mu.Lock()
	defer mu.Unlock()
	if len(logged) == 0 {
		t.Fatal("logger got nothing")
	}
	for _, line := range logged {
		if strings.Contains(line, secret) || strings.Contains(line, "Signature=") {
			t.Errorf("log line leaks credentials: %s", line)
		}
	}
}

// configFieldOf is the Config field a TestNewValidatesConfig case breaks.
func configFieldOf(name string) string {
	switch name {
	case "no token":
		return "Token"
	case "no secret":
		return "Secret"
	case "negative retries":
		return "MaxRetries"
	case "negative timeout":
		return "RequestTimeout"
	default:
		return "URL"
	}
}
