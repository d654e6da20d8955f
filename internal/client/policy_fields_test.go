package client

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// Every field of SecurityPolicy has exactly one row in PolicyFields, of the
// kind its Go type needs; a field added to the struct alone fails here.
func TestPolicyFieldsCoverSecurityPolicy(t *testing.T) {
	kindOf := map[reflect.Type]PolicyFieldKind{
		reflect.TypeFor[[]int64](): IntSet, reflect.TypeFor[[]string](): StringSet, reflect.TypeFor[string](): MinLevel,
		reflect.TypeFor[*bool](): Flag, reflect.TypeFor[*time.Time](): Instant,
	}
	var p SecurityPolicy
	st := reflect.TypeFor[SecurityPolicy]()
	seen := map[string]bool{}
	for i := range st.NumField() {
		sf := st.Field(i)
		addr := reflect.ValueOf(&p).Elem().Field(i).Addr().Pointer()
		var rows []PolicyField
		for _, f := range PolicyFields() {
			if reflect.ValueOf(f.ptr(&p)).Pointer() == addr && reflect.TypeOf(f.ptr(&p)).Elem() == sf.Type {
				rows = append(rows, f)
			}
		}
		if len(rows) != 1 {
			t.Errorf("SecurityPolicy.%s has %d rows in PolicyFields, want 1", sf.Name, len(rows))
			continue
		}
		if want, ok := kindOf[sf.Type]; !ok || rows[0].Kind != want {
			t.Errorf("SecurityPolicy.%s (%s) is kind %d in PolicyFields, want %d", sf.Name, sf.Type, rows[0].Kind, want)
		}
		if seen[rows[0].JSON] {
			t.Errorf("JSON name %q used twice", rows[0].JSON)
		}
		seen[rows[0].JSON] = true
	}
	if len(PolicyFields()) != st.NumField() {
		t.Errorf("%d rows in PolicyFields for %d fields", len(PolicyFields()), st.NumField())
	}
	for _, f := range PolicyFields() {
		if f.Hides == "" {
			continue
		}
		if hidden, ok := PolicyFieldNamed(f.Hides); f.Kind != MinLevel || !ok || hidden.Kind != StringSet {
			t.Errorf("%s hides %q: only a min level hides a list", f.JSON, f.Hides)
		}
	}
}

// Each field alone makes a non-empty policy that survives the JSON round
// trip, a clone, and is restricting exactly when the table says.
func TestPolicyFieldsOneByOne(t *testing.T) {
	for _, f := range PolicyFields() {
		var p SecurityPolicy
		switch f.Kind {
		case IntSet:
			*FieldOf[[]int64](f, &p) = []int64{3, 1}
		case StringSet:
			*FieldOf[[]string](f, &p) = []string{"/a/**"}
		case MinLevel:
			*FieldOf[string](f, &p) = "Hour"
		case Flag:
			b := false
			*FieldOf[*bool](f, &p) = &b
		case Instant:
			at := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
			*FieldOf[*time.Time](f, &p) = &at
		}
		if p.IsEmpty() || !f.IsSet(&p) {
			t.Errorf("%s set, but the policy is empty", f.JSON)
		}
		wire, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(wire, &raw); err != nil || len(raw) != 1 || raw[f.JSON] == nil {
			t.Errorf("%s alone is sent as %s", f.JSON, wire)
		}
		var back SecurityPolicy
		if err := json.Unmarshal(wire, &back); err != nil || !PoliciesEqual(&p, &back) {
			t.Errorf("%s: %s reads back as %+v (%v)", f.JSON, wire, back, err)
		}
		clone := p.Clone()
		if !PoliciesEqual(&p, clone) {
			t.Errorf("%s: clone %+v differs", f.JSON, clone)
		}
		if got := len(p.RestrictingFields()) == 1; got != f.Restricting {
			t.Errorf("%s: restricting %v, table says %v", f.JSON, got, f.Restricting)
		}
		if PoliciesEqual(&p, &SecurityPolicy{}) {
			t.Errorf("%s: a policy with it equals an empty one", f.JSON)
		}
	}
}

func TestNormalizeMinHidesList(t *testing.T) {
	at := time.Date(2031, 1, 1, 0, 0, 0, 1_500_000, time.FixedZone("x", 3600))
	got := (&SecurityPolicy{MinAggregation: "Day", Aggregations: []string{"Hour"}, NodeIDs: []int64{3, 1}, NotAfter: &at}).Normalize()
	if got.Aggregations != nil || got.NodeIDs[0] != 1 || got.NotAfter.Location() != time.UTC || got.NotAfter.Nanosecond() != 1_000_000 {
		t.Errorf("normalized %+v", got)
	}
	if (&SecurityPolicy{NodeIDs: []int64{}}).Normalize() != nil {
		t.Error("an empty policy is no policy")
	}
}
