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
// answer) or ran out (a timeouts block).
const cleanupTimeout = 45 * time.Second

// markerRecheckWait is how long the clean-up waits before it lists a second
// time when the first list lacks the marker: a slow SolarNetwork may still
// be inserting the token when its client gave up.
const markerRecheckWait = 10 * time.Second

// GenerateToken creates a token of tokenType restricted by at least policy and
// returns it with its secret. The token's expiry is a marker (see
// markerHorizon), never later than policy's: once the secret is safe, the
// caller sets the intended policy with ReplaceTokenPolicy.
//
// When SolarNetwork may have created the token but its answer was lost (no
// answer, a server error, an unreadable answer, a cancelled request),
// GenerateToken looks for the token carrying its marker (useless without its
// secret) and deletes it; when the caller still has time, it then generates
// once more. It deletes only a token carrying its own marker. A token it
// cannot find may still appear (SolarNetwork may be finishing the request,
// or its list may lag), so it never says none was left: the warnings it
// returns with a token, and its errors, name the marker and when that
// token stops working.
func (s *TokenStore) GenerateToken(ctx context.Context, tokenType string, policy *SecurityPolicy) (*SecurityToken, []string, error) {
	var firstErr error
	var outcomes []string    // what became of each unanswered attempt's token
	var unconfirmed []string // those of them that were not found
	for attempt := 0; attempt < 2; attempt++ {
		marked, err := s.withMarker(policy)
		if err != nil {
			return nil, nil, err
		}
		token, err := s.client.GenerateToken(ctx, tokenType, marked)
		if err == nil {
			s.put(*token)
			return token, unconfirmed, nil
		}
		if !mayHaveWritten(err) {
			if firstErr != nil {
				return nil, nil, fmt.Errorf("%w; %s; generating again after that failed: %w", firstErr, outcomes[0], err)
			}
			return nil, nil, err
		}
		err = &TransportError{Method: http.MethodPost, Path: tokensPath + "/generate/" + tokenType, Sent: true, Err: err}
		deleted, cerr := s.removeMarked(ctx, tokenType, marked)
		if cerr != nil {
			if firstErr != nil {
				return nil, nil, fmt.Errorf("%w; %s; generating again also got no usable answer: %w", firstErr, outcomes[0], cerr)
			}
			return nil, nil, fmt.Errorf("%w; %w", err, cerr)
		}
		outcome := "the token it made anyway (" + deleted + ") was found by its marker and deleted"
		if deleted == "" {
			outcome = notFoundOutcome(tokenType, *marked.NotAfter)
			unconfirmed = append(unconfirmed, outcome)
		}
		outcomes = append(outcomes, outcome)
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("%w; %s", err, outcome)
		}
		if deleted == "" && attempt == 0 {
			s.client.log(ctx, LogWarn, "generating a token again although the unanswered one may still appear", map[string]any{
				"type": tokenType, "marker_expiry": formatMarker(*marked.NotAfter)})
		}
	}
	return nil, nil, fmt.Errorf("%w; %s; generating again also got no usable answer, and of that request %s", firstErr, outcomes[0], outcomes[1])
}

// notFoundOutcome says what is known of a lost generate's token that the
// clean-up did not find.
func notFoundOutcome(tokenType string, marker time.Time) string {
	return fmt.Sprintf("no token carrying its marker was found in two lists %s apart, but SolarNetwork may still be completing the "+
		"request, or its list may lag: if SolarNetwork still completes it, that token is unusable (its secret never arrived) and "+
		"stops working at %s; it is a %s token without a name expiring then, and can be deleted in SolarNetwork",
		markerRecheckWait, formatMarker(marker), tokenType)
}

func formatMarker(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

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
// marker, and returns its ID; "" when no list showed it. One list is not
// enough to say none was made: SolarNetwork may still be inserting it, so
// when the first list lacks it, it waits markerRecheckWait (within the
// clean-up's own time) and lists again. It returns an error when it found
// the token but could not delete it, or cannot tell which token is its own.
// Every outcome is logged as a warning.
func (s *TokenStore) removeMarked(ctx context.Context, tokenType string, marked *SecurityPolicy) (string, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	marker := formatMarker(*marked.NotAfter)
	lookFor := fmt.Sprintf("look for a %s token without a name expiring at %s in SolarNetwork and delete it (it stops working then in any case)",
		tokenType, marker)
	fields := map[string]any{"type": tokenType, "marker_expiry": marker}
	var candidates []string
	for look := 1; ; look++ {
		s.Invalidate()
		after, err := s.Tokens(ctx)
		if err != nil {
			s.client.log(ctx, LogWarn, "could not look for the token of an unanswered generate", fields)
			return "", fmt.Errorf("checking whether a token was created anyway also failed (%w): %s", err, lookFor)
		}
		for _, t := range after {
			if t.Type == tokenType && PoliciesEqual(t.Policy, marked) {
				candidates = append(candidates, t.ID)
			}
		}
		if len(candidates) > 0 || look == 2 {
			break
		}
		if !s.client.wait(ctx, markerRecheckWait) {
			break // the clean-up's time is up: report what one list showed
		}
	}
	switch len(candidates) {
	case 0:
		s.client.log(ctx, LogWarn, "no token carrying the marker of an unanswered generate was found; it may still appear", fields)
		return "", nil
	case 1:
		fields["token_id"] = candidates[0]
		if err := s.DeleteToken(ctx, candidates[0]); err != nil {
			s.client.log(ctx, LogWarn, "found the token of an unanswered generate, but could not delete it", fields)
			return "", fmt.Errorf("token %s was created but its secret was lost, and deleting it failed (%w): delete it by hand (it expires at %s in any case)",
				candidates[0], err, marker)
		}
		s.client.log(ctx, LogWarn, "found and deleted the token of an unanswered generate", fields)
		return candidates[0], nil
	default:
		fields["token_ids"] = strings.Join(candidates, ",")
		s.client.log(ctx, LogWarn, "several tokens carry the marker of an unanswered generate; none was deleted", fields)
		return "", fmt.Errorf("tokens %s all carry this request's marker, so it is not clear which one it created and none was deleted: check them in SolarNetwork",
			strings.Join(candidates, ", "))
	}
}
