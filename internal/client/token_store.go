package client

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// TokenStore reads tokens through a single shared list call and keeps that
// list in step with its own writes, so refreshing many tokens costs one
// request. It also makes token creation safe to fail part-way (see
// Generate). Create one per unit of work (a Terraform run): changes made
// elsewhere after the list was read are not seen until Invalidate.
type TokenStore struct {
	client *Client

	mu     sync.Mutex // guards tokens and loadErr; held while loading so concurrent readers share one call
	tokens map[string]SecurityToken
	// loadErr is the failure of the last list: every reader shares it until
	// Invalidate, so one failure costs one list (with its retries), not one
	// per token.
	loadErr error
	// listedCallerAlone is whether the list held only the caller's token,
	// and deletionsConfirmed whether ConfirmDeletions has found that list
	// to be the account's (caller_check.go).
	listedCallerAlone, deletionsConfirmed bool
}

// NewTokenStore returns a store reading through c.
func NewTokenStore(c *Client) *TokenStore {
	return &TokenStore{client: c}
}

// CallerID returns the ID of the token the store's client signs with.
func (s *TokenStore) CallerID() string { return s.client.TokenID() }

// WhoAmI asks SolarNetwork who the credentials authenticate as. It is not
// cached: each call is one request.
func (s *TokenStore) WhoAmI(ctx context.Context) (*Identity, error) { return s.client.WhoAmI(ctx) }

// Tokens returns every token, listing them from SolarNetwork on first use.
func (s *TokenStore) Tokens(ctx context.Context) ([]SecurityToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return nil, err
	}
	out := make([]SecurityToken, 0, len(s.tokens))
	for _, t := range s.tokens {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Token returns one token; found is false when SolarNetwork has no such
// token. Found is false only on a list that holds the caller's own,
// unrestricted token; when that token is all it holds, ask
// ConfirmDeletions before taking found = false as a deletion.
func (s *TokenStore) Token(ctx context.Context, id string) (token SecurityToken, found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return SecurityToken{}, false, err
	}
	token, found = s.tokens[id]
	return token, found, nil
}

// Invalidate forgets the list (and a failed list), so the next read lists
// again.
func (s *TokenStore) Invalidate() {
	s.mu.Lock()
	s.tokens, s.loadErr = nil, nil
	s.mu.Unlock()
}

func (s *TokenStore) loadLocked(ctx context.Context) error {
	if s.tokens != nil {
		return nil
	}
	if s.loadErr != nil {
		return s.loadErr
	}
	list, err := s.client.ListTokens(ctx)
	if err == nil {
		err = checkTokenList(list, s.client.TokenID())
	}
	if err != nil {
		if ctx.Err() == nil { // a cancelled caller says nothing about the list
			s.loadErr = err
		}
		return err
	}
	s.setLocked(list)
	return nil
}

func (s *TokenStore) setLocked(list []SecurityToken) {
	s.listedCallerAlone, s.deletionsConfirmed = len(list) == 1, false
	s.tokens = make(map[string]SecurityToken, len(list))
	for _, t := range list {
		s.tokens[t.ID] = t
	}
}

// update applies fn to the cached token, if the list is loaded.
func (s *TokenStore) update(id string, fn func(*SecurityToken)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens == nil {
		return
	}
	if t, ok := s.tokens[id]; ok {
		fn(&t)
		s.tokens[id] = t
	}
}

func (s *TokenStore) put(t SecurityToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens != nil {
		t.AuthSecret = ""
		s.tokens[t.ID] = t
	}
}

// UpdateTokenInfo sets name and description (both replaced).
func (s *TokenStore) UpdateTokenInfo(ctx context.Context, id, name, description string) error {
	if err := s.client.UpdateTokenInfo(ctx, id, name, description); err != nil {
		s.invalidateOn(err)
		return err
	}
	// SolarNetwork stores a blank value as none.
	if strings.TrimSpace(name) == "" {
		name = ""
	}
	if strings.TrimSpace(description) == "" {
		description = ""
	}
	s.update(id, func(t *SecurityToken) { t.Name, t.Description = name, description })
	return nil
}

// UpdateTokenStatus sets the status.
func (s *TokenStore) UpdateTokenStatus(ctx context.Context, id, status string) error {
	if err := s.client.UpdateTokenStatus(ctx, id, status); err != nil {
		s.invalidateOn(err)
		return err
	}
	s.update(id, func(t *SecurityToken) { t.Status = status })
	return nil
}

// MergeTokenPolicy merges into the policy and returns the token as stored.
func (s *TokenStore) MergeTokenPolicy(ctx context.Context, id string, p SecurityPolicy) (*SecurityToken, error) {
	return s.writePolicy(ctx, s.client.MergeTokenPolicy, id, p)
}

// ReplaceTokenPolicy replaces the policy and returns the token as stored.
func (s *TokenStore) ReplaceTokenPolicy(ctx context.Context, id string, p SecurityPolicy) (*SecurityToken, error) {
	return s.writePolicy(ctx, s.client.ReplaceTokenPolicy, id, p)
}

func (s *TokenStore) writePolicy(ctx context.Context, write func(context.Context, string, SecurityPolicy) (*SecurityToken, error), id string, p SecurityPolicy) (*SecurityToken, error) {
	token, err := write(ctx, id, p)
	if err != nil {
		s.invalidateOn(err)
		return nil, err
	}
	s.update(id, func(t *SecurityToken) { t.Policy, t.Expired = token.Policy, token.Expired })
	return token, nil
}

// DeleteToken deletes a token; a token already gone is not an error.
func (s *TokenStore) DeleteToken(ctx context.Context, id string) error {
	if err := s.client.DeleteToken(ctx, id); err != nil {
		s.invalidateOn(err)
		return err
	}
	s.mu.Lock()
	delete(s.tokens, id)
	s.mu.Unlock()
	return nil
}

// invalidateOn drops the list after a write that may have happened
// although it failed.
func (s *TokenStore) invalidateOn(err error) {
	if mayHaveWritten(err) {
		s.Invalidate()
	}
}

// mayHaveWritten reports whether a failed write may still have changed
// SolarNetwork: a generate may have made a token, an update changed it. The
// only definite answers are a connection never made and a 4xx refusal,
// which SolarNetwork gives before acting. A 429 is the exception: it ends a
// run of retries, and an earlier attempt may have gone unanswered.
func mayHaveWritten(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return te.Sent
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode < 400 || apiErr.StatusCode >= 500 || apiErr.StatusCode == http.StatusTooManyRequests
	}
	return true // a cancelled request, an unreadable answer: anything may have happened
}
