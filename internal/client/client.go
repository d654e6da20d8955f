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
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultURL is SolarNetwork's public service.
const DefaultURL = "https://data.solarnetwork.net"

// DefaultMaxRetries bounds retries of idempotent requests.
const DefaultMaxRetries = 4

// DefaultRequestTimeout bounds one attempt of a request: connecting,
// sending, and reading the whole answer.
const DefaultRequestTimeout = 60 * time.Second

// LogLevel is the importance of a log line.
type LogLevel int

// Log levels: every attempt is logged at LogDebug, every retry at LogWarn.
const (
	LogDebug LogLevel = iota
	LogWarn
)

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
	// RequestTimeout bounds each attempt of a request, from connecting to
	// reading the whole answer; DefaultRequestTimeout when zero.
	RequestTimeout time.Duration
	// MinBackoff and MaxBackoff bound the exponential backoff between retries
	// (defaults 500ms and 30s).
	MinBackoff, MaxBackoff time.Duration
	// Now is the clock used for signing; time.Now when nil.
	Now func() time.Time
	// After waits on Now's clock, as time.After (the default) does; tests
	// give one that moves their clock instead of sleeping.
	After func(time.Duration) <-chan time.Time
	// ListLag is how old a token list may be (see DefaultListLag, the
	// default when nil): a token newer than that may be missing from a list
	// although it exists.
	ListLag *time.Duration
	// Logger, when set, receives one line per HTTP attempt (LogDebug) and
	// one per retry with its reason (LogWarn). It never receives
	// credentials.
	Logger func(ctx context.Context, level LogLevel, msg string, fields map[string]any)
}

// Client calls the SolarUser API. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	signer     signer
	http       *http.Client
	userAgent  string
	maxRetries int
	timeout    time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
	now        func() time.Time // clock moved by skew
	clock      func() time.Time // Config.Now
	skew       atomic.Int64     // nanoseconds; see adoptServerClock
	after      func(time.Duration) <-chan time.Time
	listLag    time.Duration
	logger     func(ctx context.Context, level LogLevel, msg string, fields map[string]any)
}

// New validates cfg and returns a Client. A refused cfg is a *ConfigError.
func New(cfg Config) (*Client, error) {
	raw := cfg.URL
	if raw == "" {
		raw = DefaultURL
	}
	base, err := ParseBaseURL(raw)
	if err != nil {
		return nil, &ConfigError{Field: "URL", Err: err}
	}
	if cfg.Token == "" {
		return nil, &ConfigError{Field: "Token", Err: errors.New("a token is required")}
	}
	if cfg.Secret == "" {
		return nil, &ConfigError{Field: "Secret", Err: errors.New("a secret is required")}
	}
	c := &Client{
		base:       base,
		signer:     signer{tokenID: cfg.Token, secret: cfg.Secret},
		http:       cfg.HTTPClient,
		userAgent:  cfg.UserAgent,
		maxRetries: DefaultMaxRetries,
		timeout:    cfg.RequestTimeout,
		minBackoff: cfg.MinBackoff,
		maxBackoff: cfg.MaxBackoff,
		clock:      cfg.Now,
		after:      cfg.After,
		listLag:    DefaultListLag,
		logger:     cfg.Logger,
	}
	if cfg.ListLag != nil {
		if *cfg.ListLag < 0 {
			return nil, &ConfigError{Field: "ListLag", Err: errors.New("the list lag must not be negative")}
		}
		c.listLag = *cfg.ListLag
	}
	if cfg.MaxRetries != nil {
		if *cfg.MaxRetries < 0 {
			return nil, &ConfigError{Field: "MaxRetries", Err: errors.New("max retries must not be negative")}
		}
		c.maxRetries = *cfg.MaxRetries
	}
	if c.timeout < 0 {
		return nil, &ConfigError{Field: "RequestTimeout", Err: errors.New("the request timeout must not be negative")}
	}
	if c.timeout == 0 {
		c.timeout = DefaultRequestTimeout
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
	if c.clock == nil {
		c.clock = time.Now
	}
	c.now = func() time.Time { return c.clock().Add(time.Duration(c.skew.Load())) }
	if c.after == nil {
		c.after = time.After
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

// envelope is SolarNetwork's response wrapper. Success is nil when the
// field is missing: then the body is not SolarNetwork's answer.
type envelope struct {
	Success *bool           `json:"success"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	// Error is Spring Boot's error text ("Bad Request"), in the error
	// bodies SolarNetwork sends for 400, 404, 405 and 415.
	Error string `json:"error"`
}

// request describes one API call.
type request struct {
	method string
	path   string     // absolute path on the server
	query  url.Values // URL query parameters
	form   url.Values // form body (POST), signed as parameters
	json   any        // JSON body; mutually exclusive with form
	// idempotent requests are retried on transient failures. Others (generate)
	// are retried only after the rate limiter's refusal, which the server
	// sends before doing anything.
	idempotent bool
	// uncached requests carry a cache key of their own in each attempt, and
	// an answer from SolarNetwork's response cache is refused.
	uncached bool
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
	start := time.Now()
	clockAdopted := false
	for attempt := 0; ; attempt++ {
		env, contentType, retryAfter, err := c.attempt(ctx, req, body)
		if err == nil {
			if out != nil && len(env.Data) > 0 {
				if err := json.Unmarshal(env.Data, out); err != nil {
					return &UnreadableResponseError{Method: req.method, Path: req.path, StatusCode: http.StatusOK, ContentType: contentType,
						Reason: "its data does not have the expected shape: " + err.Error(), Excerpt: bodyExcerpt(env.Data, contentType)}
				}
			}
			return nil
		}
		if skewed := (*APIError)(nil); !clockAdopted && errors.As(err, &skewed) && skewed.dateSkew != nil {
			// Refused before it was handled: safe to send again, generate too.
			clockAdopted = true
			if c.adoptServerClock(ctx, skewed.dateSkew) {
				attempt--
				continue
			}
		}
		transient := retryable(err, req.idempotent)
		if attempt >= c.maxRetries || !transient || (!req.idempotent && !rateLimited(err)) {
			if attempt > 0 || (transient && req.idempotent) {
				return &AttemptsError{Attempts: attempt + 1, Elapsed: time.Since(start), Err: err}
			}
			return err
		}
		wait := c.backoff(attempt, retryAfter)
		c.log(ctx, LogWarn, "retrying SolarNetwork request", map[string]any{"method": req.method, "path": req.path,
			"attempt": attempt + 1, "max_attempts": c.maxRetries + 1, "wait": wait.String(), "reason": err.Error()})
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return &AttemptsError{Attempts: attempt + 1, Elapsed: time.Since(start), Err: fmt.Errorf("%w (gave up retrying: %w)", err, ctx.Err())}
		case <-timer.C:
		}
	}
}

// attempt sends req once, within the request timeout. It returns the
// parsed envelope and its content type on success, or an error plus any
// server-requested wait before a retry.
func (c *Client) attempt(ctx context.Context, req request, body []byte) (*envelope, string, time.Duration, error) {
	query := req.query
	if req.uncached {
		query = withCacheKey(query)
	}
	u := *c.base
	u.Path = c.base.Path + req.path
	u.RawQuery = query.Encode()

	params := url.Values{}
	for k, v := range query {
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
	attemptCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	httpReq, err := http.NewRequestWithContext(attemptCtx, req.method, u.String(), reader)
	if err != nil {
		return nil, "", 0, err
	}
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.userAgent)
	if contentType != "" {
		httpReq.Header.Set("Content-Type", contentType)
	}
	c.signer.sign(httpReq, params, signedBody, c.now())

	start := time.Now()
	// failed turns an error without an HTTP answer into a TransportError,
	// unless the caller gave up (its context's error then says so).
	failed := func(err error, sent bool) error {
		c.log(ctx, LogDebug, "SolarNetwork request failed", map[string]any{"method": req.method, "path": req.path, "error": err.Error()})
		if ctx.Err() != nil {
			return err
		}
		te := &TransportError{Method: req.method, Path: req.path, Sent: sent, Err: err}
		if errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
			te.Timeout = c.timeout
		}
		return te
	}
	resp, err := c.http.Do(httpReq)
	if err != nil {
		var opErr *net.OpError
		return nil, "", 0, failed(err, !(errors.As(err, &opErr) && opErr.Op == "dial"))
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	c.log(ctx, LogDebug, "SolarNetwork request", map[string]any{"method": req.method, "path": req.path, "status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds()})
	if err != nil {
		return nil, "", 0, failed(err, true)
	}
	respType := resp.Header.Get("Content-Type")
	var env envelope
	jsonErr := json.Unmarshal(data, &env)
	isEnvelope := jsonErr == nil && env.Success != nil
	if resp.StatusCode/100 == 2 && isEnvelope && *env.Success {
		if req.uncached && strings.EqualFold(resp.Header.Get(headerContentCache), contentCacheHit) {
			return nil, "", 0, &CachedAnswerError{Method: req.method, Path: req.path}
		}
		return &env, respType, 0, nil
	}
	if resp.StatusCode/100 == 2 && !isEnvelope {
		return nil, "", 0, &UnreadableResponseError{Method: req.method, Path: req.path, StatusCode: resp.StatusCode, ContentType: respType,
			Reason: unreadableReason(data, respType, jsonErr), Excerpt: bodyExcerpt(data, respType)}
	}
	apiErr := &APIError{StatusCode: resp.StatusCode, Code: env.Code, Message: env.Message, Method: req.method, Path: req.path,
		AuthMessage: resp.Header.Get("X-SN-ErrorMessage")}
	if apiErr.AuthMessage == AuthMessageDateSkew {
		apiErr.dateSkew = resp.Header
	}
	apiErr.RateLimiter = resp.StatusCode == http.StatusTooManyRequests &&
		((isEnvelope && env.Code == CodeRateLimited) || resp.Header.Get(headerRateLimitRetryAfter) != "")
	switch {
	case !isEnvelope:
		// Not SolarNetwork's JSON: a proxy, gateway or firewall page.
		apiErr.Code, apiErr.Message = "", http.StatusText(resp.StatusCode)
		apiErr.NotSolarNetwork, apiErr.ContentType, apiErr.Excerpt = true, respType, bodyExcerpt(data, respType)
	case apiErr.Message == "" && apiErr.AuthMessage != "":
		apiErr.Message = apiErr.AuthMessage
	case apiErr.Message == "":
		apiErr.Message = env.Error
	}
	return nil, "", retryAfter(resp.Header, c.now()), apiErr
}

// unreadableReason says why a success body is not SolarNetwork's answer.
func unreadableReason(data []byte, contentType string, jsonErr error) string {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	isJSON := mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
	var syntaxErr *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "the body is empty"
	case jsonErr == nil:
		return "the JSON has no \"success\" field, so it is not SolarNetwork's answer"
	case !isJSON && mediaType != "":
		return "it is " + mediaType + ", not SolarNetwork's JSON"
	case errors.Is(jsonErr, io.ErrUnexpectedEOF) || (errors.As(jsonErr, &syntaxErr) && strings.Contains(jsonErr.Error(), "unexpected end")):
		return "the JSON ends early, as if the answer was cut short"
	}
	return "it is not valid JSON: " + jsonErr.Error()
}

// retryable reports whether a failure is transient: rate limits, gateway
// errors, connection failures and timeouts; and, for idempotent requests,
// SolarNetwork's 500 "Internal error", which a database hiccup also gives
// and which is harmless to repeat when the request is idempotent.
func retryable(err error, idempotent bool) bool {
	var te *TransportError
	var cached *CachedAnswerError
	if errors.As(err, &te) || errors.As(err, &cached) {
		return true
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		case http.StatusInternalServerError:
			return idempotent
		}
	}
	return false
}

// rateLimited reports a 429 of SolarNetwork's rate limiter, which refuses
// before the request is handled, so even a generate may be sent again. Its
// other 429s (database errors) can follow a generate whose token was made:
// sending that again would make a second token (solarnetwork-api.md §1.5).
func rateLimited(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests && apiErr.RateLimiter
}

func (c *Client) log(ctx context.Context, level LogLevel, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger(ctx, level, msg, fields)
	}
}
