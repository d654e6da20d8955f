package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func TestAuthWrongSecret(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	id, secret := env.sim.AdminCredentials()
	c := newTestClient(t, env.url, id, secret+"x", nil)
	_, err := c.ListTokens(context.Background())
	apiErr := apiError(t, err)
	if apiErr.StatusCode != http.StatusForbidden || apiErr.Message != "Bad credentials" {
		t.Errorf("error = %v, want 403 Bad credentials", err)
	}
	if !IsUnauthorized(err) || IsNotFound(err) || IsAccessDenied(err) {
		t.Errorf("classification: unauthorized=%v notFound=%v denied=%v", IsUnauthorized(err), IsNotFound(err), IsAccessDenied(err))
	}
	if n := env.sim.Count("", ""); n != 1 {
		t.Errorf("requests = %d, want 1 (auth failures are not retried)", n)
	}
}

func TestAuthUnknownToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	c := newTestClient(t, env.url, "unknown-token-000000", "secret", nil)
	_, err := c.WhoAmI(context.Background())
	if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusForbidden || !IsUnauthorized(err) {
		t.Errorf("error = %v, want 403 unauthorized", err)
	}
}

// TestAuthDateSkew: the server refuses a request date 15 minutes or more
// away from its clock; the client then takes the server's clock from that
// answer's Date header and sends the request again, dated right.
func TestAuthDateSkew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		offset  time.Duration
		refused bool // the first attempt
	}{
		{0, false},
		{14 * time.Minute, false},
		{-14 * time.Minute, false},
		{16 * time.Minute, true},
		{-16 * time.Minute, true},
		{-90 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.offset.String(), func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, func(c *Config) {
				c.Now = func() time.Time { return time.Now().Add(tt.offset) }
			})
			if _, err := env.client.ListTokens(context.Background()); err != nil {
				t.Fatalf("offset %v: %v", tt.offset, err)
			}
			attempts := env.sim.Count(http.MethodGet, tokensPath)
			skew := env.client.ClockSkew()
			if !tt.refused {
				if attempts != 1 || skew != 0 {
					t.Errorf("%d attempts, skew %v; want 1 and none", attempts, skew)
				}
				return
			}
			if attempts != 2 {
				t.Errorf("%d attempts, want the refused one and one more", attempts)
			}
			if d := skew + tt.offset; d < -2*time.Second || d > 2*time.Second {
				t.Errorf("skew %v, want about %v", skew, -tt.offset)
			}
			if now := env.client.Now(); time.Until(now).Abs() > 2*time.Second {
				t.Errorf("the client's clock reads %v after the correction", now)
			}
		})
	}
}

// Without a Date header to go by, a refused date stays an error that says
// what is wrong.
func TestAuthDateSkewWithoutDateHeader(t *testing.T) {
	t.Parallel()
	sim := simulator.New(simulator.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Date" {
				w.Header()[k] = v
			}
		}
		w.Header()["Date"] = nil // net/http adds one unless told not to
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	id, secret := sim.AdminCredentials()
	c, err := New(Config{URL: srv.URL, Token: id, Secret: secret, Now: func() time.Time { return time.Now().Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListTokens(context.Background())
	apiErr := apiError(t, err)
	if apiErr.StatusCode != http.StatusForbidden || apiErr.Message != "Date skew too large" || !IsUnauthorized(err) {
		t.Errorf("error = %v, want 403 Date skew too large", err)
	}
	if c.ClockSkew() != 0 {
		t.Errorf("skew %v without a Date header", c.ClockSkew())
	}
}

// signedList sends a hand-built, SNWS2-signed GET of the token list, dated
// date and signed with key, and returns the status and envelope message.
func signedList(t *testing.T, baseURL, tokenID string, key []byte, date time.Time) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, baseURL+tokensPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	date = date.UTC().Truncate(time.Second)
	req.Header.Set("X-SN-Date", date.Format(http.TimeFormat))
	headers := http.Header{}
	headers.Set("Host", req.URL.Host)
	headers.Set("X-SN-Date", req.Header.Get("X-SN-Date"))
	signed := []string{"x-sn-date", "host"}
	canonical := CanonicalRequest(http.MethodGet, req.URL.EscapedPath(), nil, headers, signed, EmptyBodySHA256Hex)
	sig := Signature(key, StringToSign(date, canonical))
	req.Header.Set("Authorization", AuthorizationHeader(tokenID, signed, sig))

	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Success bool   `json:"success"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	if env.Success != (resp.StatusCode == http.StatusOK) {
		t.Errorf("status %d with success=%v", resp.StatusCode, env.Success)
	}
	return resp.StatusCode, env.Message
}

// TestAuthSigningKeyAge: a key derived for day D signs requests dated D to
// D+6.
func TestAuthSigningKeyAge(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	id, secret := env.sim.AdminCredentials()
	tests := []struct {
		name   string
		secret string
		days   int
		ok     bool
	}{
		{"today", secret, 0, true},
		{"1 day old", secret, 1, true},
		{"6 days old", secret, 6, true},
		{"7 days old", secret, 7, false},
		{"8 days old", secret, 8, false},
		{"tomorrow", secret, -1, false},
		{"wrong secret", secret + "x", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := time.Now().UTC()
			key := SigningKey(tt.secret, now.AddDate(0, 0, -tt.days))
			status, msg := signedList(t, env.url, id, key, now)
			if tt.ok && status != http.StatusOK {
				t.Errorf("status %d %q, want 200", status, msg)
			}
			if !tt.ok && (status != http.StatusForbidden || msg != "Bad credentials") {
				t.Errorf("status %d %q, want 403 Bad credentials", status, msg)
			}
		})
	}
}

// TestAuthCallerStates covers callers the server refuses, or restricts.
func TestAuthCallerStates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		past := time.Now().Add(-time.Hour)
		tok := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{NotAfter: &past})
		_, err := env.clientFor(t, tok).ListTokens(ctx)
		apiErr := apiError(t, err)
		if apiErr.StatusCode != http.StatusUnauthorized || apiErr.Message != "Expired token" {
			t.Errorf("error = %v, want 401 Expired token", err)
		}
		if !IsUnauthorized(err) {
			t.Error("IsUnauthorized = false")
		}
	})

	t.Run("disabled", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		tok := env.sim.CreateToken(simulator.TypeUser, nil)
		if err := env.sim.SetStatus(tok.ID, simulator.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		_, err := env.clientFor(t, tok).ListTokens(ctx)
		if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusForbidden || !IsUnauthorized(err) {
			t.Errorf("error = %v, want 403 unauthorized", err)
		}
	})

	t.Run("restricted user token", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		other := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
		tok := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{NodeIDs: []int64{1}})
		c := env.clientFor(t, tok)

		_, err := c.GenerateToken(ctx, TokenTypeReadNodeData, nil)
		if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusForbidden || !IsAccessDenied(err) || IsUnauthorized(err) {
			t.Errorf("generate error = %v, want 403 ACCESS_DENIED", err)
		}
		writes := map[string]error{
			"info":   c.UpdateTokenInfo(ctx, other.ID, "n", ""),
			"status": c.UpdateTokenStatus(ctx, other.ID, StatusDisabled),
			"delete": c.DeleteToken(ctx, other.ID),
		}
		_, writes["merge"] = c.MergeTokenPolicy(ctx, other.ID, SecurityPolicy{SourceIDs: []string{"/a"}})
		_, writes["replace"] = c.ReplaceTokenPolicy(ctx, other.ID, SecurityPolicy{})
		for name, err := range writes {
			if !IsAccessDenied(err) {
				t.Errorf("%s error = %v, want ACCESS_DENIED", name, err)
			}
		}
		if n := len(simTokenIDs(env.sim)); n != 3 {
			t.Errorf("%d tokens, want 3 (nothing created or deleted)", n)
		}

		list, err := c.ListTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != tok.ID {
			t.Errorf("list = %v, want only the caller's own token %s", tokenIDs(list), tok.ID)
		}
	})

	t.Run("user token with only expiry and refresh", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		future := time.Now().Add(time.Hour)
		tok := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{NotAfter: &future, RefreshAllowed: boolPtr(false)})
		c := env.clientFor(t, tok)
		gen, err := c.GenerateToken(ctx, TokenTypeReadNodeData, nil)
		if err != nil {
			t.Fatalf("an unrestricted caller was refused: %v", err)
		}
		list, err := c.ListTokens(ctx)
		if err != nil || len(list) != 3 {
			t.Errorf("list = %v %v, want all 3 tokens", tokenIDs(list), err)
		}
		if err := c.DeleteToken(ctx, gen.ID); err != nil {
			t.Error(err)
		}
	})

	t.Run("data token", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		tok := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
		c := env.clientFor(t, tok)
		// Spring Security refuses the role with its own "Access Denied":
		// neither a credential failure nor SolarNetwork's ACCESS_DENIED.
		_, err := c.ListTokens(ctx)
		if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusForbidden || apiErr.Message != MessageRoleDenied ||
			!IsRoleDenied(err) || IsAccessDenied(err) || IsUnauthorized(err) {
			t.Errorf("list error = %v, want 403 Access Denied, a role refusal", err)
		}
		_, err = c.GenerateToken(ctx, TokenTypeReadNodeData, nil)
		if !IsRoleDenied(err) {
			t.Errorf("generate error = %v, want a role refusal", err)
		}
	})

	t.Run("api paths deny the token API", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		tok := env.sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/datum/**"}})
		_, err := env.clientFor(t, tok).ListTokens(ctx)
		reason, ok := AuthFailure(err)
		if !ok || reason != AuthMessageAPIPathDenied || IsRoleDenied(err) || IsAccessDenied(err) {
			t.Errorf("error = %v: auth failure %q %v, want %q", err, reason, ok, AuthMessageAPIPathDenied)
		}
	})
}

// TestAuthFailureNeedsSolarNetwork: a 401 or 403 page from a proxy or
// firewall says nothing about the credentials.
func TestAuthFailureNeedsSolarNetwork(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		env := newEnv(t, simulator.Options{}, nil)
		env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: listPath, Status: status, ContentType: "text/html",
			Body: "<html><head><title>403 Forbidden</title></head><body><h1>Request blocked by the firewall</h1></body></html>"})
		_, err := env.client.ListTokens(context.Background())
		apiErr := apiError(t, err)
		if !apiErr.NotSolarNetwork || apiErr.ContentType != "text/html" || apiErr.Excerpt != "403 Forbidden" {
			t.Errorf("%d: %+v", status, apiErr)
		}
		if IsUnauthorized(err) || IsAccessDenied(err) || IsNotFound(err) || IsRoleDenied(err) {
			t.Errorf("%d: a proxy page classified as SolarNetwork's refusal: %v", status, err)
		}
		if want := "and the answer is not SolarNetwork's (text/html: \"403 Forbidden\")"; !strings.Contains(err.Error(), want) {
			t.Errorf("%d: %v lacks %s", status, err, want)
		}
	}
}
