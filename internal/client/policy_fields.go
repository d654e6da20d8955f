package client

import "fmt"

// PolicyFieldKind is how a policy field holds its value, which decides how
// it is sent, compared, merged and shown.
type PolicyFieldKind int

const (
	// IntSet is a set of whole numbers ([]int64), e.g. node IDs.
	IntSet PolicyFieldKind = iota
	// StringSet is a set of strings ([]string), e.g. source ID patterns.
	StringSet
	// MinLevel is one name of an ordered list (string): the finest level
	// allowed, every coarser one allowed too. It hides its explicit list.
	MinLevel
	// Flag is a yes/no that may be absent (*bool).
	Flag
	// Instant is a moment, sent as epoch milliseconds (*time.Time).
	Instant
	// kindCount is the number of kinds; a new kind goes above it and gets
	// its behaviour in policyKinds.
	kindCount
)

// PolicyField is one field of SecurityPolicy. Everything that goes through
// every field (the JSON codec, emptiness, equality, the restricted check,
// cloning, and in the provider the schema, conversion and planning) walks
// PolicyFields, so a field is added by adding it to the struct and here.
type PolicyField struct {
	// JSON is SolarNetwork's name for the field.
	JSON string
	Kind PolicyFieldKind
	// Restricting fields make a token a "restricted actor" in SolarNetwork
	// (SecurityUtils.policyIsUnrestricted): every field but the expiry and
	// refreshAllowed.
	Restricting bool
	// Hides is, for a MinLevel, the JSON name of the list it hides:
	// SolarNetwork keeps only the level when both are set.
	Hides string
	// ptr returns a pointer to the field in p, of the type Kind says.
	ptr func(p *SecurityPolicy) any
}

// policyFields is in SolarNetwork's output order, which MarshalJSON keeps.
var policyFields = []PolicyField{
	{JSON: "nodeIds", Kind: IntSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.NodeIDs }},
	{JSON: "sourceIds", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.SourceIDs }},
	{JSON: "minAggregation", Kind: MinLevel, Restricting: true, Hides: "aggregations", ptr: func(p *SecurityPolicy) any { return &p.MinAggregation }},
	{JSON: "aggregations", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.Aggregations }},
	{JSON: "minLocationPrecision", Kind: MinLevel, Restricting: true, Hides: "locationPrecisions", ptr: func(p *SecurityPolicy) any { return &p.MinLocationPrecision }},
	{JSON: "locationPrecisions", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.LocationPrecisions }},
	{JSON: "nodeMetadataPaths", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.NodeMetadataPaths }},
	{JSON: "userMetadataPaths", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.UserMetadataPaths }},
	{JSON: "apiPaths", Kind: StringSet, Restricting: true, ptr: func(p *SecurityPolicy) any { return &p.APIPaths }},
	{JSON: "notAfter", Kind: Instant, ptr: func(p *SecurityPolicy) any { return &p.NotAfter }},
	{JSON: "refreshAllowed", Kind: Flag, ptr: func(p *SecurityPolicy) any { return &p.RefreshAllowed }},
}

// PolicyFields lists every field of SecurityPolicy. Callers must not modify it.
func PolicyFields() []PolicyField { return policyFields }

// PolicyFieldNamed returns the field SolarNetwork calls name.
func PolicyFieldNamed(name string) (PolicyField, bool) {
	for _, f := range policyFields {
		if f.JSON == name {
			return f, true
		}
	}
	return PolicyField{}, false
}

// FieldOf returns a pointer to the field f in p: *[]int64 for an IntSet,
// *[]string for a StringSet, *string for a MinLevel, **bool for a Flag and
// **time.Time for an Instant. It panics if T does not match.
func FieldOf[T any](f PolicyField, p *SecurityPolicy) *T {
	v, ok := f.ptr(p).(*T)
	if !ok {
		panic(fmt.Sprintf("policy field %s is %T, not %T", f.JSON, f.ptr(p), v))
	}
	return v
}

// IsSet reports whether f restricts anything in p.
func (f PolicyField) IsSet(p *SecurityPolicy) bool { return f.Kind.behaviour().isSet(f, p) }

// HiddenIn reports whether a set min level in p hides f, a list.
func (f PolicyField) HiddenIn(p *SecurityPolicy) bool {
	for _, level := range policyFields {
		if level.Hides == f.JSON && level.IsSet(p) {
			return true
		}
	}
	return false
}

// EqualIn compares f in a and b as SolarNetwork stores it: sets as sets,
// instants to the millisecond.
func (f PolicyField) EqualIn(a, b *SecurityPolicy) bool { return f.Kind.behaviour().equal(f, a, b) }
