package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// policyModel is the policy and effective_policy object. The expiry is not
// here: it is expiration_date/expires_at on the token.
type policyModel struct {
	NodeIDs              types.Set    `tfsdk:"node_ids"`
	SourceIDs            types.Set    `tfsdk:"source_ids"`
	MinAggregation       types.String `tfsdk:"min_aggregation"`
	Aggregations         types.Set    `tfsdk:"aggregations"`
	MinLocationPrecision types.String `tfsdk:"min_location_precision"`
	LocationPrecisions   types.Set    `tfsdk:"location_precisions"`
	NodeMetadataPaths    types.Set    `tfsdk:"node_metadata_paths"`
	UserMetadataPaths    types.Set    `tfsdk:"user_metadata_paths"`
	APIPaths             types.Set    `tfsdk:"api_paths"`
	RefreshAllowed       types.Bool   `tfsdk:"refresh_allowed"`
}

var policyAttrTypes = map[string]attr.Type{
	"node_ids":               types.SetType{ElemType: nodeIDElemType},
	"source_ids":             types.SetType{ElemType: types.StringType},
	"min_aggregation":        types.StringType,
	"aggregations":           types.SetType{ElemType: types.StringType},
	"min_location_precision": types.StringType,
	"location_precisions":    types.SetType{ElemType: types.StringType},
	"node_metadata_paths":    types.SetType{ElemType: types.StringType},
	"user_metadata_paths":    types.SetType{ElemType: types.StringType},
	"api_paths":              types.SetType{ElemType: types.StringType},
	"refresh_allowed":        types.BoolType,
}

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
	m, diags := policyModelOf(obj)
	if diags.HasError() {
		return nil, false, diags
	}
	p := &client.SecurityPolicy{
		MinAggregation:       m.MinAggregation.ValueString(),
		MinLocationPrecision: m.MinLocationPrecision.ValueString(),
		SourceIDs:            stringSet(m.SourceIDs),
		Aggregations:         stringSet(m.Aggregations),
		LocationPrecisions:   stringSet(m.LocationPrecisions),
		NodeMetadataPaths:    stringSet(m.NodeMetadataPaths),
		UserMetadataPaths:    stringSet(m.UserMetadataPaths),
		APIPaths:             stringSet(m.APIPaths),
	}
	ids, known := nodeIDsOf(m.NodeIDs)
	if !known {
		return nil, false, diags
	}
	p.NodeIDs = client.SortedNodeIDs(ids)
	if !m.RefreshAllowed.IsNull() {
		b := m.RefreshAllowed.ValueBool()
		p.RefreshAllowed = &b
	}
	return p, true, diags
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

func policyObject(p *client.SecurityPolicy) types.Object {
	nodeIDs := nodeIDsValue(client.SortedNodeIDs(p.NodeIDs))
	refresh := types.BoolNull()
	if p.RefreshAllowed != nil {
		refresh = types.BoolValue(*p.RefreshAllowed)
	}
	aggregations, precisions := p.Aggregations, p.LocationPrecisions
	// SolarNetwork hides an explicit list behind a min level.
	if p.MinAggregation != "" {
		aggregations = nil
	}
	if p.MinLocationPrecision != "" {
		precisions = nil
	}
	return types.ObjectValueMust(policyAttrTypes, map[string]attr.Value{
		"node_ids":               nodeIDs,
		"source_ids":             stringSetValue(p.SourceIDs),
		"min_aggregation":        stringOrNull(p.MinAggregation),
		"aggregations":           stringSetValue(aggregations),
		"min_location_precision": stringOrNull(p.MinLocationPrecision),
		"location_precisions":    stringSetValue(precisions),
		"node_metadata_paths":    stringSetValue(p.NodeMetadataPaths),
		"user_metadata_paths":    stringSetValue(p.UserMetadataPaths),
		"api_paths":              stringSetValue(p.APIPaths),
		"refresh_allowed":        refresh,
	})
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
