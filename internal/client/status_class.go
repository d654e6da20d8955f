package client

import "net/http"

// StatusClass is what an APIError's HTTP status says about the failure, so
// that callers can explain it without knowing HTTP.
type StatusClass int

const (
	// StatusOther is a status that says nothing more (not an error status).
	StatusOther StatusClass = iota
	// StatusUnavailable (502, 503, 504): the server, or a gateway in front
	// of it, is unavailable.
	StatusUnavailable
	// StatusServerFailed is any other 5xx: the server failed while handling
	// the request.
	StatusServerFailed
	// StatusBusy (429): the server asked the caller to slow down.
	StatusBusy
	// StatusCallerRefused (401, 403, 407): a refusal of who is asking.
	StatusCallerRefused
	// StatusContentRefused (422): the request's content was refused.
	StatusContentRefused
	// StatusRequestRefused is any other 4xx: the request, as sent, was refused.
	StatusRequestRefused
)

// StatusClass classifies the answer's status.
func (e *APIError) StatusClass() StatusClass {
	switch s := e.StatusCode; {
	case s == http.StatusBadGateway || s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout:
		return StatusUnavailable
	case s >= 500:
		return StatusServerFailed
	case s == http.StatusTooManyRequests:
		return StatusBusy
	case s == http.StatusUnauthorized || s == http.StatusForbidden || s == http.StatusProxyAuthRequired:
		return StatusCallerRefused
	case s == http.StatusUnprocessableEntity:
		return StatusContentRefused
	case s >= 400:
		return StatusRequestRefused
	}
	return StatusOther
}
