package provider

import (
	"context"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Node IDs are a set of numbers, not of 64-bit integers, so that a value
// such as 1.5 or one beyond 64 bits reaches nodeIDValidator and gets a
// plain error instead of a conversion failure inside the framework. The
// Terraform type is the same either way: a set of numbers.
var nodeIDElemType = types.NumberType

// nodeIDsOf reads a set of node IDs; known is false while any is unknown.
func nodeIDsOf(s types.Set) (ids []int64, known bool) {
	for _, v := range elementsOf[types.Number](s) {
		if v.IsUnknown() {
			return nil, false
		}
		if id, ok := nodeID(v); ok {
			ids = append(ids, id)
		}
	}
	return ids, true
}

// nodeID converts a known number that is a whole number within int64.
func nodeID(v types.Number) (int64, bool) {
	f := v.ValueBigFloat()
	if v.IsNull() || f == nil || !f.IsInt() {
		return 0, false
	}
	id, acc := f.Int64()
	return id, acc == big.Exact
}

// nodeIDsValue writes node IDs as a set; none is null.
func nodeIDsValue(ids []int64) types.Set {
	if len(ids) == 0 {
		return types.SetNull(nodeIDElemType)
	}
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.NumberValue(new(big.Float).SetInt64(id))
	}
	return types.SetValueMust(nodeIDElemType, elems)
}

// nodeIDValidator accepts a whole number from 1 to 9223372036854775807.
type nodeIDValidator struct{}

var _ validator.Number = nodeIDValidator{}

func (nodeIDValidator) Description(context.Context) string {
	return "a node ID: a whole number from 1 to 9223372036854775807"
}
func (v nodeIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v nodeIDValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if id, ok := nodeID(req.ConfigValue); !ok || id < 1 {
		// Set elements have no readable path of their own, so name the set.
		resp.Diagnostics.AddAttributeError(req.Path.ParentPath(), "Invalid node ID in "+req.Path.ParentPath().String(),
			formatNumber(req.ConfigValue.ValueBigFloat())+" is not "+v.Description(ctx)+".")
	}
}

// formatNumber writes a whole number with all its digits, others shortest.
func formatNumber(f *big.Float) string {
	if f.IsInt() {
		return f.Text('f', 0)
	}
	return f.Text('g', -1)
}
