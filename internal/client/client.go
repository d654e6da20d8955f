// Package client is a SolarNetwork SolarUser API client for security tokens.
// It signs every request with SNWS2 and knows nothing of Terraform.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultURL is SolarNetwork's public service.
const DefaultURL = "https://data.solarnetwork.net"

// DefaultMaxRetries bounds retries of idempotent requests.
const DefaultMaxRetries = 4

const tokensPath = "/solaruser/api/v1/sec/user/auth-tokens"

// Config configures a Client.
type Config struct {
	// URL is the SolarNetwork base URL; DefaultURL when empty. Plain http is
	// refused except for loopback hosts.
	URL string
	// Token and Secret are the credentials of a User token with an
	// unrestricted policy.
	Token  string
	Secret string
	// MaxRetries bounds retries of idempotent requests; nil means
	// DefaultMaxRetries, 0 disables retries.
	MaxRetries *int
	// UserAgent is sent with every request.
	UserAgent string
	// HTTPClient defaults to a go-cleanhttp pooled client.
	HTTPClient *http.Client
	// MinBackoff and MaxBackoff bound the exponential backoff between retries
	// (defaults 500ms and 30s).
	MinBackoff, MaxBackoff time.Duration
	// Now is the clock used for signing; time.Now when nil.
	Now func() time.Time
	// Logger, when set, receives one line per HTTP attempt. It never
	// receives credentials.
	Logger func(ctx context.Context, msg string, fields map[string]any)
}

// Client calls the SolarUser API. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	signer     signer
	http       *http.Client
	userAgent  string
	maxRetries int
	minBackoff time.Duration
	maxBackoff time.Duration
	now        func() time.Time
	logger     func(ctx context.Context, msg string, fields map[string]any)
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	raw := cfg.URL
	if raw == "" {
		raw = DefaultURL
	}
	base, err := ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" || cfg.Secret == "" {
		return nil, errors.New("a token and a secret are required")
	}
	c := &Client{
		base:       base,
		signer:     signer{tokenID: cfg.Token, secret: cfg.Secret},
		http:       cfg.HTTPClient,
		userAgent:  cfg.UserAgent,
		maxRetries: DefaultMaxRetries,
		minBackoff: cfg.MinBackoff,
		maxBackoff: cfg.MaxBackoff,
		now:        cfg.Now,
		logger:     cfg.Logger,
	}
	if cfg.MaxRetries != nil {
		if *cfg.MaxRetries < 0 {
			return nil, errors.New("max retries must not be negative")
		}
		c.maxRetries = *cfg.MaxRetries
	}
	if c.http == nil {
		c.http = cleanhttp.DefaultPooledClient()
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-solarnetwork"
	}
	if c.minBackoff <= 0 {
		c.minBackoff = 500 * time.Millisecond
	}
	if c.maxBackoff <= 0 {
		c.maxBackoff = 30 * time.Second
	}
	if c.minBackoff > c.maxBackoff {
		c.minBackoff = c.maxBackoff
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// ParseBaseURL checks a SolarNetwork base URL. Plain http would expose
// signed requests to tampering, so it is allowed only for loopback hosts
// such as a local simulator.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL such as %s", raw, DefaultURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%q uses plain http, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https", raw)
		}
	default:
		return nil, fmt.Errorf("%q must use https", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or fragment", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// TokenID returns the id of the token the client signs with.
func (c *Client) TokenID() string { return c.signer.tokenID }

// envelope is SolarNetwork's response wrapper.
type envelope struct {
	Success bool            `json:"success"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// request describes one API call.
type request struct {
	method string
	path   string     // absolute path on the server
	query  url.Values // URL query parameters
	form   url.Values // form body (POST), signed as parameters
	json   any        // JSON body; mutually exclusive with form
	// idempotent requests are retried on transient failures. Others (generate)
	// are retried only after a rate-limit refusal, which the server sends
	// before doing anything.
	idempotent bool
}

// do performs req with retries and decodes the envelope's data into out.
func (c *Client) do(ctx context.Context, req request, out any) error {
	var body []byte
	if req.json != nil {
		var err error
		if body, err = json.Marshal(req.json); err != nil {
			return fmt.Errorf("encoding request body: %w", err)
		}
	}
	for attempt := 0; ; attempt++ {
		env, retryAfter, err := c.attempt(ctx, req, body)
		if err == nil {
			if out != nil && len(env.Data) > 0 {
				if err := json.Unmarshal(env.Data, out); err != nil {
					return fmt.Errorf("SolarNetwork %s %s: decoding response: %w", req.method, req.path, err)
				}
			}
			return nil
		}
		if attempt >= c.maxRetries || !retryable(err) || (!req.idempotent && !rateLimited(err)) {
			return err
		}
		wait := c.backoff(attempt, retryAfter)
		c.log(ctx, "retrying SolarNetwork request", map[string]any{"method": req.method, "path": req.path, "attempt": attempt + 1, "wait": wait.String(), "error": err.Error()})
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w (gave up retrying: %w)", err, ctx.Err())
		case <-timer.C:
		}
	}
}

// attempt sends req once. It returns the parsed envelope on success, or an
// error plus any server-requested wait before a retry.
func (c *Client) attempt(ctx context.Context, req request, body []byte) (*envelope, time.Duration, error) {
	u := *c.base
	u.Path = c.base.Path + req.path
	u.RawQuery = req.query.Encode()

	params := url.Values{}
	for k, v := range req.query {
		params[k] = append(params[k], v...)
	}
	var reader io.Reader
	var signedBody []byte
	contentType := ""
	switch {
	case req.form != nil:
		reader = strings.NewReader(req.form.Encode())
		contentType = "application/x-www-form-urlencoded"
		for k, v := range req.form {
			params[k] = append(params[k], v...)
		}
	case body != nil:
		reader = bytes.NewReader(body)
		contentType = "application/json"
		signedBody = body
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, u.String(), reader)
	if err != nil {
		return nil, 0, err
	}
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.userAgent)
	if contentType != "" {
		httpReq.Header.Set("Content-Type", contentType)
	}
	c.signer.sign(httpReq, params, signedBody, c.now())

	start := time.Now()
	resp, err := c.http.Do(httpReq)
	if err != nil {
		c.log(ctx, "SolarNetwork request failed", map[string]any{"method": req.method, "path": req.path, "error": err.Error()})
		if ctx.Err() != nil {
			return nil, 0, err
		}
		var opErr *net.OpError
		sent := !(errors.As(err, &opErr) && opErr.Op == "dial")
		return nil, 0, &TransportError{Method: req.method, Path: req.path, Sent: sent, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	c.log(ctx, "SolarNetwork request", map[string]any{"method": req.method, "path": req.path, "status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds()})
	if err != nil {
		return nil, 0, &TransportError{Method: req.method, Path: req.path, Sent: true, Err: err}
	}
	var env envelope
	jsonErr := json.Unmarshal(data, &env)
	if resp.StatusCode/100 != 2 || jsonErr != nil || !env.Success {
		apiErr := &APIError{StatusCode: resp.StatusCode, Code: env.Code, Message: env.Message, Method: req.method, Path: req.path}
		if jsonErr != nil && apiErr.Message == "" {
			// Not SolarNetwork's JSON: a proxy or gateway page.
			apiErr.Message = http.StatusText(resp.StatusCode)
		}
		if msg := resp.Header.Get("X-SN-ErrorMessage"); apiErr.Message == "" && msg != "" {
			apiErr.Message = msg
		}
		return nil, retryAfter(resp.Header, c.now()), apiErr
	}
	return &env, 0, nil
}

// retryable reports whether a failure is transient: rate limits, gateway
// errors and connection failures.
func retryable(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return true
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

// rateLimited reports a 429: SolarNetwork's rate limiter refuses before the
// request is handled, so even a generate may be sent again.
func rateLimited(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests
}

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger(ctx, msg, fields)
	}
}
