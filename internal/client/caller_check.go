package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
)

// callerAsItIs reads the caller's own token with a find that no cache of
// SolarNetwork's answers: the per-token cache serves only a find of one
// identifier and nothing else (solarnetwork-api.md §10), so this one names
// the caller, an ID no token has (which also makes the query one of its
// own for the server's query cache) and both token types. A restricted
// caller's find is of its own token whatever it names, with the other
// criteria kept, so either way the answer is the caller as it is now.
func (c *Client) callerAsItIs(ctx context.Context) (*SecurityToken, error) {
	absent := "absent-" + strconv.FormatUint(rand.Uint64(), 36)
	query := url.Values{
		"identifiers": {c.TokenID() + "," + absent},
		"tokenTypes":  {TokenTypeUser + "," + TokenTypeReadNodeData},
	}
	var found struct {
		Results []SecurityToken `json:"results"`
	}
	err := c.do(ctx, request{method: http.MethodGet, path: tokensPath + "/find", query: query, idempotent: true, uncached: true}, &found)
	if err != nil {
		return nil, err
	}
	for i := range found.Results {
		if found.Results[i].ID == c.TokenID() {
			return &found.Results[i], nil
		}
	}
	return nil, &IncompleteListError{Reason: "a find of the provider's own token " + c.TokenID() + " did not return it"}
}

// ConfirmDeletions is asked before a token missing from the list is taken
// as deleted. A list of the caller's token alone is also what SolarNetwork
// answers a restricted caller, read through a per-token cache that can
// still hold the caller as it was before it was restricted (solarnetwork-
// api.md §10): then every other token would look deleted. For such a list,
// and only once per list, the caller is read again where no cache answers;
// restricted, it is a *RestrictedCredentialError, which every later read of
// the store returns too.
func (s *TokenStore) ConfirmDeletions(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return err
	}
	if !s.listedCallerAlone || s.deletionsConfirmed {
		return nil
	}
	caller, err := s.client.callerAsItIs(ctx)
	if err != nil {
		return err
	}
	if fields := caller.Policy.RestrictingFields(); len(fields) > 0 {
		s.tokens, s.loadErr = nil, &RestrictedCredentialError{TokenID: caller.ID, Fields: fields}
		return s.loadErr
	}
	s.deletionsConfirmed = true
	return nil
}
