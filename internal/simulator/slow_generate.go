package simulator

import (
	"context"
	"net/http"
	"time"
)

// A slow server may still be working on a generate when its client gives
// up: the token then appears in lists only later (Fault.LandAfter).

// pendingToken is a generated token stored only at its landing time.
type pendingToken struct {
	token *Token
	at    time.Time
}

// landAtKey carries, in a request's context, when a generate's token lands.
type landAtKey struct{}

// serveLandingLate handles a generate whose token lands f.LandAfter later
// on the simulator's clock, and holds its answer until the client gives up
// or f.LandAfter of real time has passed (then the token lands at once).
func (s *Simulator) serveLandingLate(lw *logWriter, r *http.Request, f *Fault) {
	landAt := s.now().Add(f.LandAfter)
	buf := &bufferedResponse{header: make(http.Header)}
	s.serveAPI(buf, r.WithContext(context.WithValue(r.Context(), landAtKey{}, landAt)))
	f.reached()
	if !waitOrGone(r, f.LandAfter) {
		lw.entry.Status, lw.entry.Dropped = buf.status, true
		return
	}
	s.mu.Lock()
	s.landDueLocked(landAt)
	s.mu.Unlock()
	for k, v := range buf.header {
		lw.Header()[k] = v
	}
	lw.WriteHeader(buf.status)
	_, _ = lw.Write(buf.body.Bytes())
}

// landDueLocked stores the pending tokens whose time has come.
func (s *Simulator) landDueLocked(now time.Time) {
	kept := s.pending[:0]
	for _, p := range s.pending {
		if p.at.After(now) {
			kept = append(kept, p)
			continue
		}
		s.tokens[p.token.ID] = p.token
	}
	s.pending = kept
}

// landDue stores the pending tokens whose time has come by the clock.
func (s *Simulator) landDue() {
	s.mu.Lock()
	s.landDueLocked(s.now())
	s.mu.Unlock()
}
