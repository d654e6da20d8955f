package client

import "testing"

// Each status falls in the one class that explains it: the gateway
// statuses are unavailability, not a server failure; 401, 403 and 407
// refuse the caller; 422 the content; every other 4xx and 5xx the request
// or the server; anything else says nothing.
func TestAPIErrorStatusClass(t *testing.T) {
	want := map[int]StatusClass{
		200: StatusOther, 302: StatusOther, 0: StatusOther,
		400: StatusRequestRefused, 401: StatusCallerRefused, 403: StatusCallerRefused, 404: StatusRequestRefused,
		405: StatusRequestRefused, 407: StatusCallerRefused, 422: StatusContentRefused, 429: StatusBusy, 499: StatusRequestRefused,
		500: StatusServerFailed, 501: StatusServerFailed, 502: StatusUnavailable, 503: StatusUnavailable, 504: StatusUnavailable,
		505: StatusServerFailed, 599: StatusServerFailed,
	}
	for status, class := range want {
		if got := (&APIError{StatusCode: status}).StatusClass(); got != class {
			t.Errorf("HTTP %d: class %d, want %d", status, got, class)
		}
	}
}
