package client

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// TokenStore reads tokens through a single shared list call and keeps that
// list in step with its own writes, so refreshing many tokens costs one
// request. It also makes token creation safe to fail part-way. Create one
// per unit of work (a Terraform run): changes made elsewhere after the list
// was read are not seen until Invalidate.
type TokenStore struct {
	client *Client

	mu     sync.Mutex // guards tokens; held while loading so concurrent readers share one call
	tokens map[string]SecurityToken

	// generateMu serialises creation so a token that appears during an
	// ambiguous generate can only be that generate's.
	generateMu sync.Mutex
}

// NewTokenStore returns a store reading through c.
func NewTokenStore(c *Client) *TokenStore {
	return &TokenStore{client: c}
}

// Client returns the underlying client.
func (s *TokenStore) Client() *Client { return s.client }

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

// Token returns one token; found is false when SolarNetwork has no such token.
func (s *TokenStore) Token(ctx context.Context, id string) (token SecurityToken, found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return SecurityToken{}, false, err
	}
	token, found = s.tokens[id]
	return token, found, nil
}

// Invalidate forgets the list, so the next read lists again.
func (s *TokenStore) Invalidate() {
	s.mu.Lock()
	s.tokens = nil
	s.mu.Unlock()
}

func (s *TokenStore) loadLocked(ctx context.Context) error {
	if s.tokens != nil {
		return nil
	}
	list, err := s.client.ListTokens(ctx)
	if err != nil {
		return err
	}
	s.tokens = make(map[string]SecurityToken, len(list))
	for _, t := range list {
		s.tokens[t.ID] = t
	}
	return nil
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

// Generate creates a token and returns it with its secret. When the
// generate request gets no answer, a token may exist whose secret is lost:
// Generate lists the tokens, deletes the one that request made (matched by
// being new, of the same type and with the same policy) and generates once
// more. A token made by another writer at the same moment is never deleted:
// if more than one candidate appears, nothing is deleted and the error
// names them.
func (s *TokenStore) Generate(ctx context.Context, tokenType string, policy *SecurityPolicy) (*SecurityToken, error) {
	s.generateMu.Lock()
	defer s.generateMu.Unlock()

	var firstErr error
	for attempt := 0; attempt < 2; attempt++ {
		// A fresh list, not the cached one: a token another writer made
		// since must never look like this generate's orphan.
		s.Invalidate()
		before, err := s.Tokens(ctx)
		if err != nil {
			return nil, err
		}
		token, err := s.client.GenerateToken(ctx, tokenType, policy)
		if err == nil {
			s.put(*token)
			return token, nil
		}
		if !IsAmbiguous(err) {
			if firstErr != nil {
				return nil, fmt.Errorf("%w; generating again after cleaning up also failed: %v", firstErr, err)
			}
			return nil, err
		}
		if cerr := s.cleanUpAmbiguousGenerate(ctx, before, tokenType, policy); cerr != nil {
			return nil, fmt.Errorf("%w; %v", err, cerr)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("%w; generating again also got no answer, and no token was left behind", firstErr)
}

// cleanUpAmbiguousGenerate deletes the token an unanswered generate may have
// created. It returns an error when it cannot be sure nothing is orphaned.
func (s *TokenStore) cleanUpAmbiguousGenerate(ctx context.Context, before []SecurityToken, tokenType string, policy *SecurityPolicy) error {
	known := make(map[string]bool, len(before))
	for _, t := range before {
		known[t.ID] = true
	}
	s.Invalidate()
	after, err := s.Tokens(ctx)
	if err != nil {
		return fmt.Errorf("checking whether a token was created anyway also failed (%v): look for a new %s token without a name in SolarNetwork and delete it", err, tokenType)
	}
	var candidates []string
	for _, t := range after {
		if !known[t.ID] && t.Type == tokenType && PoliciesEqual(t.Policy, policy) {
			candidates = append(candidates, t.ID)
		}
	}
	switch len(candidates) {
	case 0:
		return nil
	case 1:
		if err := s.Delete(ctx, candidates[0]); err != nil {
			return fmt.Errorf("token %s was created but its secret was lost, and deleting it failed (%v): delete it by hand", candidates[0], err)
		}
		return nil
	default:
		return fmt.Errorf("tokens %s appeared at the same time and it is not clear which one this request created, so none was deleted: check them in SolarNetwork", strings.Join(candidates, ", "))
	}
}

// UpdateInfo sets name and description (both replaced).
func (s *TokenStore) UpdateInfo(ctx context.Context, id, name, description string) error {
	if err := s.client.UpdateInfo(ctx, id, name, description); err != nil {
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

// UpdateStatus sets the status.
func (s *TokenStore) UpdateStatus(ctx context.Context, id, status string) error {
	if err := s.client.UpdateStatus(ctx, id, status); err != nil {
		s.invalidateOn(err)
		return err
	}
	s.update(id, func(t *SecurityToken) { t.Status = status })
	return nil
}

// MergePolicy merges into the policy and returns the token as stored.
func (s *TokenStore) MergePolicy(ctx context.Context, id string, p SecurityPolicy) (*SecurityToken, error) {
	return s.writePolicy(ctx, s.client.MergePolicy, id, p)
}

// ReplacePolicy replaces the policy and returns the token as stored.
func (s *TokenStore) ReplacePolicy(ctx context.Context, id string, p SecurityPolicy) (*SecurityToken, error) {
	return s.writePolicy(ctx, s.client.ReplacePolicy, id, p)
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

// Delete deletes a token; a token already gone is not an error.
func (s *TokenStore) Delete(ctx context.Context, id string) error {
	if err := s.client.DeleteToken(ctx, id); err != nil {
		s.invalidateOn(err)
		return err
	}
	s.mu.Lock()
	delete(s.tokens, id)
	s.mu.Unlock()
	return nil
}

// invalidateOn drops the list after a write whose outcome is unknown: no
// answer, or a server or gateway error that may come after the write.
func (s *TokenStore) invalidateOn(err error) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode >= 500 || apiErr.StatusCode == 429 {
		s.Invalidate()
	}
}
