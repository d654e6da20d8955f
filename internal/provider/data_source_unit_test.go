package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// readDataSource runs d's Read on a configuration set from cfg.
func readDataSource[M any](t *testing.T, d datasource.DataSource, cfg M) (M, []string) {
	t.Helper()
	ctx := context.Background()
	var sr datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &sr)
	raw := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)
	state := tfsdk.State{Schema: sr.Schema, Raw: raw}
	if diags := state.Set(ctx, &cfg); diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: state.Raw}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: raw}}
	d.Read(ctx, req, &resp)
	var errs []string
	for _, e := range resp.Diagnostics.Errors() {
		errs = append(errs, e.Summary())
	}
	var out M
	if len(errs) == 0 {
		resp.State.Get(ctx, &out)
	}
	return out, errs
}

func nullTokenData(id string) tokenDataModel {
	return tokenDataModel{
		ID: types.StringValue(id), Type: types.StringNull(), Name: types.StringNull(), Description: types.StringNull(),
		Status: types.StringNull(), ExpiresAt: types.StringNull(), Expired: types.BoolNull(), Created: types.StringNull(),
		UserID: types.Int64Null(), Policy: types.ObjectNull(policyAttrTypes),
	}
}

// The data sources read the run's one list and show a token as the
// resource does; the single-token one fails on an unknown ID, the list one
// filters.
func TestDataSourcesUnit(t *testing.T) {
	r, sim := unitResource(t)
	a := sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{NodeIDs: []int64{1, 2}})
	b := sim.CreateToken(simulator.TypeUser, nil)
	if err := sim.SetStatus(b.ID, simulator.StatusDisabled); err != nil {
		t.Fatal(err)
	}

	one := &tokenDataSource{store: r.store}
	got, errs := readDataSource(t, one, nullTokenData(a.ID))
	if len(errs) > 0 || got.Type.ValueString() != client.TokenTypeReadNodeData {
		t.Fatalf("token %s: %+v %v", a.ID, got, errs)
	}
	if p, _, _ := policyFromObject(context.Background(), got.Policy); p == nil || len(p.NodeIDs) != 2 {
		t.Errorf("policy %v", got.Policy)
	}
	if _, errs := readDataSource(t, one, nullTokenData("no-such-token-000000")); len(errs) != 1 {
		t.Errorf("unknown id: errors %v", errs)
	}

	many := &tokensDataSource{store: r.store}
	filter := tokensDataSourceModel{IDs: types.SetNull(types.StringType), Type: types.StringNull(), Status: types.StringNull()}
	all, errs := readDataSource(t, many, filter)
	if len(errs) > 0 || len(all.Tokens) != 3 {
		t.Fatalf("all tokens: %d %v", len(all.Tokens), errs)
	}
	filter.Status = types.StringValue(client.StatusDisabled)
	disabled, _ := readDataSource(t, many, filter)
	if len(disabled.Tokens) != 1 || disabled.Tokens[0].ID.ValueString() != b.ID {
		t.Errorf("disabled: %+v", disabled.Tokens)
	}
	filter.Status = types.StringNull()
	filter.IDs = types.SetValueMust(types.StringType, []attr.Value{types.StringValue(a.ID), types.StringValue("no-such-token-000000")})
	byID, _ := readDataSource(t, many, filter)
	if len(byID.Tokens) != 1 || byID.Tokens[0].ID.ValueString() != a.ID {
		t.Errorf("by id: %+v", byID.Tokens)
	}
	if n := sim.Count("GET", "/auth-tokens"); n != 1 {
		t.Errorf("%d list requests, want 1 for every read", n)
	}
}
