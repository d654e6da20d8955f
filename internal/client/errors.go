package client

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SolarNetwork error messages that callers act on.
const (
	// MessageUnknownObject is SolarNetwork's reason for an object that does
	// not exist: a token on /info, /status and /policy, a node on generate.
	MessageUnknownObject = "UNKNOWN_OBJECT"
	// MessageAccessDenied is SolarNetwork's reason for an object of another
	// account, or a caller whose own policy restricts it.
	MessageAccessDenied = "ACCESS_DENIED"
	// MessageRoleDenied is Spring Security's text for a caller without the
	// role a path needs: a ReadNodeData token calling SolarUser's API.
	MessageRoleDenied = "Access Denied"
)

// Messages of SolarNetwork's security filter (SecurityTokenAuthenticationFilter).
const (
	AuthMessageBadCredentials = "Bad credentials"
	AuthMessageExpired        = "Expired token"
	AuthMessageAPIPathDenied  = "Access denied"
	AuthMessageDateSkew       = "Date skew too large"
)

// APIError is an HTTP answer that is not a success: SolarNetwork's own
// refusal (its JSON with success=false), or, when NotSolarNetwork is set, a
// page from something in between, such as a proxy, gateway or firewall.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is SolarNetwork's error code, such as "WEB.10000" or "DAO.00103".
	Code string
	// Message is SolarNetwork's message, such as "UNKNOWN_OBJECT", or the
	// status text when the answer is not SolarNetwork's.
	Message string
	// Method and Path name the request that failed (no query string).
	Method string
	Path   string
	// AuthMessage is the X-SN-ErrorMessage header, which SolarNetwork's
	// security filter sets when it refuses the request's authentication.
	AuthMessage string
	// RateLimiter is set on a 429 from SolarNetwork's rate limiter
	// (WEB.10000, or its X-SN-Rate-Limit-Retry-After header), which refuses
	// before the request is handled. Its other 429s answer database errors
	// (DAO.002xx, DAO.003xx) that can come after a write committed.
	RateLimiter bool
	// dateSkew holds the answer's headers when SolarNetwork refused the
	// request's date, for adoptServerClock.
	dateSkew http.Header
	// NotSolarNetwork is set when the body is not SolarNetwork's JSON;
	// ContentType and Excerpt then describe what came instead.
	NotSolarNetwork bool
	ContentType     string
	// Excerpt is the start of a body that is not SolarNetwork's JSON, with
	// markup and anything secret-looking removed.
	Excerpt string
}

func (e *APIError) Error() string {
	if e.NotSolarNetwork {
		return fmt.Sprintf("SolarNetwork %s %s: HTTP %d %s, and the answer is not SolarNetwork's (%s)",
			e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), describeBody(e.ContentType, e.Excerpt))
	}
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	if e.Code != "" {
		msg = e.Code + ": " + msg
	}
	return fmt.Sprintf("SolarNetwork %s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, msg)
}

// solarNetworkError returns err's APIError when SolarNetwork itself answered
// with status.
func solarNetworkError(err error, status int) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) && !apiErr.NotSolarNetwork && apiErr.StatusCode == status {
		return apiErr, true
	}
	return nil, false
}

// IsNotFound reports whether SolarNetwork answered that the object does not
// exist. It never answers 404 for tokens: it answers 403 UNKNOWN_OBJECT.
func IsNotFound(err error) bool {
	apiErr, ok := solarNetworkError(err, http.StatusForbidden)
	return ok && apiErr.Message == MessageUnknownObject
}

// IsAccessDenied reports whether SolarNetwork refused the caller access to
// an object: one of another account, or any change when the caller's own
// policy restricts it.
func IsAccessDenied(err error) bool {
	apiErr, ok := solarNetworkError(err, http.StatusForbidden)
	return ok && apiErr.Message == MessageAccessDenied
}

// IsRoleDenied reports whether the caller authenticated but lacks the role
// the path needs: SolarUser's API needs a User token, and a ReadNodeData
// token is refused with Spring Security's "Access Denied".
func IsRoleDenied(err error) bool {
	apiErr, ok := solarNetworkError(err, http.StatusForbidden)
	return ok && apiErr.AuthMessage == "" && apiErr.Message == MessageRoleDenied
}

// AuthFailure returns the reason SolarNetwork's security filter gave for
// refusing the request's authentication, such as AuthMessageBadCredentials,
// and whether it refused it at all.
func AuthFailure(err error) (reason string, ok bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.NotSolarNetwork {
		return "", false
	}
	reason = apiErr.AuthMessage
	if reason == "" {
		reason = apiErr.Message
	}
	switch {
	case apiErr.StatusCode == http.StatusUnauthorized:
		return reason, true
	case apiErr.StatusCode != http.StatusForbidden:
		return "", false
	case apiErr.AuthMessage != "":
		return reason, true
	}
	switch reason {
	case AuthMessageBadCredentials, AuthMessageExpired, AuthMessageDateSkew, AuthMessageAPIPathDenied:
		return reason, true
	}
	return "", false
}

// IsUnauthorized reports whether SolarNetwork refused the credentials: a bad
// signature, an unknown, disabled or expired token, a clock too far off, or
// a path the token's own api_paths do not allow.
func IsUnauthorized(err error) bool {
	_, ok := AuthFailure(err)
	return ok
}

// NodeAccessError is a generate SolarNetwork refused because of a node in
// the policy: one that does not exist (UNKNOWN_OBJECT) or one of another
// account (ACCESS_DENIED). SolarNetwork does not say which node, so NodeIDs
// are all those the policy named.
type NodeAccessError struct {
	NodeIDs []int64
	Err     *APIError
}

// OtherAccount reports whether SolarNetwork found a node of another account
// rather than one that does not exist.
func (e *NodeAccessError) OtherAccount() bool { return e.Err.Message == MessageAccessDenied }

func (e *NodeAccessError) Error() string {
	return fmt.Sprintf("%v (for the policy's node IDs %s)", e.Err, JoinNodeIDs(e.NodeIDs))
}

func (e *NodeAccessError) Unwrap() error { return e.Err }

// JoinNodeIDs formats node IDs as "1, 2, 3".
func JoinNodeIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// TransportError is a request that got no HTTP answer. When Sent is true
// the request may have reached SolarNetwork, so whether it took effect is
// unknown; otherwise the connection was never made.
type TransportError struct {
	Method, Path string
	Sent         bool
	// Timeout is the request timeout when the attempt ran out of it.
	Timeout time.Duration
	Err     error
}

func (e *TransportError) Error() string {
	outcome := ""
	if e.changes() {
		outcome = ", the outcome is unknown"
	}
	switch {
	case e.Timeout > 0 && e.Sent:
		return fmt.Sprintf("SolarNetwork %s %s: no complete answer within the request timeout of %s%s", e.Method, e.Path, e.Timeout, outcome)
	case e.Timeout > 0:
		return fmt.Sprintf("SolarNetwork %s %s: could not connect within the request timeout of %s: %v", e.Method, e.Path, e.Timeout, e.Err)
	case e.Sent:
		return fmt.Sprintf("SolarNetwork %s %s: no response%s: %v", e.Method, e.Path, outcome, e.Err)
	}
	return fmt.Sprintf("SolarNetwork %s %s: could not connect: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// changes reports whether the request may have changed something: it was
// sent, and it is not a read.
func (e *TransportError) changes() bool {
	return e.Sent && e.Method != http.MethodGet && e.Method != http.MethodHead
}

// IsAmbiguous reports whether err leaves the outcome of a request that
// changes something unknown.
func IsAmbiguous(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.changes()
}

// IsTimeout reports whether a request ran out of its request timeout.
func IsTimeout(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.Timeout > 0
}

// UnreadableResponseError is a success status whose body the client cannot
// read as SolarNetwork's answer: an HTML page, JSON cut short, or data of
// the wrong shape. Whether the request took effect is unknown.
type UnreadableResponseError struct {
	Method, Path string
	StatusCode   int
	ContentType  string
	// Reason says what is wrong, such as "the JSON ends early".
	Reason string
	// Excerpt is the start of the body, with markup and anything
	// secret-looking removed.
	Excerpt string
}

func (e *UnreadableResponseError) Error() string {
	return fmt.Sprintf("SolarNetwork %s %s: HTTP %d, but the answer cannot be read: %s (%s)",
		e.Method, e.Path, e.StatusCode, e.Reason, describeBody(e.ContentType, e.Excerpt))
}

// AttemptsError is the last failure of a request that was sent more than
// once, or that failed in a way worth retrying when retries are disabled.
type AttemptsError struct {
	Attempts int
	Elapsed  time.Duration
	Err      error
}

func (e *AttemptsError) Error() string {
	s := "s"
	if e.Attempts == 1 {
		s = ""
	}
	return fmt.Sprintf("%v (gave up after %d attempt%s over %s)", e.Err, e.Attempts, s, roundElapsed(e.Elapsed))
}

func (e *AttemptsError) Unwrap() error { return e.Err }

// roundElapsed keeps a duration readable: milliseconds below a second,
// tenths of a second below a minute, whole seconds above.
func roundElapsed(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

func describeBody(contentType, excerpt string) string {
	if contentType == "" {
		contentType = "no Content-Type"
	}
	if excerpt == "" {
		return contentType + ", empty body"
	}
	return fmt.Sprintf("%s: %q", contentType, excerpt)
}

// maxExcerpt bounds an excerpt, in characters.
const maxExcerpt = 120

var (
	htmlTitle   = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlScripts = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?(</(script|style)>|$)`)
	htmlTags    = regexp.MustCompile(`(?s)<[^>]*(>|$)`)
	// A JSON member whose name suggests a secret, its value possibly cut
	// short: generate answers carry authSecret.
	secretMember = regexp.MustCompile(`(?i)("[^"]*(secret|password|key|signature)[^"]*"\s*:\s*)("(\\.|[^"\\])*"?|[^,}\]\s]+)`)
	// Anything that looks like an SNWS2 authorization value.
	authValue = regexp.MustCompile(`(?i)(signature=)[0-9a-f]+`)
)

// bodyExcerpt is a short, single-line description of an unexpected body:
// an HTML page's title (or its text), or the start of anything else, with
// secret-looking JSON members and control characters removed.
func bodyExcerpt(body []byte, contentType string) string {
	text := string(body)
	ct := strings.ToLower(contentType)
	trimmed := strings.TrimSpace(text)
	if strings.Contains(ct, "html") || strings.HasPrefix(trimmed, "<") {
		if m := htmlTitle.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			text = m[1]
		} else {
			text = htmlTags.ReplaceAllString(htmlScripts.ReplaceAllString(text, " "), " ")
		}
	}
	text = secretMember.ReplaceAllString(text, `$1"<redacted>"`)
	text = authValue.ReplaceAllString(text, `$1<redacted>`)
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	if runes := []rune(text); len(runes) > maxExcerpt {
		text = string(runes[:maxExcerpt]) + "…"
	}
	return text
}

// ConfigError is a Config that New refuses. Field names the Config field
// at fault, such as "URL".
type ConfigError struct {
	Field string
	Err   error
}

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }
