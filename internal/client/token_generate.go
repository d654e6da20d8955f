package client

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// A generate whose answer is lost leaves a token nobody holds the secret
// of. To find it again without mistaking another writer's token for it,
// every generate carries a marker: an expiry no other request chooses (a
// random millisecond within markerSpread before at most markerHorizon from
// now). The token it makes is therefore also short-lived until the caller
// sets the intended policy with ReplaceTokenPolicy, so a token whose answer was
// lost for good stops working on its own.
const (
	markerHorizon = time.Hour
	markerSpread  = time.Hour
)

// cleanupTimeout bounds the clean-up after an ambiguous generate, which must
// run even when the caller's context was cancelled (Ctrl-C during a slow
// answer).
const cleanupTimeout = 30 * time.Second

// GenerateToken creates a token of tokenType restricted by at least policy and
// returns it with its secret. The token's expiry is a marker (see
// markerHorizon), never later than policy's: once the secret is safe, the
// caller sets the intended policy with ReplaceTokenPolicy.
//
// When SolarNetwork may have created the token but its answer was lost (no
// answer, a server error, an unreadable answer, a cancelled request),
// GenerateToken lists the tokens, deletes the one carrying its marker (useless
// without its secret) and generates once more. It deletes only a token
// carrying its own marker; when it cannot tell, it deletes nothing and the
// error names what to look for.
func (s *TokenStore) GenerateToken(ctx context.Context, tokenType string, policy *SecurityPolicy) (*SecurityToken, error) {
	var firstErr error
	for attempt := 0; attempt < 2; attempt++ {
		marked, err := s.withMarker(policy)
		if err != nil {
			return nil, err
		}
		token, err := s.client.GenerateToken(ctx, tokenType, marked)
		if err == nil {
			s.put(*token)
			return token, nil
		}
		if !mayHaveWritten(err) {
			if firstErr != nil {
				return nil, fmt.Errorf("%w; generating again after cleaning up also failed: %w", firstErr, err)
			}
			return nil, err
		}
		err = &TransportError{Method: http.MethodPost, Path: tokensPath + "/generate/" + tokenType, Sent: true, Err: err}
		if cerr := s.removeMarked(ctx, tokenType, marked); cerr != nil {
			return nil, fmt.Errorf("%w; %w", err, cerr)
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w; no token was left behind", err)
		}
	}
	return nil, fmt.Errorf("%w; generating again also got no usable answer, and no token was left behind", firstErr)
}

// withMarker returns a copy of policy whose expiry is a fresh marker.
func (s *TokenStore) withMarker(policy *SecurityPolicy) (*SecurityPolicy, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(markerSpread.Milliseconds()))
	if err != nil {
		return nil, fmt.Errorf("choosing a generate marker: %w", err)
	}
	latest := s.client.now().Add(markerHorizon)
	if policy != nil && policy.NotAfter != nil && policy.NotAfter.Before(latest) {
		latest = *policy.NotAfter
	}
	marker := latest.UTC().Truncate(time.Millisecond).Add(-time.Duration(n.Int64()+1) * time.Millisecond)
	out := SecurityPolicy{}
	if policy != nil {
		out = *policy
	}
	out.NotAfter = &marker
	return &out, nil
}

// removeMarked deletes the token an ambiguous generate made, found by its
// marker. It returns an error when it cannot be sure nothing is orphaned.
func (s *TokenStore) removeMarked(ctx context.Context, tokenType string, marked *SecurityPolicy) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	lookFor := fmt.Sprintf("look for a %s token without a name expiring at %s in SolarNetwork and delete it (it stops working then in any case)",
		tokenType, marked.NotAfter.Format(time.RFC3339Nano))
	s.Invalidate()
	after, err := s.Tokens(ctx)
	if err != nil {
		return fmt.Errorf("checking whether a token was created anyway also failed (%w): %s", err, lookFor)
	}
	var candidates []string
	for _, t := range after {
		if t.Type == tokenType && PoliciesEqual(t.Policy, marked) {
			candidates = append(candidates, t.ID)
		}
	}
	switch len(candidates) {
	case 0:
		return nil
	case 1:
		if err := s.DeleteToken(ctx, candidates[0]); err != nil {
			return fmt.Errorf("token %s was created but its secret was lost, and deleting it failed (%w): delete it by hand (it expires at %s in any case)",
				candidates[0], err, marked.NotAfter.Format(time.RFC3339Nano))
		}
		return nil
	default:
		return fmt.Errorf("tokens %s all carry this request's marker, so it is not clear which one it created and none was deleted: check them in SolarNetwork",
			strings.Join(candidates, ", "))
	}
}
