package benchprovider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider"
)

func TestFloorHasTheTokenSchemaAndStoresItsPlan(t *testing.T) {
	ctx := context.Background()
	p := WithFloor(provider.New("test"), "security_token")()
	byName := map[string]resource.Resource{}
	for _, f := range p.Resources(ctx) {
		r := f()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "solarnetwork"}, &md)
		byName[md.TypeName] = r
	}
	token, floor := byName["solarnetwork_security_token"], byName["solarnetwork_floor_token"]
	if token == nil || floor == nil {
		t.Fatalf("resources %v", byName)
	}
	var ts, fs resource.SchemaResponse
	token.Schema(ctx, resource.SchemaRequest{}, &ts)
	floor.Schema(ctx, resource.SchemaRequest{}, &fs)
	if !reflect.DeepEqual(ts.Schema, fs.Schema) {
		t.Fatal("the floor's schema differs from the token's")
	}

	// A plan with values known only after apply becomes a state without any.
	typ := fs.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, tftypes.UnknownValue)
	}
	vals["type"] = tftypes.NewValue(tftypes.String, "ReadNodeData")
	policyType := typ.AttributeTypes["policy"].(tftypes.Object)
	policy := map[string]tftypes.Value{}
	for name, at := range policyType.AttributeTypes {
		policy[name] = tftypes.NewValue(at, nil)
	}
	policy["min_aggregation"] = tftypes.NewValue(tftypes.String, "Hour")
	vals["policy"] = tftypes.NewValue(policyType, policy)
	plan := tfsdk.Plan{Schema: fs.Schema, Raw: tftypes.NewValue(typ, vals)}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: fs.Schema, Raw: tftypes.NewValue(typ, nil)}}
	floor.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if !resp.State.Raw.IsFullyKnown() {
		t.Errorf("state has unknown values: %v", resp.State.Raw)
	}
	var id, typeName, minAggregation string
	resp.State.GetAttribute(ctx, path.Root("id"), &id)
	resp.State.GetAttribute(ctx, path.Root("type"), &typeName)
	resp.State.GetAttribute(ctx, path.Root("effective_policy").AtName("min_aggregation"), &minAggregation)
	if id == "" || typeName != "ReadNodeData" || minAggregation != "Hour" {
		t.Errorf("id %q, type %q, effective min_aggregation %q", id, typeName, minAggregation)
	}
}
