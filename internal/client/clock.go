package client

import (
	"context"
	"time"
)

// Now is the client's clock (Config.Now, or time.Now): the time it signs
// requests with. Callers that decide something by the time (is a token
// expired, is it due for rotation) read it here, so that one clock, which
// tests can replace, serves every such decision.
func (c *Client) Now() time.Time { return c.now() }

// Now is the clock of the store's client.
func (s *TokenStore) Now() time.Time { return s.client.now() }

// wait waits d on the client's clock (Config.After), or until ctx is done;
// it reports whether the whole wait passed.
func (c *Client) wait(ctx context.Context, d time.Duration) bool {
	select {
	case <-c.after(d):
		return true
	case <-ctx.Done():
		return false
	}
}
