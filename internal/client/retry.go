package client

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// CodeRateLimited is the code of SolarNetwork's rate limiter refusal (429).
const CodeRateLimited = "WEB.10000"

// headerRateLimitRetryAfter is where SolarNetwork's rate limiter says when
// to try again, in epoch milliseconds.
const headerRateLimitRetryAfter = "X-SN-Rate-Limit-Retry-After"

// backoff is the wait before retry number attempt+1: the server's requested
// wait when it gave one, else exponential with full jitter, both capped by
// maxBackoff.
func (c *Client) backoff(attempt int, serverWait time.Duration) time.Duration {
	if serverWait > 0 {
		return min(serverWait, c.maxBackoff)
	}
	ceiling := c.minBackoff << min(attempt, 16)
	if ceiling <= 0 || ceiling > c.maxBackoff {
		ceiling = c.maxBackoff
	}
	// Jitter spreads retries of parallel resources so they do not collide
	// with the rate limiter again all at once.
	return c.minBackoff/2 + rand.N(ceiling-c.minBackoff/2+1)
}

// retryAfter reads how long the server asked to wait. SolarNetwork's rate
// limiter sends X-SN-Rate-Limit-Retry-After as epoch milliseconds; proxies
// send the standard Retry-After in seconds or as an HTTP date. Both instants
// are on the server's clock, so they are measured from answeredAt.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get(headerRateLimitRetryAfter); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			if d := time.UnixMilli(ms).Sub(answeredAt(h, now)); d > 0 {
				return d
			}
			return time.Millisecond
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			if d := t.Sub(answeredAt(h, now)); d > 0 {
				return d
			}
		}
	}
	return 0
}

// answeredAt is when the server answered, by its own clock. The rate
// limiter writes its instant as System.currentTimeMillis() + wait
// (solarnetwork-api.md §1.5): measured from a local clock that runs ahead,
// even by seconds, every wait would be a millisecond and all attempts spent
// at once. The answer's Date header has the server's time to the second:
// local time is used while it falls within that second, the Date otherwise
// (never earlier than the server's time, so the wait is never cut short).
func answeredAt(h http.Header, now time.Time) time.Time {
	server, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return now
	}
	if ahead := now.Sub(server); ahead >= 0 && ahead < time.Second {
		return now
	}
	return server
}
