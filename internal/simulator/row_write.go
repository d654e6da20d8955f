package simulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// rewriteRow is how SolarNetwork changes a token through the API
// (solarnetwork-api.md §2.2): DaoUserBiz reads the row without a lock
// (UserAuthTokenDao.get), changes one part of the copy, and, when that
// differs from what it read, writes the whole row back (UserAuthToken.xml
// update-UserAuthToken sets name, description, status and policy together).
// Two writes to one token that overlap can therefore lose one: the later
// write puts back what the earlier one changed. A token deleted in between
// stays deleted. A server whose cache holds an older copy reads that
// instead: the row as it was before its last stale writes (Fault.StaleRow).
func (s *Simulator) rewriteRow(id string, stale int, change func(*Token) error) (Token, error) {
	s.mu.Lock()
	stored, ok := s.tokens[id]
	if !ok {
		s.mu.Unlock()
		return Token{}, fmt.Errorf("%w: %s", ErrUnknownToken, id)
	}
	read := stored.clone()
	if earlier := s.rowHistory[id]; stale > 0 && len(earlier) > 0 {
		read = earlier[max(len(earlier)-stale, 0)].clone()
	}
	s.mu.Unlock()

	row := read.clone()
	if err := change(&row); err != nil {
		return Token{}, err
	}
	if row.Name == read.Name && row.Description == read.Description && row.Status == read.Status &&
		samePolicy(row.Policy, read.Policy) {
		return read, nil // nothing changed: no write, and the answer shows the row as read
	}
	if s.beforeRowWrite != nil {
		s.beforeRowWrite(id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[id]; ok {
		// A few copies are enough for any fault; the oldest go.
		s.rowHistory[id] = append(s.rowHistory[id][max(len(s.rowHistory[id])-maxRowHistory+1, 0):], t.clone())
		t.Name, t.Description, t.Status, t.Policy = row.Name, row.Description, row.Status, row.Policy.clone()
	}
	return row, nil
}

// samePolicy is BasicSecurityPolicy.equals, which DaoUserBiz asks before
// it writes a policy: its sets compare as sets, so a policy that differs
// only in the order of its values is no change.
func samePolicy(a, b *Policy) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := a.clone(), b.clone()
	for _, p := range []*Policy{x, y} {
		slices.Sort(p.NodeIDs)
		for _, set := range []*[]string{&p.SourceIDs, &p.NodeMetadataPaths, &p.UserMetadataPaths, &p.APIPaths, &p.Aggregations, &p.LocationPrecisions} {
			slices.Sort(*set)
		}
	}
	return reflect.DeepEqual(x, y)
}

// maxRowHistory is how many earlier copies of a token the simulator keeps
// for Fault.StaleRow.
const maxRowHistory = 8

// staleRowKey marks a request that Fault.StaleRow has the server handle
// from an older copy of its token.
type staleRowKey struct{}

// staleRow is how many writes older than the token the copy r is handled
// from is; 0 for the token as it is.
func staleRow(r *http.Request) int {
	stale, _ := r.Context().Value(staleRowKey{}).(int)
	return stale
}

// WriteOverlap is a write to a token (POST /info or /status, PATCH or PUT
// /policy) that arrived while another write to the same token had not been
// answered yet: SolarNetwork may lose one of the two (rewriteRow).
type WriteOverlap struct {
	TokenID string
	// Earlier and Later are the two requests, as "METHOD path".
	Earlier, Later string
}

// OverlappingWrites returns every overlap of writes to one token since the
// request log was last reset, in the order the later writes arrived.
func (s *Simulator) OverlappingWrites() []WriteOverlap {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]WriteOverlap(nil), s.overlaps...)
}

// tokenWrite returns the token a request would rewrite and "METHOD path",
// or "" for a request that rewrites none. It reads a form body and puts it
// back for the handler.
func tokenWrite(r *http.Request) (tokenID, what string) {
	suffix := userContext + secPrefix + tokensPath
	switch {
	case r.Method == http.MethodPost && (r.URL.Path == suffix+"/info" || r.URL.Path == suffix+"/status"):
	case (r.Method == http.MethodPatch || r.Method == http.MethodPut) && r.URL.Path == suffix+"/policy":
	default:
		return "", ""
	}
	what = r.Method + " " + r.URL.Path
	if id := r.URL.Query().Get("tokenId"); id != "" {
		return id, what
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return "", what
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", what
	}
	form, _ := url.ParseQuery(string(body))
	return form.Get("tokenId"), what
}

// beginWrite records a write to tokenID as in flight, and an overlap with
// every write to it still unanswered. The returned func ends it; it runs
// when the answer's status is decided, before any byte of it is sent, so a
// client that waits for each answer never overlaps its own writes.
func (s *Simulator) beginWrite(tokenID, what string) func() {
	if tokenID == "" {
		return func() {}
	}
	s.logMu.Lock()
	for _, earlier := range s.writesInFlight[tokenID] {
		s.overlaps = append(s.overlaps, WriteOverlap{TokenID: tokenID, Earlier: earlier.what, Later: what})
	}
	w := &inFlightWrite{what: what}
	s.writesInFlight[tokenID] = append(s.writesInFlight[tokenID], w)
	s.logMu.Unlock()
	done := false
	return func() {
		s.logMu.Lock()
		defer s.logMu.Unlock()
		if done {
			return
		}
		done = true
		list := s.writesInFlight[tokenID]
		for i, x := range list {
			if x == w {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.writesInFlight, tokenID)
		} else {
			s.writesInFlight[tokenID] = list
		}
	}
}

// inFlightWrite is a write request not answered yet.
type inFlightWrite struct{ what string }
