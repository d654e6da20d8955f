package simulator

import (
	"errors"
	"fmt"
)

// Out-of-band edits: changes made outside the API client under test, as the
// s10k CLI or the SolarUser web UI would make them. They apply the server's
// normalisation but skip the API's access rules.

// ErrUnknownToken is returned for a token id the simulator does not hold.
var ErrUnknownToken = errors.New("simulator: unknown token")

// CreateToken creates an Active token like POST /generate/{type} and returns
// it with its Secret. Node ownership is not checked. It panics on a type
// other than "User" or "ReadNodeData" (a bug in the calling test).
func (s *Simulator) CreateToken(tokenType string, p *Policy) Token {
	if !validType(tokenType) {
		panic(fmt.Sprintf("simulator: invalid token type %q", tokenType))
	}
	t, _ := s.insertToken(tokenType, p, s.now())
	return t
}

// Token returns a deep copy of a token, including its secret.
func (s *Simulator) Token(id string) (Token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.landDueLocked(s.now())
	t, ok := s.tokens[id]
	if !ok {
		return Token{}, false
	}
	return t.clone(), true
}

// Tokens returns deep copies of all tokens, ordered by created then id.
func (s *Simulator) Tokens() []Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.landDueLocked(s.now())
	return s.sortedTokensLocked()
}

// SetPolicy replaces a token's policy (normalised), like PUT /policy. Unlike
// the API, a nil policy removes the policy entirely.
func (s *Simulator) SetPolicy(id string, p *Policy) error {
	return s.edit(id, func(t *Token) error {
		t.Policy = normalizePolicy(p)
		return nil
	})
}

// MergePolicy merges p into a token's policy like PATCH /policy. A nil p
// changes nothing.
func (s *Simulator) MergePolicy(id string, p *Policy) error {
	return s.edit(id, func(t *Token) error {
		if p != nil {
			t.Policy = mergePolicy(t.Policy, p)
		}
		return nil
	})
}

// SetStatus sets "Active" or "Disabled".
func (s *Simulator) SetStatus(id, status string) error {
	if !validStatus(status) {
		return fmt.Errorf("simulator: invalid token status %q", status)
	}
	return s.edit(id, func(t *Token) error {
		t.Status = status
		return nil
	})
}

// SetInfo replaces name and description like POST /info: blank values clear
// them, and values over 128/512 characters are refused.
func (s *Simulator) SetInfo(id, name, description string) error {
	return s.edit(id, func(t *Token) error { return setInfo(t, name, description) })
}

// ReadByIdentifier is someone's GET /find?identifiers=<id> (as s10k
// sec-tokens list -id sends): with FindCacheTTL, SolarNetwork's
// per-identifier cache then holds the token as it is now.
func (s *Simulator) ReadByIdentifier(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findByIdentifierLocked(id, s.now())
}

// DeleteToken removes a token; an unknown id is ignored.
func (s *Simulator) DeleteToken(id string) {
	s.mu.Lock()
	delete(s.tokens, id)
	s.mu.Unlock()
}

// edit applies fn to a stored token under the lock.
func (s *Simulator) edit(id string, fn func(*Token) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownToken, id)
	}
	return fn(t)
}
