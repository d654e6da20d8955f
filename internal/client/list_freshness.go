package client

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"time"
)

// SolarNetwork can answer the token list from two caches that no write
// clears (solarnetwork-api.md §10):
//   - a response cache (ContentCachingFilter, with app.query-cache.enabled)
//     keeps a list answer for 60 s, keyed by credential, path, query
//     parameters and Accept, and marks an answer from it
//     X-SN-Content-Cache: HIT;
//   - the MyBatis cache of the token mapper is per SolarUser process and
//     flushed every 15 minutes, or by a write in that process only.
//
// Every list therefore carries a parameter of its own (cacheKeyParam), which
// the list endpoint ignores and SNWS2 signs, so no response cache can have
// its answer; an answer marked as a hit is refused all the same. Nothing a
// client sends reaches the second cache: a list may lag by up to ListLag,
// and callers must not take a token's absence from one list as its deletion
// while it is newer than that.

// cacheKeyParam is the query parameter that makes every list request
// unique.
const cacheKeyParam = "nonce"

// DefaultListLag is how old a token list may be: the flush interval of
// SolarUser's MyBatis cache of tokens (user-auth-token-cache-flush).
const DefaultListLag = 15 * time.Minute

// Headers of SolarNetwork's response cache (ContentCachingService).
const (
	headerContentCache = "X-SN-Content-Cache"
	contentCacheHit    = "HIT"
)

// withCacheKey returns query plus a fresh cacheKeyParam.
func withCacheKey(query url.Values) url.Values {
	out := make(url.Values, len(query)+1)
	for k, v := range query {
		out[k] = v
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	out.Set(cacheKeyParam, hex.EncodeToString(b[:]))
	return out
}

// CachedAnswerError is a list answered from SolarNetwork's response cache
// although the request was unique: it may lack tokens made, or hold tokens
// deleted, since it was cached, so it is not used. It is retried with a new
// key like a transient failure.
type CachedAnswerError struct {
	Method, Path string
}

func (e *CachedAnswerError) Error() string {
	return "SolarNetwork " + e.Method + " " + e.Path + " was answered from its response cache (" + headerContentCache + ": " +
		contentCacheHit + ") although the request was unique: a cached token list can be up to a minute old, so it is not used"
}

// ListLag is how old a token list from SolarNetwork may be (Config.ListLag).
func (c *Client) ListLag() time.Duration { return c.listLag }

// ListLag is how old the store's list may be.
func (s *TokenStore) ListLag() time.Duration { return s.client.listLag }
