package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// policyFromObject reads a policy object. known is false when any part is
// unknown until apply; a null object gives a nil policy.
func policyFromObject(_ context.Context, obj types.Object) (policy *client.SecurityPolicy, known bool, diags diag.Diagnostics) {
	if obj.IsUnknown() {
		return nil, false, nil
	}
	if obj.IsNull() {
		return nil, true, nil
	}
	if hasUnknown(obj) {
		return nil, false, nil
	}
	// Attribute by attribute, not obj.As: its reflection costs tens of
	// allocations per field, and this runs several times per token in a plan.
	attrs := obj.Attributes()
	p := &client.SecurityPolicy{}
	for _, a := range policyAttributes() {
		a.kind.fromAttr(a.field, p, attrs[a.name], a.name, &diags)
	}
	if diags.HasError() {
		return nil, false, diags
	}
	return p, true, diags
}

// attrOf is a policy attribute as the type its kind needs. Another type is
// an error, as it is for obj.As.
func attrOf[T attr.Value](v attr.Value, name string, diags *diag.Diagnostics) T {
	t, ok := v.(T)
	if !ok {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered reading the policy's %s (%T). "+
			"This is always an error in the provider.", name, v))
	}
	return t
}

// hasUnknown reports whether any part of v, at any depth, is unknown: a
// whole attribute, or one element of a set.
func hasUnknown(v attr.Value) bool {
	if v.IsUnknown() {
		return true
	}
	if v.IsNull() {
		return false
	}
	switch v := v.(type) {
	case types.Object:
		for _, a := range v.Attributes() {
			if hasUnknown(a) {
				return true
			}
		}
	case types.Set:
		for _, e := range v.Elements() {
			if hasUnknown(e) {
				return true
			}
		}
	}
	return false
}

// policyToObject writes a policy object; an empty policy is null. The
// expiry is left out.
func policyToObject(p *client.SecurityPolicy) types.Object {
	if p == nil {
		return types.ObjectNull(policyAttrTypes)
	}
	q := *p
	q.NotAfter = nil
	if q.IsEmpty() {
		return types.ObjectNull(policyAttrTypes)
	}
	return policyObject(&q)
}

// emptyPolicyObject is the object of a configured "policy {}".
func emptyPolicyObject() types.Object {
	return policyObject(&client.SecurityPolicy{})
}

// policyObject writes every attribute of p, null where p does not set it or
// where SolarNetwork hides a list behind its min level.
func policyObject(p *client.SecurityPolicy) types.Object {
	attrs := make(map[string]attr.Value, len(policyAttrTypes))
	for _, a := range policyAttributes() {
		attrs[a.name] = a.kind.toAttr(a.field, p)
	}
	return types.ObjectValueMust(policyAttrTypes, attrs)
}

func stringSet(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range elementsOf[types.String](s) {
		out = append(out, e.ValueString())
	}
	return out
}

func elementsOf[T attr.Value](s types.Set) []T {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]T, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func stringSetValue(values []string) types.Set {
	if len(values) == 0 {
		return types.SetNull(types.StringType)
	}
	sorted := append([]string(nil), values...)
	sort.Strings(sorted)
	elems := make([]attr.Value, 0, len(sorted))
	for i, v := range sorted {
		if i > 0 && sorted[i-1] == v {
			continue
		}
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
