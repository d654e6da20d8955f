package simulator

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault describes a failure to inject into matching requests.
type Fault struct {
	Method string // "" = any
	Path   string // suffix of the request path, e.g. "/generate/User"; "" = any
	// Times is how many matching requests the fault applies to: 0 means 1,
	// a negative value means every matching request until ClearFaults.
	Times int
	// Status answers with this status and a SolarNetwork-like body: 500
	// {"success":false,"message":"Internal error"}; 429 {"success":false,
	// "code":"WEB.10000"} with X-SN-Rate-Limit-Retry-After; 502/503/504 an
	// HTML page as a gateway would send; others {"success":false,
	// "message":<status text>}.
	Status int
	// Code, with Status 429, picks which of SolarNetwork's 429s it is: ""
	// or WEB.10000 is the rate limiter's, sent before the request is
	// handled; a database code (DatabaseErrorCodes) is the global exception
	// handler's answer to a database error, with its message and without the
	// rate limiter's header. With AfterHandling, that answer follows a write
	// that committed (solarnetwork-api.md §1.5).
	Code string
	// RetryAfter sets, on the rate limiter's 429, X-SN-Rate-Limit-Retry-After
	// to now+RetryAfter in epoch milliseconds by the simulator's clock (and
	// no Retry-After, as SolarNetwork sends none); on any other status the
	// standard Retry-After, in whole seconds, as a gateway would.
	RetryAfter time.Duration
	// Delay sleeps before handling; a client that gives up ends the wait.
	Delay time.Duration
	// DropConnection closes the connection without any response.
	DropConnection bool
	// AfterHandling processes the request fully first (e.g. the token IS
	// created), then drops the connection (with DropConnection), answers
	// with Status instead of the real response, cuts the real response
	// short (TruncateBody) or, with Delay alone, answers late: "sent, no
	// usable answer". With AfterHandling, Delay is spent after handling.
	AfterHandling bool
	// Body, with Status, is sent verbatim instead of the usual body, as
	// ContentType (default application/json): a success without data, an
	// HTML page from a proxy, and so on.
	Body        string
	ContentType string
	// TruncateBody, with AfterHandling, sends the real status and the
	// first half of the real body, as a connection cut mid-answer would.
	TruncateBody bool
	// LandAfter models a slow server still working on a generate when its
	// client gives up: the request is handled, but its token is stored only
	// LandAfter later on the simulator's clock, so no list shows it before
	// then. The answer waits until the client gives up, or until LandAfter
	// of real time has passed; then the token is stored and the answer sent.
	LandAfter time.Duration
	// StaleRow makes a write (POST /info or /status, PATCH or PUT /policy)
	// read the token as it was before its last StaleRow writes through the
	// API (or as first stored, if it had fewer), as a SolarUser server does
	// whose cache still holds that copy (solarnetwork-api.md §2.2): it then
	// writes the whole row back from it, undoing those writes.
	StaleRow int
	// Reached, if set, is sent a value each time the fault takes hold of a
	// request: once it is handled with AfterHandling, else as it arrives,
	// before any Delay. A test acts on it while the request is held, e.g.
	// gives up once the token exists but its answer has not been sent.
	// The send never blocks: give the channel room.
	Reached chan<- struct{}
}

// reached tells f.Reached, if anyone listens, that f took hold.
func (f *Fault) reached() {
	if f.Reached == nil {
		return
	}
	select {
	case f.Reached <- struct{}{}:
	default:
	}
}

// faultState is an injected fault and its remaining uses (<0: unlimited).
type faultState struct {
	Fault
	remaining int
}

// InjectFault adds a fault. Faults apply in injection order, at most one per
// request.
func (s *Simulator) InjectFault(f Fault) {
	n := f.Times
	if n == 0 {
		n = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &faultState{Fault: f, remaining: n})
	s.mu.Unlock()
}

// ClearFaults removes all pending faults.
func (s *Simulator) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the first fault matching r, using up one of its uses.
func (s *Simulator) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.HasSuffix(r.URL.Path, f.Path) {
			continue
		}
		fault := f.Fault
		if f.remaining > 0 {
			f.remaining--
			if f.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &fault
	}
	return nil
}

// serveHTTP is the outermost handler: request log, then fault injection,
// then the API.
func (s *Simulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.beginRequest()
	defer s.endRequest()
	s.dateHeader(w)
	lw := &logWriter{ResponseWriter: w, s: s, start: time.Now(), entry: Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		TokenID:  credentialOf(r),
		Time:     s.now(),
	}}
	target, what := tokenWrite(r)
	lw.entry.Target = target
	lw.answered = s.beginWrite(target, what)
	defer lw.finish()
	f := s.takeFault(r)
	if f == nil {
		s.serveAPI(lw, r)
		return
	}
	lw.entry.Fault = true
	if f.StaleRow > 0 {
		r = r.WithContext(context.WithValue(r.Context(), staleRowKey{}, f.StaleRow))
	}
	if f.LandAfter > 0 {
		s.serveLandingLate(lw, r, f)
		return
	}
	if f.AfterHandling {
		s.serveAfterHandling(lw, w, r, f)
		return
	}
	f.reached()
	if f.Delay > 0 && !waitOrGone(r, f.Delay) {
		lw.entry.Dropped = true // the client is gone; nothing to answer
		return
	}
	switch {
	case f.DropConnection:
		lw.entry.Dropped = true
		lw.finish()
		dropConnection(w)
	case f.Status != 0:
		writeFault(lw, f, s.now())
	default:
		s.serveAPI(lw, r)
	}
}

// serveAfterHandling handles r for real, then answers it as f says.
func (s *Simulator) serveAfterHandling(lw *logWriter, w http.ResponseWriter, r *http.Request, f *Fault) {
	buf := &bufferedResponse{header: make(http.Header)}
	s.serveAPI(buf, r)
	f.reached()
	if f.Delay > 0 && !waitOrGone(r, f.Delay) {
		lw.entry.Status, lw.entry.Dropped = buf.status, true
		return
	}
	switch {
	case f.DropConnection:
		lw.entry.Status, lw.entry.Dropped = buf.status, true
		lw.finish()
		dropConnection(w)
	case f.Status != 0:
		writeFault(lw, f, s.now())
	case f.TruncateBody:
		for k, v := range buf.header {
			lw.Header()[k] = v
		}
		half := buf.body.Bytes()[:buf.body.Len()/2]
		lw.Header().Set("Content-Length", strconv.Itoa(len(half)))
		lw.WriteHeader(buf.status)
		_, _ = lw.Write(half)
	default:
		for k, v := range buf.header {
			lw.Header()[k] = v
		}
		lw.WriteHeader(buf.status)
		_, _ = lw.Write(buf.body.Bytes())
	}
}

// waitOrGone waits d and reports false if the client went away first.
func waitOrGone(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the client connection without writing anything.
// Without a hijackable connection (HTTP/2, recorders) it aborts the handler,
// which makes net/http close the connection or reset the stream.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// writeFault writes the response of a Status fault.
func writeFault(w http.ResponseWriter, f *Fault, now time.Time) {
	if f.RetryAfter > 0 && f.Status != http.StatusTooManyRequests {
		// A gateway's or proxy's wait; SolarNetwork's rate limiter sends
		// only its own header (RateLimitingFilter).
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
	}
	if f.Body != "" {
		ct := f.ContentType
		if ct == "" {
			ct = "application/json;charset=UTF-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	switch {
	case f.Status == http.StatusTooManyRequests && f.Code != "" && f.Code != codeRateLimited:
		writeJSON(w, f.Status, envelope{Code: f.Code, Message: databaseErrorMessages[f.Code]})
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("X-SN-Rate-Limit-Retry-After", strconv.FormatInt(now.Add(f.RetryAfter).UnixMilli(), 10))
		writeJSON(w, f.Status, envelope{Code: codeRateLimited})
	case f.Status == http.StatusInternalServerError:
		writeFail(w, f.Status, msgInternalError)
	case f.Status == http.StatusBadGateway || f.Status == http.StatusServiceUnavailable || f.Status == http.StatusGatewayTimeout:
		text := fmt.Sprintf("%d %s", f.Status, http.StatusText(f.Status))
		body := "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" +
			text + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(body))
	default:
		writeFail(w, f.Status, http.StatusText(f.Status))
	}
}

// bufferedResponse collects a response that will never be sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
