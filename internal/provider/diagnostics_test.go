package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Every SolarNetwork answer the provider can meet gets the advice that fits
// it, and only that advice.
func TestAddAPIErrorAdvice(t *testing.T) {
	t.Parallel()
	api := func(status int, msg string, mod func(*client.APIError)) error {
		e := &client.APIError{StatusCode: status, Message: msg, Method: "GET", Path: "/solaruser/api/v1/sec/user/auth-tokens"}
		if mod != nil {
			mod(e)
		}
		return e
	}
	authHeader := func(e *client.APIError) { e.AuthMessage = e.Message }
	proxy := func(e *client.APIError) {
		e.NotSolarNetwork, e.ContentType, e.Excerpt = true, "text/html", "403 Forbidden"
	}
	tests := []struct {
		name string
		err  error
		want string
		not  []string
	}{
		{"bad credentials", api(403, "Bad credentials", authHeader), "the token ID is unknown, the token is Disabled, or the secret is wrong", nil},
		{"expired", api(401, "Expired token", authHeader), "The provider's token has expired", nil},
		{"date skew", api(403, "Date skew too large", authHeader), "clock differs from SolarNetwork's by 15 minutes", nil},
		{"api paths", api(403, "Access denied", authHeader), "api_paths in its policy that do not allow", nil},
		{"no authorization", api(401, "Full authentication is required to access this resource", authHeader), "removed its Authorization", nil},
		{"data token", api(403, "Access Denied", nil), "is not a User token", []string{"credentials"}},
		{"restricted", api(403, "ACCESS_DENIED", nil), "must not restrict data or API access", nil},
		{"deleted token", api(403, "UNKNOWN_OBJECT", nil), "deleted outside Terraform", nil},
		{"proxy 403", api(403, "Forbidden", proxy), "says nothing about the provider's credentials", []string{"secret is wrong", "clock"}},
		{"proxy 401", api(401, "Unauthorized", proxy), "says nothing about the provider's credentials", nil},
		{"gateway", api(503, "Service Unavailable", proxy), "is unavailable", nil},
		{"other page", api(404, "Not Found", proxy), "points at SolarNetwork", nil},
		{"rate limit", api(429, "", func(e *client.APIError) { e.Code = "WEB.10000" }), "SolarNetwork is busy", nil},
		{"internal error", api(500, "Internal error", nil), "SolarNetwork failed while handling", nil},
		{"unprocessable", api(422, "Malformed JSON: x", nil), "report it to the provider's developers", nil},
		{"boot error", api(405, "Method Not Allowed", nil), "does not accept the request as the provider sends it", nil},
		{"unreadable", &client.UnreadableResponseError{Method: "GET", Path: "/x", StatusCode: 200, ContentType: "text/html", Reason: "it is text/html"},
			"may have answered instead", nil},
		{"timeout", &client.AttemptsError{Attempts: 3, Elapsed: 3 * time.Second,
			Err: &client.TransportError{Method: "GET", Path: "/x", Sent: true, Timeout: time.Second, Err: context.DeadlineExceeded}},
			"did not answer within the provider's request_timeout", nil},
		{"operation timeout", fmt.Errorf("Post \"x\": %w", context.DeadlineExceeded), "ran out of the time its timeouts block allows", nil},
		{"no connection", &client.TransportError{Method: "GET", Path: "/x", Err: errors.New("connection refused")}, "could not connect", nil},
		{"connection broke", &client.TransportError{Method: "POST", Path: "/x", Sent: true, Err: errors.New("EOF")}, "may or may not have taken effect", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addAPIError(context.Background(), &diags, "Summary", tt.err)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics", len(diags))
			}
			detail := diags[0].Detail()
			if !strings.HasPrefix(detail, tt.err.Error()) || !strings.Contains(detail, tt.want) {
				t.Errorf("detail %q, want the error and %q", detail, tt.want)
			}
			for _, not := range tt.not {
				if strings.Contains(detail, not) {
					t.Errorf("detail %q must not say %q", detail, not)
				}
			}
		})
	}
}

// A node SolarNetwork refuses is reported on policy.node_ids, with the
// configured IDs listed.
func TestAddAPIErrorNodes(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{client.MessageUnknownObject, client.MessageAccessDenied} {
		var diags diag.Diagnostics
		err := &client.NodeAccessError{NodeIDs: []int64{101, 1010},
			Err: &client.APIError{StatusCode: 403, Message: msg, Method: "POST", Path: "/generate/ReadNodeData"}}
		addAPIError(context.Background(), &diags, "Could not create the security token", fmt.Errorf("wrapped: %w", err))
		if len(diags) != 1 {
			t.Fatalf("%d diagnostics", len(diags))
		}
		withPath, ok := diags[0].(diag.DiagnosticWithPath)
		if !ok || !withPath.Path().Equal(path.Root("policy").AtName("node_ids")) {
			t.Errorf("%s: diagnostic %v is not on policy.node_ids", msg, diags[0])
		}
		detail := diags[0].Detail()
		if !strings.Contains(detail, "The node IDs are the likely cause") || !strings.Contains(detail, "(101, 1010)") ||
			!strings.Contains(detail, msg) || strings.Contains(detail, "Refresh") {
			t.Errorf("%s: detail %q", msg, detail)
		}
	}
}

// Errors from SolarNetwork and from the first list become diagnostics
// that name the cause and what to do; no credential reaches them.
func TestDiagnosticsUnit(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&client.RestrictedCredentialError{TokenID: "T", Fields: []string{"nodeIds", "apiPaths"}}, "policy.node_ids, policy.api_paths"},
		{&client.IncompleteListError{Reason: "no data"}, "rather than take the missing tokens as deleted"},
		{&client.APIError{StatusCode: 401, Message: "Expired token"}, "expired"},
		{&client.TransportError{Method: "POST", Path: "/x", Sent: true, Err: errors.New("reset")}, "may or may not have taken effect"},
	}
	for _, c := range cases {
		var diags diag.Diagnostics
		addCredentialError(context.Background(), &diags, c.err)
		if !diags.HasError() {
			t.Errorf("%v: no error", c.err)
			continue
		}
		text := diags.Errors()[0].Summary() + " " + diags.Errors()[0].Detail()
		if !strings.Contains(text, c.want) {
			t.Errorf("%v: %q lacks %q", c.err, text, c.want)
		}
	}
}

// A configuration the client refuses is filed under the attribute at fault,
// not always under url.
func TestAddConfigErrorNamesTheAttribute(t *testing.T) {
	for field, want := range map[string]string{"URL": "url", "Token": "token", "Secret": "secret", "MaxRetries": "max_retries", "RequestTimeout": "request_timeout"} {
		var diags diag.Diagnostics
		addConfigError(&diags, &client.ConfigError{Field: field, Err: errors.New("refused")})
		got, ok := diags.Errors()[0].(diag.DiagnosticWithPath)
		if len(diags) != 1 || !ok || !got.Path().Equal(path.Root(want)) {
			t.Errorf("%s: %v, want one error on %s", field, diags, want)
		}
	}
	if _, err := client.New(client.Config{URL: "http://example.com", Token: "t", Secret: "s"}); err == nil {
		t.Fatal("plain http to a remote host was accepted")
	} else {
		var diags diag.Diagnostics
		addConfigError(&diags, err)
		if got, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !got.Path().Equal(path.Root("url")) || got.Summary() != "Invalid SolarNetwork URL" {
			t.Errorf("client.New's URL error became %v", diags)
		}
	}
}

// An operation that ran out of its own time limit says which limit; one
// that was interrupted says so rather than "context canceled".
func TestAddAPIErrorNamesTheLimitAndTheInterruption(t *testing.T) {
	expired, cancel := withTimeout(context.Background(), func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) {
		return time.Millisecond, nil // configured, not the default
	}, defaultCreateTimeout, &diag.Diagnostics{})
	defer cancel()
	<-expired.Done()
	var diags diag.Diagnostics
	addAPIError(expired, &diags, "Could not create the security token", fmt.Errorf("Post \"x\": %w", expired.Err()))
	if got := errorsOf(diags); !strings.Contains(got, "ran out of the 1ms its timeouts block allows") || strings.Contains(got, "20m") {
		t.Errorf("timed out: %q", got)
	}

	interrupted, interrupt := context.WithCancel(context.Background())
	interrupt()
	diags = nil
	addAPIError(interrupted, &diags, "Could not create the security token", fmt.Errorf("Post \"x\": %w", interrupted.Err()))
	if got := errorsOf(diags); !strings.Contains(got, "The run was interrupted") {
		t.Errorf("interrupted: %q", got)
	}
}
