package simulator

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// envelope is net.solarnetwork.domain.Result: properties in declaration
// order, nulls left out (the server's mapper uses NON_NULL).
type envelope struct {
	Success bool   `json:"success"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// findResults is the /find result page. totalResults is absent because the
// server runs no count query.
type findResults struct {
	StartingOffset      int         `json:"startingOffset"`
	ReturnedResultCount int         `json:"returnedResultCount"`
	Results             []tokenJSON `json:"results"`
}

// bootError is Spring Boot's error JSON with the "success":false that
// SolarNetwork's WebServiceErrorAttributes adds; used for 400/404/405/415.
type bootError struct {
	Timestamp string `json:"timestamp"`
	Status    int    `json:"status"`
	Error     string `json:"error"`
	Path      string `json:"path"`
	Success   bool   `json:"success"`
}

// Error codes and messages of the API (solarnetwork-api.md §1.4).
const (
	msgUnknownObject    = "UNKNOWN_OBJECT"
	msgAccessDeniedCode = "ACCESS_DENIED"
	msgRoleDenied       = "Access Denied" // Spring Security's text, not a SolarNetwork reason
	msgInternalError    = "Internal error"
	codeInvalidParam    = "DAO.00103"
	msgInvalidParam     = "An invalid query parameter was used, or a required parameter was missing."
	codeRateLimited     = "WEB.10000"
)

// databaseErrorMessages are the messages of the 429s SolarNetwork's global
// exception handler gives database errors, by code
// (WebServiceGlobalControllerSupport: handleTransientDataAccessException,
// handleDataAccessResourceFailureException, handleUncategorizedSQLException,
// handleTransactionException; solarnetwork-api.md §1.5).
var databaseErrorMessages = map[string]string{
	"DAO.00200": "Data integrity violation",
	"DAO.00201": "Lock failure",
	"DAO.00202": "Query timeout",
	"DAO.00203": "Temporary connection failure",
	"DAO.00204": "Deadlock loser",
	"DAO.00205": "Concurrency failure",
	"DAO.00206": "Temporary connection failure",
	"DAO.00207": "Unknown SQL error",
	"DAO.00300": "Transaction error",
	"DAO.00301": "Cannot create transaction",
	"DAO.00302": "Connection pool exhausted",
}

// DatabaseErrorCodes returns the codes of SolarNetwork's 429 answers to
// database errors, in order: a Fault's Code for such an answer.
func DatabaseErrorCodes() []string {
	return slices.Sorted(maps.Keys(databaseErrorMessages))
}

// writeJSON encodes v like Jackson (no HTML escaping, no trailing newline).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"success":false,"message":"Internal error"}`)
	} else {
		b.Truncate(b.Len() - 1)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// writeOK writes {"success":true} plus data when non-nil.
func writeOK(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Data: data})
}

// writeFail writes {"success":false,"message":msg}.
func writeFail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, envelope{Message: msg})
}

// writeAuthFail is the security entry point's answer to a failed
// authentication: the headers it sets, then the global error handler's body.
func writeAuthFail(w http.ResponseWriter, e *authError) {
	w.Header().Set("WWW-Authenticate", snws2Scheme)
	w.Header().Set("X-SN-ErrorMessage", e.msg)
	writeFail(w, e.status, e.msg)
}

// writeBootError writes Spring Boot's default error body for status.
func writeBootError(w http.ResponseWriter, r *http.Request, now time.Time, status int) {
	writeJSON(w, status, bootError{
		Timestamp: now.UTC().Format("2006-01-02T15:04:05.000-07:00"),
		Status:    status,
		Error:     http.StatusText(status),
		Path:      r.URL.Path,
	})
}
