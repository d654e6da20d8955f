package client

import (
	"fmt"
	"slices"
	"strings"
)

// PolicyRequest is one request to judge against a security policy. Only what
// is set is judged: a request without a node ID says nothing about nodes.
type PolicyRequest struct {
	NodeID            *int64
	SourceID          *string
	Aggregation       string // a name, "" when not asked
	LocationPrecision string // a name, "" when not asked
	NodeMetadataPath  *string
	UserMetadataPath  *string
	// APIPath is relative to /api/v1/sec, as apiPaths are.
	APIPath *string
	// TokenType decides what a user metadata read needs; "" is ReadNodeData,
	// the type the data restrictions are for.
	TokenType string
}

// PolicyDecision is SolarNetwork's answer to a PolicyRequest. Allowed means
// it serves the request exactly as asked: where it would narrow the request
// instead of refusing it, Allowed is false too. DeniedBy names, with
// SolarNetwork's field names, the policy fields that refuse or narrow it.
type PolicyDecision struct {
	Allowed  bool
	DeniedBy []string
}

// aggregationLevels are Aggregation's levels in seconds, in declaration
// order (solarnetwork-api.md §4); compareLevel compares these.
var aggregationLevels = map[string]int64{
	"None": 0, "Minute": 60, "FiveMinute": 300, "TenMinute": 600, "FifteenMinute": 900, "ThirtyMinute": 1800,
	"Hour": 3600, "HourOfDay": 3600, "HourOfYear": 3600, "SeasonalHourOfDay": 3600,
	"Day": 86400, "DayOfWeek": 86400, "DayOfYear": 86400, "SeasonalDayOfWeek": 86400,
	"Week": 604800, "WeekOfYear": 604800, "Month": 2419200, "Year": 31536000, "RunningTotal": 2147483647,
}

// EvaluatePolicy judges r against p as SolarNetwork does; a nil policy
// restricts nothing. Each rule is in solarnetwork-api.md §12. The error is
// for a request naming an aggregation, precision or token type that does not
// exist.
func EvaluatePolicy(p *SecurityPolicy, r PolicyRequest) (PolicyDecision, error) {
	if err := checkPolicyRequest(r); err != nil {
		return PolicyDecision{}, err
	}
	if p == nil {
		p = &SecurityPolicy{}
	}
	if _, ok := aggregationLevels[p.MinAggregation]; p.MinAggregation != "" && !ok {
		return PolicyDecision{}, fmt.Errorf("min_aggregation %q is not one of %s", p.MinAggregation, strings.Join(AggregationNames(), ", "))
	}
	var denied []string
	deny := func(field string) { denied = append(denied, field) }

	if r.NodeID != nil && len(p.NodeIDs) > 0 && !slices.Contains(p.NodeIDs, *r.NodeID) {
		deny("nodeIds")
	}
	if r.SourceID != nil && !sourceIDServed(p.SourceIDs, *r.SourceID) {
		deny("sourceIds")
	}
	if r.Aggregation != "" {
		if field := aggregationRefusedBy(p, r.Aggregation); field != "" {
			deny(field)
		}
	}
	// Location precisions are stored but never enforced (§12.4).
	if r.NodeMetadataPath != nil && len(p.NodeMetadataPaths) > 0 && !anyPatternMatches(p.NodeMetadataPaths, *r.NodeMetadataPath) {
		deny("nodeMetadataPaths")
	}
	if r.UserMetadataPath != nil && r.TokenType != TokenTypeUser && len(p.UserMetadataPaths) == 0 {
		deny("userMetadataPaths")
	}
	if r.APIPath != nil && !apiPathAllowed(p.APIPaths, *r.APIPath) {
		deny("apiPaths")
	}
	return PolicyDecision{Allowed: len(denied) == 0, DeniedBy: denied}, nil
}

func checkPolicyRequest(r PolicyRequest) error {
	if r.Aggregation != "" {
		if _, ok := aggregationLevels[r.Aggregation]; !ok {
			return fmt.Errorf("aggregation %q is not one of %s", r.Aggregation, strings.Join(AggregationNames(), ", "))
		}
	}
	if r.LocationPrecision != "" && !slices.Contains(LocationPrecisionNames(), r.LocationPrecision) {
		return fmt.Errorf("location_precision %q is not one of %s", r.LocationPrecision, strings.Join(LocationPrecisionNames(), ", "))
	}
	if r.TokenType != "" && r.TokenType != TokenTypeUser && r.TokenType != TokenTypeReadNodeData {
		return fmt.Errorf("token_type %q is not %s or %s", r.TokenType, TokenTypeUser, TokenTypeReadNodeData)
	}
	return nil
}

// sourceIDServed is SecurityPolicyEnforcer.verifySourceIds for one source
// ID, true only when the answer is the request unchanged (§12.2).
func sourceIDServed(policy []string, requested string) bool {
	if len(policy) == 0 {
		return true
	}
	var patterns, literals []string
	for _, s := range policy {
		if isAntPattern(s) {
			patterns = append(patterns, s)
		} else {
			literals = append(literals, s)
		}
	}
	if !isAntPattern(requested) {
		return slices.Contains(literals, requested) || anyPatternMatches(patterns, requested)
	}
	// A requested pattern is kept when a policy pattern equals it or could
	// begin with it; otherwise it is replaced by the policy IDs it matches
	// (narrowed) or refused.
	for _, pat := range patterns {
		if pat == requested || antPatternMatches(pat, requested, false) {
			return true
		}
	}
	return false
}

// aggregationRefusedBy is verifyAggregation: a minimum raises a finer
// aggregation to itself (narrowed); otherwise an explicit list refuses what
// it does not hold.
func aggregationRefusedBy(p *SecurityPolicy, agg string) string {
	if p.MinAggregation != "" {
		if aggregationLevels[agg] < aggregationLevels[p.MinAggregation] {
			return "minAggregation"
		}
		return ""
	}
	if len(p.Aggregations) > 0 && !slices.Contains(p.Aggregations, agg) {
		return "aggregations"
	}
	return ""
}

// apiPathAllowed is SecurityTokenAuthenticationFilter.isValidApiPath: the
// entries are OR-ed, a "!" entry allowing every path it does not match, so a
// "!" never takes away what another entry allows (§12.6).
func apiPathAllowed(apiPaths []string, path string) bool {
	if len(apiPaths) == 0 {
		return true
	}
	for _, entry := range apiPaths {
		if entry == "" {
			continue
		}
		pattern, inverted := strings.CutPrefix(entry, "!")
		if antPatternMatches(pattern, path, true) != inverted {
			return true
		}
	}
	return false
}

func anyPatternMatches(patterns []string, path string) bool {
	for _, pat := range patterns {
		if antPatternMatches(pat, path, true) {
			return true
		}
	}
	return false
}
