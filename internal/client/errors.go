package client

import (
	"errors"
	"fmt"
)

// SolarNetwork error messages that callers act on.
const (
	MessageUnknownObject = "UNKNOWN_OBJECT"
	MessageAccessDenied  = "ACCESS_DENIED"
)

// APIError is a response SolarNetwork answered with success=false or a
// non-2xx status.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is SolarNetwork's error code, such as "WEB.10000" or "DAO.00103".
	Code string
	// Message is SolarNetwork's message, such as "UNKNOWN_OBJECT".
	Message string
	// Method and Path name the request that failed (no query string).
	Method string
	Path   string
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	if e.Code != "" {
		msg = e.Code + ": " + msg
	}
	return fmt.Sprintf("SolarNetwork %s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, msg)
}

// IsNotFound reports whether err means the token does not exist. SolarNetwork
// answers 403 UNKNOWN_OBJECT, never 404, for tokens.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == 403 && apiErr.Message == MessageUnknownObject
}

// IsAccessDenied reports whether SolarNetwork refused the caller, for example
// because its token has a restricted policy.
func IsAccessDenied(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == 403 && apiErr.Message == MessageAccessDenied
}

// IsUnauthorized reports whether the credentials were refused: a bad
// signature, an unknown, disabled or expired token, or a clock too far off.
func IsUnauthorized(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.StatusCode == 401 || (apiErr.StatusCode == 403 && apiErr.Message != MessageUnknownObject && apiErr.Message != MessageAccessDenied)
}

// TransportError is a request that got no HTTP answer. When Sent is true
// the request may have reached SolarNetwork, so whether it took effect is
// unknown; otherwise the connection was never made.
type TransportError struct {
	Method, Path string
	Sent         bool
	Err          error
}

func (e *TransportError) Error() string {
	if e.Sent {
		return fmt.Sprintf("SolarNetwork %s %s: no response, the outcome is unknown: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("SolarNetwork %s %s: could not connect: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err leaves the outcome of a request unknown.
func IsAmbiguous(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.Sent
}
