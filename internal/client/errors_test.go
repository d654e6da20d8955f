package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// TestUnreadableSuccess: a 2xx SolarNetwork did not write, or wrote only in
// part, says what was wrong instead of "HTTP 200: OK".
func TestUnreadableSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  simulator.Fault
		reason string
		ctype  string
	}{
		{"truncated", simulator.Fault{AfterHandling: true, TruncateBody: true}, "the JSON ends early", "application/json"},
		{"html page", simulator.Fault{Status: 200, ContentType: "text/html; charset=utf-8",
			Body: "<!DOCTYPE html><html><head><title>Sign in to the network</title><script>var x = 1;</script></head><body>Portal</body></html>"},
			"it is text/html, not SolarNetwork's JSON", "text/html; charset=utf-8"},
		{"wrong content type", simulator.Fault{Status: 200, ContentType: "application/octet-stream", Body: "\x00\x01binary"},
			"it is application/octet-stream, not SolarNetwork's JSON", "application/octet-stream"},
		{"json without envelope", simulator.Fault{Status: 200, Body: `{"tokens":[]}`}, `the JSON has no "success" field`, "application/json;charset=UTF-8"},
		{"empty", simulator.Fault{Status: 204, Body: " "}, "the body is empty", "application/json;charset=UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			f := tt.fault
			f.Method, f.Path = http.MethodGet, listPath
			env.sim.InjectFault(f)
			_, err := env.client.ListTokens(context.Background())
			var ue *UnreadableResponseError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v (%T) is not an *UnreadableResponseError", err, err)
			}
			if !strings.Contains(ue.Reason, tt.reason) || ue.ContentType != tt.ctype {
				t.Errorf("reason %q, content type %q; want %q, %q", ue.Reason, ue.ContentType, tt.reason, tt.ctype)
			}
			if strings.Contains(err.Error(), "HTTP 200: OK") || !strings.Contains(err.Error(), "cannot be read") {
				t.Errorf("message %q", err)
			}
			if IsUnauthorized(err) || IsNotFound(err) {
				t.Errorf("an unreadable answer classified as a refusal: %v", err)
			}
			if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
				t.Errorf("%d list requests; an unreadable answer is not retried", n)
			}
		})
	}
}

// TestUnreadableGenerateHidesSecret: a generate answer cut short is
// unreadable, ambiguous for the store, and its excerpt never holds the
// secret.
func TestUnreadableGenerateHidesSecret(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/ReadNodeData", AfterHandling: true, TruncateBody: true})
	_, err := env.client.GenerateToken(context.Background(), TokenTypeReadNodeData, &SecurityPolicy{SourceIDs: []string{strings.Repeat("/long", 40)}})
	var ue *UnreadableResponseError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T)", err, err)
	}
	var made simulator.Token
	for _, tok := range env.sim.Tokens() {
		if tok.Type == simulator.TypeReadNodeData {
			made = tok
		}
	}
	if made.Secret == "" {
		t.Fatal("the generate was not handled")
	}
	if strings.Contains(err.Error(), made.Secret) || ue.Excerpt == "" {
		t.Errorf("excerpt %q must be there, without the secret", ue.Excerpt)
	}
	if !mayHaveWritten(err) {
		t.Error("an unreadable generate answer must count as possibly created")
	}
}

func TestBodyExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	tests := []struct{ name, body, ctype, want string }{
		{"title", "<html><head><title>\n 502 Bad Gateway </title></head><body><h1>502</h1></body></html>", "text/html", "502 Bad Gateway"},
		{"text without title", "<html><body><script>alert(1)</script><p>Blocked</p>\n<p>by policy</p></body></html>", "text/html", "Blocked by policy"},
		{"json secret", `{"data":{"id":"abc","authSecret":"s3cr3t-value","status":"Active"}}`, "application/json",
			`{"data":{"id":"abc","authSecret":"<redacted>","status":"Active"}}`},
		{"json secret cut short", `{"data":{"id":"abc","authSecret":"s3cr3t-va`, "application/json", `{"data":{"id":"abc","authSecret":"<redacted>"`},
		{"signing key", `{"success":true,"data":{"key":"0123abcd"}}`, "application/json", `{"success":true,"data":{"key":"<redacted>"}}`},
		{"authorization echoed", `Authorization: SNWS2 Credential=abc,SignedHeaders=host,Signature=0123abcdef`, "text/plain",
			`Authorization: SNWS2 Credential=abc,SignedHeaders=host,Signature=<redacted>`},
		{"control characters", "a\x00b\tc\r\nd", "", "a b c d"},
		{"long", long, "text/plain", strings.Repeat("x", maxExcerpt) + "…"},
	}
	for _, tt := range tests {
		if got := bodyExcerpt([]byte(tt.body), tt.ctype); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestRequestTimeout: an answer that never comes ends after the request
// timeout, every idempotent attempt is bounded, and the error says how many
// attempts over how long.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 50 * time.Millisecond
	var attempts atomic.Int32
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.RequestTimeout, c.MaxRetries = timeout, intPtr(2)
		c.Logger = func(_ context.Context, _ LogLevel, msg string, _ map[string]any) {
			if msg == "SolarNetwork request failed" {
				attempts.Add(1)
			}
		}
	})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Delay: time.Minute, Times: -1})
	start := time.Now()
	_, err := env.client.ListTokens(context.Background())
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if !IsTimeout(err) {
		t.Fatalf("error %v is not a timeout", err)
	}
	for _, want := range []string{"no complete answer within the request timeout of 50ms", "gave up after 3 attempts over "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d list attempts, want 3", n)
	}
}

// TestRequestTimeoutGenerateIsAmbiguous: a generate that timed out may
// have made the token, and is not sent again.
func TestRequestTimeoutGenerateIsAmbiguous(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.RequestTimeout = 50 * time.Millisecond
		c.Logger = func(_ context.Context, _ LogLevel, msg string, _ map[string]any) {
			if msg == "SolarNetwork request failed" {
				attempts.Add(1)
			}
		}
	})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/User", Delay: time.Minute, AfterHandling: true})
	_, err := env.client.GenerateToken(context.Background(), TokenTypeUser, nil)
	if !IsAmbiguous(err) || !IsTimeout(err) || !mayHaveWritten(err) {
		t.Errorf("error %v: ambiguous %v, timeout %v", err, IsAmbiguous(err), IsTimeout(err))
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("%d generate attempts, want 1", n)
	}
}

// TestRetryLogsWarnings: each retry is logged at warning level with its
// reason; attempts are logged at debug level.
func TestRetryLogsWarnings(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var warnings []map[string]any
	debug := 0
	env := newEnv(t, simulator.Options{}, func(c *Config) {
		c.Logger = func(_ context.Context, level LogLevel, _ string, fields map[string]any) {
			mu.Lock()
			defer mu.Unlock()
			if level == LogWarn {
				warnings = append(warnings, fields)
			} else {
				debug++
			}
		}
	})
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: http.StatusServiceUnavailable, Times: 2})
	if _, err := env.client.ListTokens(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) != 2 || debug != 3 {
		t.Fatalf("%d warnings and %d debug lines, want 2 and 3", len(warnings), debug)
	}
	if r, _ := warnings[0]["reason"].(string); !strings.Contains(r, "HTTP 503") || warnings[1]["attempt"] != 2 {
		t.Errorf("warnings %v", warnings)
	}
}

// TestNodeAccessError: generate's 403 for a node names the policy's nodes.
func TestNodeAccessError(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{OtherNodeIDs: []int64{500}}, nil)
	ctx := context.Background()
	_, err := env.client.GenerateToken(ctx, TokenTypeReadNodeData, &SecurityPolicy{NodeIDs: []int64{1010, 101}})
	var ne *NodeAccessError
	if !errors.As(err, &ne) || ne.OtherAccount() || !IsNotFound(err) {
		t.Fatalf("error %v (%T), want a NodeAccessError for a node that does not exist", err, err)
	}
	if !strings.Contains(err.Error(), "node IDs 101, 1010") {
		t.Errorf("%q does not list the nodes", err)
	}
	_, err = env.client.GenerateToken(ctx, TokenTypeReadNodeData, &SecurityPolicy{NodeIDs: []int64{500}})
	if !errors.As(err, &ne) || !ne.OtherAccount() {
		t.Errorf("error %v, want a NodeAccessError for another account's node", err)
	}
	if mayHaveWritten(err) {
		t.Error("a node refusal is definite")
	}
	if n := len(env.sim.Tokens()); n != 1 {
		t.Errorf("%d tokens, want only the admin token", n)
	}
}

// TestStoreGenerateTimeoutLeavesNothing: the store treats a timed-out
// generate as one that may have made a token, deletes that token and
// generates again.
func TestStoreGenerateTimeoutLeavesNothing(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: "/generate/User", Delay: time.Minute, AfterHandling: true})
	tok, _, err := NewTokenStore(env.client).GenerateToken(context.Background(), TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 2 || ids[1] != tok.ID {
		t.Errorf("tokens %v, want the admin token and %s only", ids, tok.ID)
	}
}
