package simulator

import (
	"slices"
	"strings"
)

// PolicyQuestion is one request put to Judge. Nil fields are not asked.
type PolicyQuestion struct {
	NodeID            *int64
	SourceID          *string
	Aggregation       *string
	LocationPrecision *string
	NodeMetadataPath  *string
	UserMetadataPath  *string
	APIPath           *string // relative to /api/v1/sec
	UserToken         bool    // the token is a User token, not ReadNodeData
}

// Judge is the simulator's own reading of how SolarNetwork applies a policy
// to a request (solarnetwork-api.md §12), kept apart from the client's
// evaluator so that each checks the other. It returns the SolarNetwork names
// of the policy fields that refuse the request or would change it before
// serving it; none means SolarNetwork serves it as asked.
func Judge(p *Policy, q PolicyQuestion) []string {
	if p == nil {
		p = &Policy{}
	}
	var refused []string
	if q.NodeID != nil {
		if kept := filterNodeIDs(p.NodeIDs, []int64{*q.NodeID}); !slices.Equal(kept, []int64{*q.NodeID}) {
			refused = append(refused, "nodeIds")
		}
	}
	if q.SourceID != nil {
		if kept := filterSourceIDs(p.SourceIDs, []string{*q.SourceID}); !slices.Equal(kept, []string{*q.SourceID}) {
			refused = append(refused, "sourceIds")
		}
	}
	if q.Aggregation != nil {
		if allowed := p.AllowedAggregations(); len(allowed) > 0 && !slices.Contains(allowed, *q.Aggregation) {
			if p.MinAggregation != "" {
				refused = append(refused, "minAggregation")
			} else {
				refused = append(refused, "aggregations")
			}
		}
	}
	// A location precision is never checked: nothing in SolarNetwork reads
	// the policy's precisions when serving data.
	if q.NodeMetadataPath != nil && len(p.NodeMetadataPaths) > 0 {
		if !slices.ContainsFunc(p.NodeMetadataPaths, func(pat string) bool { return antMatch(pat, *q.NodeMetadataPath) }) {
			refused = append(refused, "nodeMetadataPaths")
		}
	}
	if q.UserMetadataPath != nil && !q.UserToken && len(p.UserMetadataPaths) == 0 {
		// A data token reads user metadata only with some user metadata
		// path, and then all of it.
		refused = append(refused, "userMetadataPaths")
	}
	if q.APIPath != nil && !apiPathPermitted(p.APIPaths, *q.APIPath) {
		refused = append(refused, "apiPaths")
	}
	return refused
}

// filterNodeIDs returns what verifyNodeIds leaves of the requested IDs; nil
// when it refuses them all.
func filterNodeIDs(policy, requested []int64) []int64 {
	if len(policy) == 0 {
		return requested
	}
	var kept []int64
	for _, id := range requested {
		if slices.Contains(policy, id) {
			kept = append(kept, id)
		}
	}
	return kept
}

// filterSourceIDs follows SecurityPolicyEnforcer.verifySourceIds step by
// step and returns the source IDs it would query with; nil when it refuses.
func filterSourceIDs(policy, requested []string) []string {
	if len(policy) == 0 {
		return requested
	}
	var policyPatterns, policyIDs []string
	for _, s := range policy {
		if isPattern(s) {
			policyPatterns = append(policyPatterns, s)
		} else {
			policyIDs = append(policyIDs, s)
		}
	}
	var result, requestedPatterns []string
	for _, s := range requested {
		if isPattern(s) {
			requestedPatterns = append(requestedPatterns, s)
			continue
		}
		if slices.Contains(policyIDs, s) || slices.ContainsFunc(policyPatterns, func(pat string) bool { return antMatch(pat, s) }) {
			result = append(result, s)
		}
	}
	if len(requestedPatterns) > 0 {
		for _, rp := range requestedPatterns {
			if slices.Contains(policyPatterns, rp) || slices.ContainsFunc(policyPatterns, func(pat string) bool { return antMatchStart(pat, rp) }) {
				result = append(result, rp)
			}
		}
		// Policy IDs the requested patterns match fill in, unless already
		// covered by what is kept.
		for _, id := range policyIDs {
			matched := slices.ContainsFunc(requestedPatterns, func(rp string) bool { return antMatch(rp, id) })
			covered := slices.ContainsFunc(result, func(kept string) bool { return antMatchStart(kept, id) })
			if matched && !covered {
				result = append(result, id)
			}
		}
	}
	return result
}

// isPattern is AntPathMatcher.isPattern.
func isPattern(s string) bool {
	if strings.ContainsAny(s, "*?") {
		return true
	}
	open := strings.IndexByte(s, '{')
	return open >= 0 && strings.IndexByte(s[open:], '}') > 0
}

// apiPathPermitted is SecurityTokenAuthenticationFilter.isValidApiPath.
func apiPathPermitted(apiPaths []string, path string) bool {
	if len(apiPaths) == 0 {
		return true
	}
	for _, p := range apiPaths {
		if p == "" {
			continue
		}
		inverted := strings.HasPrefix(p, "!")
		match := antMatch(strings.TrimPrefix(p, "!"), path)
		if inverted {
			match = !match
		}
		if match {
			return true
		}
	}
	return false
}
