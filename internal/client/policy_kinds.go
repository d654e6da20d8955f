package client

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// fieldKind is what the client does with every field of one kind. Each kind
// says it once, in policyKinds; a kind without a row panics at its first
// use, and TestEveryKindHasBehaviour fails before that.
type fieldKind interface {
	// holds reports whether f's pointer is of the Go type this kind needs.
	holds(f PolicyField) bool
	isSet(f PolicyField, p *SecurityPolicy) bool
	equal(f PolicyField, a, b *SecurityPolicy) bool
	// clear unsets f in p.
	clear(f PolicyField, p *SecurityPolicy)
	// unshare replaces what p's f shares with another policy by a copy.
	unshare(f PolicyField, p *SecurityPolicy)
	// normalize makes f in p what SolarNetwork stores.
	normalize(f PolicyField, p *SecurityPolicy)
	jsonValue(f PolicyField, p *SecurityPolicy) any
	readJSON(f PolicyField, p *SecurityPolicy, raw json.RawMessage) error
}

// kindOf implements fieldKind for fields of Go type T from a few functions
// of T alone.
type kindOf[T any] struct {
	set  func(T) bool
	same func(a, b T) bool
	copy func(T) T
	// norm is what SolarNetwork stores for a value.
	norm func(T) T
	// toJSON and fromJSON convert the wire form; nil means T as it is.
	toJSON   func(T) any
	fromJSON func(json.RawMessage) (T, error)
}

func (k kindOf[T]) holds(f PolicyField) bool {
	_, ok := f.ptr(&SecurityPolicy{}).(*T)
	return ok
}

func (k kindOf[T]) isSet(f PolicyField, p *SecurityPolicy) bool { return k.set(*FieldOf[T](f, p)) }

func (k kindOf[T]) equal(f PolicyField, a, b *SecurityPolicy) bool {
	return k.same(*FieldOf[T](f, a), *FieldOf[T](f, b))
}

func (k kindOf[T]) clear(f PolicyField, p *SecurityPolicy) {
	var zero T
	*FieldOf[T](f, p) = zero
}

func (k kindOf[T]) unshare(f PolicyField, p *SecurityPolicy) {
	v := FieldOf[T](f, p)
	*v = k.copy(*v)
}

func (k kindOf[T]) normalize(f PolicyField, p *SecurityPolicy) {
	v := FieldOf[T](f, p)
	*v = k.norm(*v)
}

func (k kindOf[T]) jsonValue(f PolicyField, p *SecurityPolicy) any {
	if k.toJSON == nil {
		return *FieldOf[T](f, p)
	}
	return k.toJSON(*FieldOf[T](f, p))
}

func (k kindOf[T]) readJSON(f PolicyField, p *SecurityPolicy, raw json.RawMessage) error {
	if k.fromJSON == nil {
		return json.Unmarshal(raw, FieldOf[T](f, p))
	}
	v, err := k.fromJSON(raw)
	if err == nil {
		*FieldOf[T](f, p) = v
	}
	return err
}

// policyKinds gives each kind its behaviour; indexed by kind.
var policyKinds = [kindCount]fieldKind{
	IntSet: kindOf[[]int64]{set: nonEmpty[int64], same: sameSet[int64], copy: slices.Clone[[]int64],
		// SolarNetwork returns node IDs sorted.
		norm: func(ids []int64) []int64 {
			if len(ids) == 0 {
				return nil
			}
			return SortedNodeIDs(ids)
		}},
	StringSet: kindOf[[]string]{set: nonEmpty[string], same: sameSet[string], copy: slices.Clone[[]string], norm: same[[]string]},
	MinLevel:  kindOf[string]{set: func(s string) bool { return s != "" }, same: equal[string], copy: same[string], norm: same[string]},
	Flag:      kindOf[*bool]{set: notNil[bool], same: samePointee[bool], copy: copyPointee[bool], norm: same[*bool]},
	Instant: kindOf[*time.Time]{set: notNil[time.Time], copy: copyPointee[time.Time],
		// SolarNetwork keeps epoch milliseconds.
		same: func(a, b *time.Time) bool {
			return (a == nil) == (b == nil) && (a == nil || a.UnixMilli() == b.UnixMilli())
		},
		norm: func(t *time.Time) *time.Time {
			if t == nil {
				return nil
			}
			u := t.UTC().Truncate(time.Millisecond)
			return &u
		},
		toJSON: func(t *time.Time) any { return t.UnixMilli() },
		fromJSON: func(raw json.RawMessage) (*time.Time, error) {
			var ms *int64
			if err := json.Unmarshal(raw, &ms); err != nil || ms == nil {
				return nil, err
			}
			t := time.UnixMilli(*ms).UTC()
			return &t, nil
		}},
}

// behaviour returns the kind's row; a kind without one is a programming
// error, and is said at once rather than dropped.
func (k PolicyFieldKind) behaviour() fieldKind {
	if k < 0 || k >= kindCount || policyKinds[k] == nil {
		panic(fmt.Sprintf("policy field kind %d has no behaviour in policyKinds", int(k)))
	}
	return policyKinds[k]
}

// PolicyFieldKinds lists every kind, for tests that check that each layer
// handles all of them.
func PolicyFieldKinds() []PolicyFieldKind {
	out := make([]PolicyFieldKind, kindCount)
	for k := range out {
		out[k] = PolicyFieldKind(k)
	}
	return out
}

func nonEmpty[E any](s []E) bool { return len(s) > 0 }
func notNil[E any](p *E) bool    { return p != nil }
func same[T any](v T) T          { return v }
func equal[T comparable](a, b T) bool {
	return a == b
}

func samePointee[E comparable](a, b *E) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func copyPointee[E any](p *E) *E {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
