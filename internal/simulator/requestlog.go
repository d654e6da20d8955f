package simulator

import (
	"net/http"
	"strings"
	"time"
)

// Request is one entry of the request log.
type Request struct {
	Method   string
	Path     string // URL path, without the query
	RawQuery string
	// Status is the HTTP status sent. For a dropped connection it is the
	// status the API produced before the drop (AfterHandling), else 0.
	Status  int
	TokenID string // the SNWS2 Credential as sent, verified or not
	// Target is the token a write to one token (POST /info or /status,
	// PATCH or PUT /policy) names in its tokenId, else "".
	Target  string
	Time    time.Time
	Fault   bool // an injected fault applied to this request
	Dropped bool // the connection was closed without a response
}

// logRequest appends an entry. It runs before the response leaves, so a
// client that has its answer always finds its request in the log.
func (s *Simulator) logRequest(e Request, took time.Duration) {
	s.logMu.Lock()
	s.requests = append(s.requests, e)
	s.logMu.Unlock()
	if s.logger != nil {
		var extra string
		if e.Dropped {
			extra = " (connection dropped)"
		} else if e.Fault {
			extra = " (injected fault)"
		}
		tok := e.TokenID
		if tok == "" {
			tok = "-"
		}
		s.logger.Printf("%s %s %d token=%s %s%s", e.Method, e.Path, e.Status, tok, took.Round(time.Microsecond), extra)
	}
}

// Requests returns a copy of the request log, oldest first.
func (s *Simulator) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many logged requests have the method ("" = any) and a
// path ending in pathSuffix ("" = any).
func (s *Simulator) Count(method, pathSuffix string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasSuffix(r.Path, pathSuffix) {
			n++
		}
	}
	return n
}

// beginRequest and endRequest count the requests being served.
func (s *Simulator) beginRequest() {
	s.logMu.Lock()
	s.inFlight++
	s.logMu.Unlock()
}

func (s *Simulator) endRequest() {
	s.logMu.Lock()
	s.inFlight--
	if s.inFlight == 0 {
		s.idle.Broadcast()
	}
	s.logMu.Unlock()
}

// WaitIdle returns once no request is being served, so every request
// received so far is in the log: a test whose client gave up on a request
// waits here instead of polling for its entry.
func (s *Simulator) WaitIdle() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for s.inFlight > 0 {
		s.idle.Wait()
	}
}

// ResetRequests clears the request log and the overlapping writes.
func (s *Simulator) ResetRequests() {
	s.logMu.Lock()
	s.requests, s.overlaps = nil, nil
	s.logMu.Unlock()
}

// logWriter records the response status in the log when the status is
// decided, i.e. before any byte of the response is sent.
type logWriter struct {
	http.ResponseWriter
	s      *Simulator
	entry  Request
	start  time.Time
	logged bool
	// answered, if set, runs once the status is decided.
	answered func()
}

func (lw *logWriter) WriteHeader(code int) {
	if !lw.logged {
		lw.entry.Status = code
		lw.finish()
	}
	lw.ResponseWriter.WriteHeader(code)
}

func (lw *logWriter) Write(b []byte) (int, error) {
	if !lw.logged {
		lw.WriteHeader(http.StatusOK)
	}
	return lw.ResponseWriter.Write(b)
}

// finish logs the entry unless it already has been.
func (lw *logWriter) finish() {
	if lw.logged {
		return
	}
	lw.logged = true
	if lw.answered != nil {
		lw.answered()
	}
	lw.s.logRequest(lw.entry, time.Since(lw.start))
}
