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
// send the standard Retry-After in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get(headerRateLimitRetryAfter); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			if d := time.UnixMilli(ms).Sub(now); d > 0 {
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
			if d := t.Sub(now); d > 0 {
				return d
			}
		}
	}
	return 0
}
