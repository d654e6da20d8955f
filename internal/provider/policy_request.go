package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// The policy_allows function and the policy_simulation data source read a
// policy and requests given as objects of any shape: effective_policy as is,
// or a literal with only some attributes. Absent and null attributes are
// unset; an attribute that is neither is an error, so a typo is not a
// silently unrestricted policy.

// requestAttributes are the attributes of a request, in the order checked.
var requestAttributes = []string{
	"node_id", "source_id", "aggregation", "location_precision",
	"node_metadata_path", "user_metadata_path", "api_path", "token_type",
}

// attrsOf returns the attributes of an object or map value; nil for null.
func attrsOf(v attr.Value, what string) (map[string]attr.Value, error) {
	if v == nil || v.IsNull() {
		return nil, nil
	}
	if v.IsUnknown() {
		return nil, fmt.Errorf("%s is not known until apply", what)
	}
	switch v := v.(type) {
	case basetypes.DynamicValue:
		return attrsOf(v.UnderlyingValue(), what)
	case basetypes.ObjectValue:
		return v.Attributes(), nil
	case basetypes.MapValue:
		return v.Elements(), nil
	}
	return nil, fmt.Errorf("%s must be an object, not %s", what, v.Type(context.Background()))
}

// policyFromAttributes reads a policy from loosely typed attributes.
func policyFromAttributes(attrs map[string]attr.Value) (*client.SecurityPolicy, error) {
	if attrs == nil {
		return nil, nil
	}
	if err := onlyKnownNames(attrs, "policy", policyAttributeNames()); err != nil {
		return nil, err
	}
	p := &client.SecurityPolicy{}
	for _, a := range policyAttributes() {
		v, ok := attrs[a.name]
		if !ok || v == nil || v.IsNull() {
			continue
		}
		if err := a.kind.fromLoose(a.field, p, v, "policy."+a.name); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// requestFromAttributes reads one request.
func requestFromAttributes(attrs map[string]attr.Value, what string) (client.PolicyRequest, error) {
	var r client.PolicyRequest
	if err := onlyKnownNames(attrs, what, requestAttributes); err != nil {
		return r, err
	}
	str := func(name string) (*string, error) {
		v, ok := attrs[name]
		if !ok || v == nil || v.IsNull() {
			return nil, nil
		}
		s, err := looseString(v, what+"."+name)
		return &s, err
	}
	var err error
	if v, ok := attrs["node_id"]; ok && v != nil && !v.IsNull() {
		id, e := looseNumber(v, what+".node_id")
		if e != nil {
			return r, e
		}
		r.NodeID = &id
	}
	strs := map[string]**string{"source_id": &r.SourceID, "node_metadata_path": &r.NodeMetadataPath,
		"user_metadata_path": &r.UserMetadataPath, "api_path": &r.APIPath}
	for name, dst := range strs {
		if *dst, err = str(name); err != nil {
			return r, err
		}
	}
	for name, dst := range map[string]*string{"aggregation": &r.Aggregation, "location_precision": &r.LocationPrecision, "token_type": &r.TokenType} {
		s, err := str(name)
		if err != nil {
			return r, err
		}
		if s != nil {
			*dst = *s
		}
	}
	return r, nil
}

func policyAttributeNames() []string {
	var out []string
	for _, a := range policyAttributes() {
		out = append(out, a.name)
	}
	return out
}

func onlyKnownNames(attrs map[string]attr.Value, what string, names []string) error {
	var unknown []string
	for k := range attrs {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("%s has no attribute %s; it may have %s", what, strings.Join(unknown, ", "), strings.Join(names, ", "))
}

func underlying(v attr.Value) attr.Value {
	if d, ok := v.(basetypes.DynamicValue); ok {
		return d.UnderlyingValue()
	}
	return v
}

func looseString(v attr.Value, what string) (string, error) {
	if v.IsUnknown() {
		return "", fmt.Errorf("%s is not known until apply", what)
	}
	s, ok := underlying(v).(basetypes.StringValue)
	if !ok {
		return "", fmt.Errorf("%s must be a string", what)
	}
	return s.ValueString(), nil
}

// looseElements returns the elements of a list, set or tuple.
func looseElements(v attr.Value, what string) ([]attr.Value, error) {
	if v.IsUnknown() {
		return nil, fmt.Errorf("%s is not known until apply", what)
	}
	switch v := underlying(v).(type) {
	case basetypes.ListValue:
		return v.Elements(), nil
	case basetypes.SetValue:
		return v.Elements(), nil
	case basetypes.TupleValue:
		return v.Elements(), nil
	}
	return nil, fmt.Errorf("%s must be a list or set", what)
}

func looseStrings(v attr.Value, what string) ([]string, error) {
	elems, err := looseElements(v, what)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		s, err := looseString(e, what+" element")
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// looseNumbers reads whole numbers from a list, set or tuple.
func looseNumbers(v attr.Value, what string) ([]int64, error) {
	elems, err := looseElements(v, what)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(elems))
	for _, e := range elems {
		n, err := looseNumber(e, what)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func looseNumber(v attr.Value, what string) (int64, error) {
	if v.IsUnknown() {
		return 0, fmt.Errorf("%s is not known until apply", what)
	}
	var f *big.Float
	switch n := underlying(v).(type) {
	case basetypes.NumberValue:
		f = n.ValueBigFloat()
	case basetypes.Int64Value:
		f = new(big.Float).SetInt64(n.ValueInt64())
	}
	if f == nil || !f.IsInt() {
		return 0, fmt.Errorf("%s must be a whole number", what)
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("%s must be a whole number", what)
	}
	return i, nil
}

// decisionAttrTypes is the type of one answer: { allowed, denied_by }.
var decisionAttrTypes = map[string]attr.Type{"allowed": types.BoolType, "denied_by": types.ListType{ElemType: types.StringType}}

// decisionObject is an answer with the policy's attribute names.
func decisionObject(d client.PolicyDecision) types.Object {
	names := make([]attr.Value, 0, len(d.DeniedBy))
	for _, f := range d.DeniedBy {
		names = append(names, types.StringValue(attributeName(f)))
	}
	return types.ObjectValueMust(decisionAttrTypes, map[string]attr.Value{
		"allowed":   types.BoolValue(d.Allowed),
		"denied_by": types.ListValueMust(types.StringType, names),
	})
}
