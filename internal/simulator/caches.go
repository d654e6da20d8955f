package simulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// SolarNetwork can answer a token list from two caches that no write of the
// caller clears (solarnetwork-api.md §10). The simulator models both, off
// unless Options or SetCaches turn them on.

// Headers of SolarNetwork's response cache (ContentCachingService).
const (
	HeaderContentCache = "X-SN-Content-Cache"
	ContentCacheHit    = "HIT"
	ContentCacheMiss   = "MISS"
)

// Caches are the cache settings of a simulator.
type Caches struct {
	// ResponseCacheTTL, when positive, is SolarUser's response cache
	// (ContentCachingFilter, on with app.query-cache.enabled; 60 s in
	// production): a successful GET of the token list or of /find is kept
	// this long per credential, path, query parameters and Accept header,
	// and answered again from the copy with X-SN-Content-Cache: HIT,
	// whatever changed since. A miss carries X-SN-Content-Cache: MISS.
	ResponseCacheTTL time.Duration
	// ListLag, when positive, makes every token list come from another
	// SolarUser process, whose MyBatis cache of the list (UserAuthToken.xml,
	// flushInterval 15 minutes in production) is flushed only every
	// ListLag and never by writes, which go to other processes: the list
	// shows the tokens as that process last read them, up to ListLag ago.
	ListLag time.Duration
}

// cachedResponse is a response the response cache keeps.
type cachedResponse struct {
	status  int
	header  http.Header
	body    []byte
	expires time.Time
}

// laggingList is the token list another process read and keeps.
type laggingList struct {
	tokens []Token
	read   time.Time
}

// SetCaches turns the caches on or off; it empties both.
func (s *Simulator) SetCaches(c Caches) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.caches = c
	s.responseCache = make(map[string]cachedResponse)
	s.lagging = nil
}

// CacheSettings returns the cache settings.
func (s *Simulator) CacheSettings() Caches {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caches
}

// responseCacheKey is ContentCachingService.keyForRequest: the SNWS2
// credential, method, URI, the query parameters sorted by name, and Accept.
func responseCacheKey(q *apiRequest) string {
	var b strings.Builder
	b.WriteString(q.caller().ID + "@" + q.r.Method + " " + q.r.URL.Path)
	keys := make([]string, 0, len(q.auth.params))
	for k := range q.auth.params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sep := "?"
	for _, k := range keys {
		for _, v := range q.auth.params[k] {
			b.WriteString(sep + k + "=" + v)
			sep = "&"
		}
	}
	b.WriteString(" " + q.r.Header.Get("Accept"))
	return b.String()
}

// serveCached answers q from the response cache when it is on and holds an
// answer, and otherwise serves it with serve and keeps a 2xx answer.
func (s *Simulator) serveCached(w http.ResponseWriter, q *apiRequest, serve func(http.ResponseWriter, *apiRequest)) {
	s.mu.Lock()
	ttl := s.caches.ResponseCacheTTL
	key := responseCacheKey(q)
	hit, ok := s.responseCache[key]
	s.mu.Unlock()
	if ttl <= 0 {
		serve(w, q)
		return
	}
	if ok && q.now.Before(hit.expires) {
		for k, v := range hit.header {
			w.Header()[k] = v
		}
		w.Header().Set(HeaderContentCache, ContentCacheHit)
		w.WriteHeader(hit.status)
		_, _ = w.Write(hit.body)
		return
	}
	buf := &bufferedResponse{header: make(http.Header)}
	buf.header.Set(HeaderContentCache, ContentCacheMiss)
	serve(buf, q)
	if buf.status/100 == 2 {
		s.mu.Lock()
		if s.responseCache != nil {
			s.responseCache[key] = cachedResponse{status: buf.status, header: buf.header.Clone(), body: buf.body.Bytes(), expires: q.now.Add(ttl)}
		}
		s.mu.Unlock()
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}

// listedTokensLocked is the token list as the process answering a list
// holds it: the tokens now, or with ListLag the copy read when its cache
// was last flushed.
func (s *Simulator) listedTokensLocked(now time.Time) []Token {
	if s.caches.ListLag <= 0 {
		return s.sortedTokensLocked()
	}
	if s.lagging == nil || !now.Before(s.lagging.read.Add(s.caches.ListLag)) {
		s.lagging = &laggingList{tokens: s.sortedTokensLocked(), read: now}
	}
	out := make([]Token, len(s.lagging.tokens))
	for i := range s.lagging.tokens {
		out[i] = s.lagging.tokens[i].clone()
	}
	return out
}
