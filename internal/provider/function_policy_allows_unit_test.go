package provider

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// runPolicyAllows calls the function as Terraform does, with both
// arguments dynamic, and returns its answer as allowed and denied_by.
func runPolicyAllows(t *testing.T, policy, request attr.Value) (allowed bool, deniedBy []string, err *function.FuncError) {
	t.Helper()
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{types.DynamicValue(policy), types.DynamicValue(request)})}
	resp := function.RunResponse{Result: function.NewResultData(types.ObjectUnknown(decisionAttrTypes))}
	policyAllowsFunction{}.Run(context.Background(), req, &resp)
	if resp.Error != nil {
		return false, nil, resp.Error
	}
	obj, ok := resp.Result.Value().(types.Object)
	if !ok {
		t.Fatalf("result %T, want an object", resp.Result.Value())
	}
	attrs := obj.Attributes()
	for _, v := range attrs["denied_by"].(types.List).Elements() {
		deniedBy = append(deniedBy, v.(types.String).ValueString())
	}
	return attrs["allowed"].(types.Bool).ValueBool(), deniedBy, nil
}

// literalObject is an object value of the attributes' own types, as an HCL
// object literal arrives.
func literalObject(attrs map[string]attr.Value) types.Object {
	typs := make(map[string]attr.Type, len(attrs))
	for k, v := range attrs {
		typs[k] = v.Type(context.Background())
	}
	return types.ObjectValueMust(typs, attrs)
}

func literalTuple(elems ...attr.Value) types.Tuple {
	typs := make([]attr.Type, len(elems))
	for i, e := range elems {
		typs[i] = e.Type(context.Background())
	}
	return types.TupleValueMust(typs, elems)
}

func literalNumber(f float64) types.Number { return types.NumberValue(big.NewFloat(f)) }

func literalString(s string) types.String { return types.StringValue(s) }

// The function reads effective_policy as is, literals of any shape
// (object, map, tuple, list, set, number or int64) and judges by
// SolarNetwork's rules; absent and null attributes are unset.
func TestPolicyAllowsFunctionUnit(t *testing.T) {
	effective := policyObject(&client.SecurityPolicy{NodeIDs: []int64{1}, MinAggregation: "Month",
		UserMetadataPaths: []string{"/m/**"}, RefreshAllowed: new(bool)})
	for _, c := range []struct {
		name            string
		policy, request attr.Value
		denied          []string // nil: allowed
	}{
		{"effective_policy as is, allowed", effective, literalObject(map[string]attr.Value{"node_id": literalNumber(1), "aggregation": literalString("Year")}), nil},
		{"effective_policy as is, two refusals in the table's order", effective,
			literalObject(map[string]attr.Value{"aggregation": literalString("Day"), "node_id": types.Int64Value(2)}), []string{"node_ids", "min_aggregation"}},
		{"api paths are OR-ed", literalObject(map[string]attr.Value{"api_paths": literalTuple(literalString("/datum/**"), literalString("!/datum/list"))}),
			literalObject(map[string]attr.Value{"api_path": literalString("/datum/list")}), nil},
		{"api paths refuse a path none allows", literalObject(map[string]attr.Value{"api_paths": literalTuple(literalString("/datum/**"))}),
			literalObject(map[string]attr.Value{"api_path": literalString("/user/info")}), []string{"api_paths"}},
		{"a map policy", types.MapValueMust(types.ListType{ElemType: types.StringType}, map[string]attr.Value{
			"source_ids": types.ListValueMust(types.StringType, []attr.Value{literalString("/meter/*"), literalString("/meter/*")})}),
			literalObject(map[string]attr.Value{"source_id": literalString("/inverter/1")}), []string{"source_ids"}},
		{"node ids as a set of numbers", literalObject(map[string]attr.Value{"node_ids": types.SetValueMust(types.NumberType, []attr.Value{literalNumber(7)})}),
			literalObject(map[string]attr.Value{"node_id": literalNumber(7)}), nil},
		{"null attributes are unset", literalObject(map[string]attr.Value{"node_ids": types.ListNull(types.NumberType), "min_aggregation": types.StringNull()}),
			literalObject(map[string]attr.Value{"node_id": literalNumber(99), "aggregation": literalString("None"), "source_id": types.StringNull()}), nil},
		{"an empty policy restricts nothing", literalObject(map[string]attr.Value{}),
			literalObject(map[string]attr.Value{"node_id": literalNumber(7), "api_path": literalString("/x")}), nil},
		{"user metadata on a data token needs paths", literalObject(map[string]attr.Value{"node_ids": literalTuple(literalNumber(1))}),
			literalObject(map[string]attr.Value{"user_metadata_path": literalString("/m/a")}), []string{"user_metadata_paths"}},
		{"user metadata on a User token is not filtered", literalObject(map[string]attr.Value{"node_ids": literalTuple(literalNumber(1))}),
			literalObject(map[string]attr.Value{"user_metadata_path": literalString("/m/a"), "token_type": literalString("User")}), nil},
		{"an empty request", effective, literalObject(map[string]attr.Value{}), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			allowed, denied, err := runPolicyAllows(t, c.policy, c.request)
			if err != nil {
				t.Fatalf("error %q", err.Text)
			}
			if allowed != (c.denied == nil) || !slices.Equal(denied, c.denied) {
				t.Errorf("allowed %v, denied_by %q; want denied_by %q", allowed, denied, c.denied)
			}
		})
	}
}

// Every error names the argument at fault (0 the policy, 1 the request)
// and what is wrong, so a typo is never an unrestricted policy.
func TestPolicyAllowsFunctionErrorsUnit(t *testing.T) {
	empty := literalObject(map[string]attr.Value{})
	policy := func(name string, v attr.Value) attr.Value { return literalObject(map[string]attr.Value{name: v}) }
	for _, c := range []struct {
		name            string
		policy, request attr.Value
		argument        int64 // -1: the function's own error
		want            string
	}{
		{"policy not an object", literalString("node_ids"), empty, 0, "policy must be an object, not basetypes.StringType"},
		{"policy unknown", types.ObjectUnknown(map[string]attr.Type{}), empty, 0, "policy is not known until apply"},
		{"policy attribute misspelt", policy("node_id", literalTuple(literalNumber(1))), empty, 0,
			"policy has no attribute node_id; it may have node_ids, source_ids"},
		{"node id not whole", policy("node_ids", literalTuple(literalNumber(1.5))), empty, 0, "policy.node_ids must be a whole number"},
		{"node id beyond int64", policy("node_ids", literalTuple(types.NumberValue(new(big.Float).SetFloat64(1e19)))), empty, 0,
			"policy.node_ids must be a whole number"},
		{"node id a string", policy("node_ids", literalTuple(literalString("1"))), empty, 0, "policy.node_ids must be a whole number"},
		{"node id unknown", policy("node_ids", literalTuple(types.NumberUnknown())), empty, 0, "policy.node_ids is not known until apply"},
		{"a list that is a string", policy("api_paths", literalString("/datum/**")), empty, 0, "policy.api_paths must be a list or set"},
		{"a list unknown", policy("api_paths", types.ListUnknown(types.StringType)), empty, 0, "policy.api_paths is not known until apply"},
		{"a list element not a string", policy("source_ids", literalTuple(literalNumber(1))), empty, 0, "policy.source_ids element must be a string"},
		{"a level not a string", policy("min_aggregation", literalNumber(1)), empty, 0, "policy.min_aggregation must be a string"},
		{"a flag not a bool", policy("refresh_allowed", literalString("yes")), empty, 0, "policy.refresh_allowed must be a bool"},
		{"request not an object", empty, literalTuple(), 1, "request must be an object"},
		{"request attribute misspelt", empty, literalObject(map[string]attr.Value{"node": literalNumber(1)}), 1,
			"request has no attribute node; it may have node_id, source_id"},
		{"request node id not whole", empty, literalObject(map[string]attr.Value{"node_id": literalNumber(0.5)}), 1, "request.node_id must be a whole number"},
		{"request path not a string", empty, literalObject(map[string]attr.Value{"api_path": literalTuple(literalString("/a"))}), 1, "request.api_path must be a string"},
		{"request type unknown", empty, literalObject(map[string]attr.Value{"token_type": types.StringUnknown()}), 1,
			"request.token_type is not known until apply"},
		{"request aggregation not one of SolarNetwork's", empty, literalObject(map[string]attr.Value{"aggregation": literalString("Daily")}), -1,
			`aggregation "Daily" is not one of`},
		{"policy level not one of SolarNetwork's", policy("min_aggregation", literalString("Daily")), empty, -1, `min_aggregation "Daily" is not one of`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runPolicyAllows(t, c.policy, c.request)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Text, c.want) {
				t.Errorf("error %q, want it to contain %q", err.Text, c.want)
			}
			switch {
			case c.argument < 0 && err.FunctionArgument != nil:
				t.Errorf("error on argument %d, want the function's own", *err.FunctionArgument)
			case c.argument >= 0 && (err.FunctionArgument == nil || *err.FunctionArgument != c.argument):
				t.Errorf("error on argument %v, want %d", err.FunctionArgument, c.argument)
			}
		})
	}
}
