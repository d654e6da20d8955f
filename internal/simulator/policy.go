package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Policy mirrors SolarNetwork's BasicSecurityPolicy. Nil or empty fields mean
// "absent". A Policy held by the simulator is always normalised (see
// normalizePolicy), which is the form the server stores and returns.
type Policy struct {
	NodeIDs              []int64
	SourceIDs            []string
	MinAggregation       string
	Aggregations         []string
	MinLocationPrecision string
	LocationPrecisions   []string
	NodeMetadataPaths    []string
	UserMetadataPaths    []string
	APIPaths             []string
	NotAfter             *time.Time // epoch milliseconds on the wire
	RefreshAllowed       *bool
}

// aggregation is one value of SolarNetwork's Aggregation enum.
type aggregation struct {
	name, key string
	level     int64 // seconds
}

// aggregations lists the Aggregation enum in declaration order (solarnetwork-api.md §4).
var aggregations = []aggregation{
	{"None", "0", 0},
	{"Minute", "m", 60},
	{"FiveMinute", "5m", 300},
	{"TenMinute", "10m", 600},
	{"FifteenMinute", "15m", 900},
	{"ThirtyMinute", "30m", 1800},
	{"Hour", "h", 3600},
	{"HourOfDay", "hd", 3600},
	{"HourOfYear", "hy", 3600},
	{"SeasonalHourOfDay", "shd", 3600},
	{"Day", "d", 86400},
	{"DayOfWeek", "wd", 86400},
	{"DayOfYear", "yd", 86400},
	{"SeasonalDayOfWeek", "swd", 86400},
	{"Week", "w", 604800},
	{"WeekOfYear", "yw", 604800},
	{"Month", "M", 2419200},
	{"Year", "y", 31536000},
	{"RunningTotal", "rt", 2147483647},
}

// locationPrecision is one value of SolarNetwork's LocationPrecision enum.
type locationPrecision struct {
	name      string
	precision int
}

// locationPrecisions lists the LocationPrecision enum, most precise first.
var locationPrecisions = []locationPrecision{
	{"LatLong", 1},
	{"Block", 5},
	{"Street", 10},
	{"PostalCode", 20},
	{"Locality", 30},
	{"StateOrProvince", 40},
	{"Region", 50},
	{"TimeZone", 60},
	{"Country", 70},
}

// aggregationName resolves an aggregation by name or key (Aggregation.forKey);
// both are case-sensitive ("M" is Month, "m" is Minute).
func aggregationName(s string) (string, bool) {
	for _, a := range aggregations {
		if a.name == s || a.key == s {
			return a.name, true
		}
	}
	return "", false
}

// locationPrecisionName accepts exact enum names only (LocationPrecision.valueOf).
func locationPrecisionName(s string) (string, bool) {
	for _, p := range locationPrecisions {
		if p.name == s {
			return s, true
		}
	}
	return "", false
}

// AllowedAggregations returns the aggregation names the policy permits, or nil
// when it does not restrict aggregation. A minimum level expands to every
// aggregation at that level or coarser, as the server's policy builder does.
func (p *Policy) AllowedAggregations() []string {
	if p == nil {
		return nil
	}
	if p.MinAggregation != "" {
		return atOrAbove(aggregations, p.MinAggregation,
			func(a aggregation) (string, int64) { return a.name, a.level })
	}
	return slices.Clone(p.Aggregations)
}

// AllowedLocationPrecisions is AllowedAggregations for location precision.
func (p *Policy) AllowedLocationPrecisions() []string {
	if p == nil {
		return nil
	}
	if p.MinLocationPrecision != "" {
		return atOrAbove(locationPrecisions, p.MinLocationPrecision,
			func(l locationPrecision) (string, int64) { return l.name, int64(l.precision) })
	}
	return slices.Clone(p.LocationPrecisions)
}

// atOrAbove lists, in declaration order, the names whose level is at least
// that of lowest; none when lowest is unknown.
func atOrAbove[T any](all []T, lowest string, of func(T) (string, int64)) []string {
	floor := int64(-1)
	for _, v := range all {
		if name, level := of(v); name == lowest {
			floor = level
		}
	}
	var out []string
	for _, v := range all {
		if name, level := of(v); floor >= 0 && level >= floor {
			out = append(out, name)
		}
	}
	return out
}

// Restricted reports whether the policy limits what its token may access in a
// way that makes a User token a "restricted actor" (solarnetwork-api.md §1.2). notAfter and
// refreshAllowed do not count.
func (p *Policy) Restricted() bool {
	if p == nil {
		return false
	}
	return len(p.NodeIDs) > 0 || len(p.SourceIDs) > 0 || p.MinAggregation != "" ||
		len(p.Aggregations) > 0 || p.MinLocationPrecision != "" ||
		len(p.LocationPrecisions) > 0 || len(p.NodeMetadataPaths) > 0 ||
		len(p.UserMetadataPaths) > 0 || len(p.APIPaths) > 0
}

// Expired reports whether the policy's notAfter lies before now.
func (p *Policy) Expired(now time.Time) bool {
	return p != nil && p.NotAfter != nil && p.NotAfter.Before(now)
}

// clone returns a deep copy; nil stays nil.
func (p *Policy) clone() *Policy {
	if p == nil {
		return nil
	}
	c := &Policy{
		NodeIDs:              slices.Clone(p.NodeIDs),
		SourceIDs:            slices.Clone(p.SourceIDs),
		MinAggregation:       p.MinAggregation,
		Aggregations:         slices.Clone(p.Aggregations),
		MinLocationPrecision: p.MinLocationPrecision,
		LocationPrecisions:   slices.Clone(p.LocationPrecisions),
		NodeMetadataPaths:    slices.Clone(p.NodeMetadataPaths),
		UserMetadataPaths:    slices.Clone(p.UserMetadataPaths),
		APIPaths:             slices.Clone(p.APIPaths),
	}
	if p.NotAfter != nil {
		t := *p.NotAfter
		c.NotAfter = &t
	}
	if p.RefreshAllowed != nil {
		b := *p.RefreshAllowed
		c.RefreshAllowed = &b
	}
	return c
}

// normalizePolicy returns the policy as BasicSecurityPolicy.Builder would
// build it: node ids sorted and unique, other sets unique in insertion order,
// empty sets absent, invalid enum values dropped, aggregation keys turned into
// names, min* hiding the explicit list, notAfter in whole milliseconds (UTC)
// and only when positive. Nil stays nil; non-nil never becomes nil, because
// the server keeps an empty policy as "{}".
func normalizePolicy(p *Policy) *Policy {
	if p == nil {
		return nil
	}
	n := &Policy{
		SourceIDs:         uniqueStrings(p.SourceIDs),
		NodeMetadataPaths: uniqueStrings(p.NodeMetadataPaths),
		UserMetadataPaths: uniqueStrings(p.UserMetadataPaths),
		APIPaths:          uniqueStrings(p.APIPaths),
	}
	if len(p.NodeIDs) > 0 {
		ids := slices.Clone(p.NodeIDs)
		slices.Sort(ids)
		n.NodeIDs = slices.Compact(ids)
	}
	if name, ok := aggregationName(p.MinAggregation); ok {
		n.MinAggregation = name
	} else {
		var aggs []string
		for _, a := range p.Aggregations {
			if name, ok := aggregationName(a); ok {
				aggs = append(aggs, name)
			}
		}
		n.Aggregations = uniqueStrings(aggs)
	}
	if name, ok := locationPrecisionName(p.MinLocationPrecision); ok {
		n.MinLocationPrecision = name
	} else {
		var locs []string
		for _, l := range p.LocationPrecisions {
			if name, ok := locationPrecisionName(l); ok {
				locs = append(locs, name)
			}
		}
		n.LocationPrecisions = uniqueStrings(locs)
	}
	if p.NotAfter != nil && p.NotAfter.UnixMilli() > 0 {
		t := time.UnixMilli(p.NotAfter.UnixMilli()).UTC()
		n.NotAfter = &t
	}
	if p.RefreshAllowed != nil {
		b := *p.RefreshAllowed
		n.RefreshAllowed = &b
	}
	return n
}

// mergePolicy implements PATCH /policy: Builder().withPolicy(existing)
// .withMergedPolicy(patch).build(). Sets are unions (existing values first),
// scalars are overwritten only by non-null patch values. The result is never
// nil: merging into "no policy" yields at least "{}", as on the server.
func mergePolicy(existing, patch *Policy) *Policy {
	m := existing.clone()
	if m == nil {
		m = &Policy{}
	}
	if patch != nil {
		m.NodeIDs = append(m.NodeIDs, patch.NodeIDs...)
		m.SourceIDs = append(m.SourceIDs, patch.SourceIDs...)
		m.Aggregations = append(m.Aggregations, patch.Aggregations...)
		m.LocationPrecisions = append(m.LocationPrecisions, patch.LocationPrecisions...)
		m.NodeMetadataPaths = append(m.NodeMetadataPaths, patch.NodeMetadataPaths...)
		m.UserMetadataPaths = append(m.UserMetadataPaths, patch.UserMetadataPaths...)
		m.APIPaths = append(m.APIPaths, patch.APIPaths...)
		if patch.MinAggregation != "" {
			m.MinAggregation = patch.MinAggregation
		}
		if patch.MinLocationPrecision != "" {
			m.MinLocationPrecision = patch.MinLocationPrecision
		}
		if patch.NotAfter != nil {
			t := *patch.NotAfter
			m.NotAfter = &t
		}
		if patch.RefreshAllowed != nil {
			b := *patch.RefreshAllowed
			m.RefreshAllowed = &b
		}
	}
	return normalizePolicy(m)
}

// uniqueStrings removes duplicates keeping first occurrences (LinkedHashSet);
// an empty result is nil so that it reads as "absent".
func uniqueStrings(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := make(map[string]struct{}, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if _, ok := seen[s]; ok {
			continue
		}
		seen[s] = struct{}{}
		out = append(out, s)
	}
	return out
}

// MarshalJSON writes the policy exactly as SecurityPolicySerializer does:
// fixed key order, empty collections and null scalars left out, node ids
// sorted, and a min* value hiding its explicit list. Call it on a normalised
// policy to get the server's output.
func (p Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	key := func(k string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
	}
	strs := func(k string, vals []string) {
		if len(vals) == 0 {
			return
		}
		key(k)
		b.WriteByte('[')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, v)
		}
		b.WriteByte(']')
	}
	if len(p.NodeIDs) > 0 {
		ids := slices.Clone(p.NodeIDs)
		slices.Sort(ids)
		key("nodeIds")
		b.WriteByte('[')
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
		b.WriteByte(']')
	}
	strs("sourceIds", p.SourceIDs)
	if p.MinAggregation != "" {
		key("minAggregation")
		writeJSONString(&b, p.MinAggregation)
	} else {
		strs("aggregations", p.Aggregations)
	}
	if p.MinLocationPrecision != "" {
		key("minLocationPrecision")
		writeJSONString(&b, p.MinLocationPrecision)
	} else {
		strs("locationPrecisions", p.LocationPrecisions)
	}
	strs("nodeMetadataPaths", p.NodeMetadataPaths)
	strs("userMetadataPaths", p.UserMetadataPaths)
	strs("apiPaths", p.APIPaths)
	if p.NotAfter != nil {
		key("notAfter")
		b.WriteString(strconv.FormatInt(p.NotAfter.UnixMilli(), 10))
	}
	if p.RefreshAllowed != nil {
		key("refreshAllowed")
		b.WriteString(strconv.FormatBool(*p.RefreshAllowed))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeJSONString quotes s like Jackson: no HTML escaping of <, > and &.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // drop Encode's newline
}

// errPolicyBody marks a policy body that the simulator rejects with 422.
var errPolicyBody = errors.New("malformed policy")

// UnmarshalJSON parses a policy the way BasicSecurityPolicyDeserializer does,
// then normalises it. Values of the wrong JSON type and unknown enum values
// are silently ignored (solarnetwork-api.md §5.3): notAfter only as a positive JSON integer,
// refreshAllowed only as a JSON boolean, string-array fields only as arrays.
// "minAggregation" given as null, "" or another non-string scalar becomes
// "None", as on the server (solarnetwork-api.md §5.6).
//
// The server crashes or silently loses data on a few inputs (solarnetwork-api.md §5.6). The
// simulator does not reproduce those outcomes; it rejects such bodies with an
// error (HTTP 422) so a client that sends them fails loudly in tests:
//   - "aggregations" that is not a non-empty array (server: HTTP 500),
//   - "locationPrecisions": [] (server: ignores the rest of the object),
//   - "minLocationPrecision" as null or a non-string scalar (server: HTTP 500),
//   - a non-integer element in "nodeIds" (server: HTTP 500 on output),
//   - an object or array where a scalar is expected, or nested inside a string
//     array (server: parsing derails).
//
// Unknown keys are skipped whatever their value, which the server may not do.
func (p *Policy) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("%w: a security policy must be a JSON object", errPolicyBody)
	}
	var raw Policy
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if err := raw.parseField(name, v); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*p = *normalizePolicy(&raw)
	return nil
}

// jsonKind classifies a raw JSON value by its first byte.
func jsonKind(v json.RawMessage) byte {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return 0
	}
	switch c := v[0]; c {
	case '[', '{', '"', 'n':
		return c
	case 't', 'f':
		return 'b'
	default:
		return '0'
	}
}

// parseField applies one key of a policy object.
func (p *Policy) parseField(name string, v json.RawMessage) error {
	kind := jsonKind(v)
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errPolicyBody}, args...)...)
	}
	switch name {
	case "nodeIds":
		p.NodeIDs = nil
		if kind == '{' {
			return bad("nodeIds must be an array of integers")
		}
		if kind != '[' {
			return nil
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return err
		}
		for _, e := range elems {
			id, err := strconv.ParseInt(string(bytes.TrimSpace(e)), 10, 64)
			if err != nil {
				return bad("nodeIds must be an array of integers, found %s", e)
			}
			p.NodeIDs = append(p.NodeIDs, id)
		}
	case "sourceIds", "nodeMetadataPaths", "userMetadataPaths", "apiPaths":
		vals, err := parseStringArray(name, kind, v)
		if err != nil {
			return err
		}
		switch name {
		case "sourceIds":
			p.SourceIDs = vals
		case "nodeMetadataPaths":
			p.NodeMetadataPaths = vals
		case "userMetadataPaths":
			p.UserMetadataPaths = vals
		default:
			p.APIPaths = vals
		}
	case "aggregations":
		if kind != '[' || isEmptyArray(v) {
			return bad("aggregations must be a non-empty array (SolarNetwork fails with HTTP 500 otherwise)")
		}
		vals, err := parseStringArray(name, kind, v)
		if err != nil {
			return err
		}
		p.Aggregations = vals
	case "locationPrecisions":
		vals, err := parseStringArray(name, kind, v)
		if err != nil {
			return err
		}
		if kind == '[' && isEmptyArray(v) {
			return bad("locationPrecisions must not be an empty array (SolarNetwork ignores the rest of the policy otherwise)")
		}
		p.LocationPrecisions = vals
	case "minAggregation":
		switch kind {
		case '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			if s == "" {
				p.MinAggregation = "None"
			} else if n, ok := aggregationName(s); ok {
				p.MinAggregation = n
			} else {
				p.MinAggregation = ""
			}
		case '[', '{':
			return bad("minAggregation must be a string")
		default:
			// Aggregation.forKey(null): a null or non-string value means None.
			p.MinAggregation = "None"
		}
	case "minLocationPrecision":
		if kind != '"' {
			return bad("minLocationPrecision must be a string (SolarNetwork fails with HTTP 500 otherwise)")
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		p.MinLocationPrecision, _ = locationPrecisionName(s)
	case "notAfter":
		p.NotAfter = nil
		if kind == '[' || kind == '{' {
			return bad("notAfter must be an integer")
		}
		if kind != '0' {
			return nil
		}
		ms, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
		if err == nil && ms > 0 {
			t := time.UnixMilli(ms).UTC()
			p.NotAfter = &t
		}
	case "refreshAllowed":
		p.RefreshAllowed = nil
		if kind == '[' || kind == '{' {
			return bad("refreshAllowed must be a boolean")
		}
		if kind == 'b' {
			b := bytes.HasPrefix(bytes.TrimSpace(v), []byte("true"))
			p.RefreshAllowed = &b
		}
	}
	return nil
}

func isEmptyArray(v json.RawMessage) bool {
	var a []json.RawMessage
	return json.Unmarshal(v, &a) == nil && len(a) == 0
}

// parseStringArray reads a string-array field: a non-array value is ignored
// (nil), scalar elements are taken as their text, null elements are skipped.
func parseStringArray(name string, kind byte, v json.RawMessage) ([]string, error) {
	if kind == '{' {
		return nil, fmt.Errorf("%w: %s must be an array of strings", errPolicyBody, name)
	}
	if kind != '[' {
		return nil, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		return nil, err
	}
	var out []string
	for _, e := range elems {
		switch jsonKind(e) {
		case '"':
			var s string
			if err := json.Unmarshal(e, &s); err != nil {
				return nil, err
			}
			out = append(out, s)
		case 'n':
		case '[', '{':
			return nil, fmt.Errorf("%w: %s must be an array of strings", errPolicyBody, name)
		default:
			out = append(out, strings.TrimSpace(string(e)))
		}
	}
	return out, nil
}

// parsePolicyBody decodes a request body into a normalised policy.
func parsePolicyBody(body []byte) (*Policy, error) {
	var p Policy
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
