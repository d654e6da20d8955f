package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// policyKind is what the provider does with every policy field of one
// kind: its Terraform type, conversions, and planning. Each kind says it
// once, in policyKinds; a kind without a row panics at its first use, and
// TestEveryKindHasProviderBehaviour fails before that.
type policyKind interface {
	// attrType is the field's type in the policy object, nil for a field
	// that is not in it.
	attrType() attr.Type
	// fromAttr sets f in p from its attribute of the policy object.
	fromAttr(f client.PolicyField, p *client.SecurityPolicy, v attr.Value, name string, diags *diag.Diagnostics)
	// toAttr is f's attribute of the policy object: null when unset or
	// hidden behind its min level.
	toAttr(f client.PolicyField, p *client.SecurityPolicy) attr.Value
	// fromLoose sets f in p from a loosely typed value (a literal given to
	// policy_allows), naming what in its error.
	fromLoose(f client.PolicyField, p *client.SecurityPolicy, v attr.Value, what string) error
	// merge sets f in out as policy_update = "merge" plans it.
	merge(f client.PolicyField, out, current, owned, desired *client.SecurityPolicy)
	// patch sets f in patch to what a PATCH adds to current to reach
	// planned; false when planned removes something.
	patch(f client.PolicyField, patch, current, planned *client.SecurityPolicy) bool
	// intersect sets f in out to what of owned server still holds.
	intersect(f client.PolicyField, out, owned, server *client.SecurityPolicy)
}

// kindOf implements policyKind for fields of Go type T.
type kindOf[T any] struct {
	typ   attr.Type
	read  func(v attr.Value, name string, diags *diag.Diagnostics) T
	write func(T) attr.Value
	loose func(v attr.Value, what string) (T, error)
	// mergeValues is the merge of one field's three values.
	mergeValues func(current, owned, desired T) T
	// additions is, for a set, what want adds to cur and whether it
	// removes anything; nil for a single value, patched whole.
	additions func(cur, want T) (T, bool)
	keep      func(owned, server T) T
}

func (k kindOf[T]) attrType() attr.Type { return k.typ }

func (k kindOf[T]) fromAttr(f client.PolicyField, p *client.SecurityPolicy, v attr.Value, name string, diags *diag.Diagnostics) {
	*client.FieldOf[T](f, p) = k.read(v, name, diags)
}

func (k kindOf[T]) toAttr(f client.PolicyField, p *client.SecurityPolicy) attr.Value {
	if f.HiddenIn(p) {
		var zero T
		return k.write(zero)
	}
	return k.write(*client.FieldOf[T](f, p))
}

func (k kindOf[T]) fromLoose(f client.PolicyField, p *client.SecurityPolicy, v attr.Value, what string) error {
	t, err := k.loose(v, what)
	if err == nil {
		*client.FieldOf[T](f, p) = t
	}
	return err
}

func (k kindOf[T]) merge(f client.PolicyField, out, current, owned, desired *client.SecurityPolicy) {
	*client.FieldOf[T](f, out) = k.mergeValues(*client.FieldOf[T](f, current), *client.FieldOf[T](f, owned), *client.FieldOf[T](f, desired))
}

func (k kindOf[T]) patch(f client.PolicyField, patch, current, planned *client.SecurityPolicy) bool {
	if k.additions == nil {
		return patchValue[T](f, patch, current, planned)
	}
	v, removes := k.additions(*client.FieldOf[T](f, current), *client.FieldOf[T](f, planned))
	*client.FieldOf[T](f, patch) = v
	return !removes
}

func (k kindOf[T]) intersect(f client.PolicyField, out, owned, server *client.SecurityPolicy) {
	*client.FieldOf[T](f, out) = k.keep(*client.FieldOf[T](f, owned), *client.FieldOf[T](f, server))
}

// policyKinds gives each kind of policy field its behaviour.
var policyKinds = map[client.PolicyFieldKind]policyKind{
	client.IntSet: kindOf[[]int64]{
		typ: types.SetType{ElemType: nodeIDElemType},
		read: func(v attr.Value, name string, diags *diag.Diagnostics) []int64 {
			ids, _ := nodeIDsOf(attrOf[types.Set](v, name, diags))
			return client.SortedNodeIDs(ids)
		},
		write:       func(ids []int64) attr.Value { return nodeIDsValue(client.SortedNodeIDs(ids)) },
		loose:       looseNumbers,
		mergeValues: mergeSet[int64],
		additions:   setAdditions[int64],
		keep:        keepPresent[int64],
	},
	client.StringSet: kindOf[[]string]{
		typ: types.SetType{ElemType: types.StringType},
		read: func(v attr.Value, name string, diags *diag.Diagnostics) []string {
			return stringSet(attrOf[types.Set](v, name, diags))
		},
		write:       func(s []string) attr.Value { return stringSetValue(s) },
		loose:       looseStrings,
		mergeValues: mergeSet[string],
		additions:   setAdditions[string],
		keep:        keepPresent[string],
	},
	client.MinLevel: kindOf[string]{
		typ: types.StringType,
		read: func(v attr.Value, name string, diags *diag.Diagnostics) string {
			return attrOf[types.String](v, name, diags).ValueString()
		},
		write:       func(s string) attr.Value { return stringOrNull(s) },
		loose:       looseString,
		mergeValues: mergeScalar[string],
		keep:        keepServerIfOwned[string],
	},
	client.Flag: kindOf[*bool]{
		typ: types.BoolType,
		read: func(v attr.Value, name string, diags *diag.Diagnostics) *bool {
			return attrOf[types.Bool](v, name, diags).ValueBoolPointer()
		},
		write: func(b *bool) attr.Value { return types.BoolPointerValue(b) },
		loose: func(v attr.Value, what string) (*bool, error) {
			b, ok := underlying(v).(basetypes.BoolValue)
			if !ok {
				return nil, fmt.Errorf("%s must be a bool", what)
			}
			return b.ValueBoolPointer(), nil
		},
		mergeValues: mergeScalar[*bool],
		keep:        keepServerIfOwned[*bool],
	},
	// The expiry is expiration_date, not part of the policy object, and is
	// not kept by intersectPolicy: expiration_date tracks it.
	client.Instant: kindOf[*time.Time]{
		mergeValues: mergeScalar[*time.Time],
		keep:        func(_, _ *time.Time) *time.Time { return nil },
	},
}

// kindFor returns the provider's behaviour for a kind; a kind without one
// is a programming error, said at once rather than dropped.
func kindFor(k client.PolicyFieldKind) policyKind {
	b, ok := policyKinds[k]
	if !ok {
		panic(fmt.Sprintf("policy field kind %d has no behaviour in the provider's policyKinds", int(k)))
	}
	return b
}
