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

// policyJSON is the wire shape. Field order is SolarNetwork's output order;
// omitempty keeps empty arrays off the wire, which the server's parser
// mishandles.
type policyJSON struct {
	NodeIDs              []int64  `json:"nodeIds,omitempty"`
	SourceIDs            []string `json:"sourceIds,omitempty"`
	MinAggregation       string   `json:"minAggregation,omitempty"`
	Aggregations         []string `json:"aggregations,omitempty"`
	MinLocationPrecision string   `json:"minLocationPrecision,omitempty"`
	LocationPrecisions   []string `json:"locationPrecisions,omitempty"`
	NodeMetadataPaths    []string `json:"nodeMetadataPaths,omitempty"`
	UserMetadataPaths    []string `json:"userMetadataPaths,omitempty"`
	APIPaths             []string `json:"apiPaths,omitempty"`
	NotAfter             *int64   `json:"notAfter,omitempty"`
	RefreshAllowed       *bool    `json:"refreshAllowed,omitempty"`
}

// MarshalJSON writes the policy as SolarNetwork reads it. A min level wins
// over an explicit list on the server, so the list is not sent with it.
func (p SecurityPolicy) MarshalJSON() ([]byte, error) {
	w := policyJSON{
		NodeIDs:              p.NodeIDs,
		SourceIDs:            p.SourceIDs,
		MinAggregation:       p.MinAggregation,
		MinLocationPrecision: p.MinLocationPrecision,
		NodeMetadataPaths:    p.NodeMetadataPaths,
		UserMetadataPaths:    p.UserMetadataPaths,
		APIPaths:             p.APIPaths,
		RefreshAllowed:       p.RefreshAllowed,
	}
	if p.MinAggregation == "" {
		w.Aggregations = p.Aggregations
	}
	if p.MinLocationPrecision == "" {
		w.LocationPrecisions = p.LocationPrecisions
	}
	if p.NotAfter != nil {
		ms := p.NotAfter.UnixMilli()
		w.NotAfter = &ms
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads the server's policy JSON.
func (p *SecurityPolicy) UnmarshalJSON(data []byte) error {
	var w policyJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = SecurityPolicy{
		NodeIDs:              w.NodeIDs,
		SourceIDs:            w.SourceIDs,
		MinAggregation:       w.MinAggregation,
		Aggregations:         w.Aggregations,
		MinLocationPrecision: w.MinLocationPrecision,
		LocationPrecisions:   w.LocationPrecisions,
		NodeMetadataPaths:    w.NodeMetadataPaths,
		UserMetadataPaths:    w.UserMetadataPaths,
		APIPaths:             w.APIPaths,
		RefreshAllowed:       w.RefreshAllowed,
	}
	if w.NotAfter != nil {
		t := time.UnixMilli(*w.NotAfter).UTC()
		p.NotAfter = &t
	}
	return nil
}

// IsEmpty reports whether the policy restricts nothing and has no expiry;
// SolarNetwork treats {} and no policy alike.
func (p *SecurityPolicy) IsEmpty() bool {
	if p == nil {
		return true
	}
	return len(p.NodeIDs) == 0 && len(p.SourceIDs) == 0 && p.MinAggregation == "" &&
		len(p.Aggregations) == 0 && p.MinLocationPrecision == "" && len(p.LocationPrecisions) == 0 &&
		len(p.NodeMetadataPaths) == 0 && len(p.UserMetadataPaths) == 0 && len(p.APIPaths) == 0 &&
		p.NotAfter == nil && p.RefreshAllowed == nil
}

// IsRestricted reports whether the policy limits data or API access. Expiry
// and refreshAllowed do not count: SolarNetwork lets a User token with only
// those manage tokens.
func (p *SecurityPolicy) IsRestricted() bool {
	return len(p.RestrictingFields()) > 0
}

// RestrictingFields names, as SolarNetwork does, the fields that make a
// token a "restricted actor" (SecurityUtils.policyIsUnrestricted): every
// field except notAfter and refreshAllowed.
func (p *SecurityPolicy) RestrictingFields() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"nodeIds", len(p.NodeIDs) > 0},
		{"sourceIds", len(p.SourceIDs) > 0},
		{"minAggregation", p.MinAggregation != ""},
		{"aggregations", len(p.Aggregations) > 0},
		{"minLocationPrecision", p.MinLocationPrecision != ""},
		{"locationPrecisions", len(p.LocationPrecisions) > 0},
		{"nodeMetadataPaths", len(p.NodeMetadataPaths) > 0},
		{"userMetadataPaths", len(p.UserMetadataPaths) > 0},
		{"apiPaths", len(p.APIPaths) > 0},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
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
	if a.IsEmpty() || b.IsEmpty() {
		return a.IsEmpty() && b.IsEmpty()
	}
	if !sameSet(a.NodeIDs, b.NodeIDs) || !sameSet(a.SourceIDs, b.SourceIDs) ||
		!sameSet(a.NodeMetadataPaths, b.NodeMetadataPaths) || !sameSet(a.UserMetadataPaths, b.UserMetadataPaths) ||
		!sameSet(a.APIPaths, b.APIPaths) {
		return false
	}
	if a.MinAggregation != b.MinAggregation || (a.MinAggregation == "" && !sameSet(a.Aggregations, b.Aggregations)) {
		return false
	}
	if a.MinLocationPrecision != b.MinLocationPrecision || (a.MinLocationPrecision == "" && !sameSet(a.LocationPrecisions, b.LocationPrecisions)) {
		return false
	}
	if (a.NotAfter == nil) != (b.NotAfter == nil) || (a.NotAfter != nil && a.NotAfter.UnixMilli() != b.NotAfter.UnixMilli()) {
		return false
	}
	return (a.RefreshAllowed == nil) == (b.RefreshAllowed == nil) && (a.RefreshAllowed == nil || *a.RefreshAllowed == *b.RefreshAllowed)
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
