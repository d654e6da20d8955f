package client

import (
	"encoding/json"
	"sort"
	"time"
)

// SecurityPolicy restricts what a token may do. Nil or empty fields are
// absent: no restriction.
type SecurityPolicy struct {
	NodeIDs              []int64
	SourceIDs            []string
	MinAggregation       string
	Aggregations         []string
	MinLocationPrecision string
	LocationPrecisions   []string
	NodeMetadataPaths    []string
	UserMetadataPaths    []string
	APIPaths             []string
	// NotAfter is the expiry instant, sent as epoch milliseconds.
	NotAfter *time.Time
	// RefreshAllowed is tri-state: nil means absent.
	RefreshAllowed *bool
}

// MarshalJSON writes the policy as SolarNetwork reads it, in its field
// order. Empty fields are left out (SolarNetwork's parser mishandles empty
// arrays), and so is a list its min level hides, which the server ignores.
func (p SecurityPolicy) MarshalJSON() ([]byte, error) {
	out := []byte{'{'}
	for _, f := range policyFields {
		if !f.IsSet(&p) || f.HiddenIn(&p) {
			continue
		}
		b, err := json.Marshal(f.Kind.behaviour().jsonValue(f, &p))
		if err != nil {
			return nil, err
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(append(out, '"'), f.JSON...), '"', ':')
		out = append(out, b...)
	}
	return append(out, '}'), nil
}

// UnmarshalJSON reads the server's policy JSON. Names match exactly, as
// SolarNetwork's own parser matches them; others are ignored.
func (p *SecurityPolicy) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*p = SecurityPolicy{}
	for _, f := range policyFields {
		v, ok := raw[f.JSON]
		if !ok {
			continue
		}
		if err := f.Kind.behaviour().readJSON(f, p, v); err != nil {
			return err
		}
	}
	return nil
}

// IsEmpty reports whether the policy restricts nothing and has no expiry;
// SolarNetwork treats {} and no policy alike.
func (p *SecurityPolicy) IsEmpty() bool {
	if p == nil {
		return true
	}
	for _, f := range policyFields {
		if f.IsSet(p) {
			return false
		}
	}
	return true
}

// RestrictingFields names, as SolarNetwork does, the fields set in p that
// make a token a "restricted actor" (SecurityUtils.policyIsUnrestricted):
// any but notAfter and refreshAllowed. A User token with none of them may
// manage tokens. A list its min level hides is not named: SolarNetwork
// keeps only the level.
func (p *SecurityPolicy) RestrictingFields() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, f := range policyFields {
		if f.Restricting && f.IsSet(p) && !f.HiddenIn(p) {
			out = append(out, f.JSON)
		}
	}
	return out
}

// Clone returns a copy sharing nothing with p; nil gives an empty policy.
func (p *SecurityPolicy) Clone() *SecurityPolicy {
	if p == nil {
		return &SecurityPolicy{}
	}
	q := *p
	for _, f := range policyFields {
		f.Kind.behaviour().unshare(f, &q)
	}
	return &q
}

// Normalize makes p what SolarNetwork stores: node IDs sorted, a list its
// min level hides dropped, the expiry in UTC milliseconds; an empty policy
// is nil.
func (p *SecurityPolicy) Normalize() *SecurityPolicy {
	if p.IsEmpty() {
		return nil
	}
	for _, f := range policyFields {
		kind := f.Kind.behaviour()
		if f.HiddenIn(p) {
			kind.clear(f, p)
		} else {
			kind.normalize(f, p)
		}
	}
	return p
}

// Aggregations in SolarNetwork's declaration order, with their short keys.
var aggregationKeys = []struct{ Name, Key string }{
	{"None", "0"}, {"Minute", "m"}, {"FiveMinute", "5m"}, {"TenMinute", "10m"},
	{"FifteenMinute", "15m"}, {"ThirtyMinute", "30m"}, {"Hour", "h"}, {"HourOfDay", "hd"},
	{"HourOfYear", "hy"}, {"SeasonalHourOfDay", "shd"}, {"Day", "d"}, {"DayOfWeek", "wd"},
	{"DayOfYear", "yd"}, {"SeasonalDayOfWeek", "swd"}, {"Week", "w"}, {"WeekOfYear", "yw"},
	{"Month", "M"}, {"Year", "y"}, {"RunningTotal", "rt"},
}

// AggregationNames lists the aggregation names SolarNetwork accepts and returns.
func AggregationNames() []string {
	out := make([]string, len(aggregationKeys))
	for i, a := range aggregationKeys {
		out[i] = a.Name
	}
	return out
}

// LocationPrecisionNames lists location precisions, most precise first.
func LocationPrecisionNames() []string {
	return []string{"LatLong", "Block", "Street", "PostalCode", "Locality", "StateOrProvince", "Region", "TimeZone", "Country"}
}

// Token types and statuses, spelled as the API wants them.
const (
	TokenTypeUser         = "User"
	TokenTypeReadNodeData = "ReadNodeData"
	StatusActive          = "Active"
	StatusDisabled        = "Disabled"
)

// SortedNodeIDs returns a sorted copy, the order SolarNetwork returns them in.
func SortedNodeIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// PoliciesEqual compares policies the way SolarNetwork stores them: lists
// as sets, a min level hiding its explicit list, {} equal to no policy.
func PoliciesEqual(a, b *SecurityPolicy) bool {
	return len(PolicyDifferences(a, b)) == 0
}

// PolicyDifferences names, as SolarNetwork does, the fields in which a and
// b differ once stored: lists compared as sets, a list that a min level
// hides in both ignored, nil the same as {}.
func PolicyDifferences(a, b *SecurityPolicy) []string {
	if a == nil {
		a = &SecurityPolicy{}
	}
	if b == nil {
		b = &SecurityPolicy{}
	}
	var out []string
	for _, f := range policyFields {
		if f.HiddenIn(a) && f.HiddenIn(b) {
			continue
		}
		if !f.EqualIn(a, b) {
			out = append(out, f.JSON)
		}
	}
	return out
}

func sameSet[T comparable](a, b []T) bool {
	as, bs := map[T]bool{}, map[T]bool{}
	for _, v := range a {
		as[v] = true
	}
	for _, v := range b {
		bs[v] = true
	}
	if len(as) != len(bs) {
		return false
	}
	for v := range as {
		if !bs[v] {
			return false
		}
	}
	return true
}
