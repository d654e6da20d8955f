package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// rawTestModels are models with every kind of value: known, null, unknown,
// and policies empty, partial, full and partly unknown.
func rawTestModels() []tokenModel {
	refresh := true
	expiry := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	full := &client.SecurityPolicy{
		NodeIDs: []int64{3, 1}, SourceIDs: []string{"/a/**", "/b"}, MinAggregation: "Hour",
		LocationPrecisions: []string{"Block"}, NodeMetadataPaths: []string{"/pm/**"}, UserMetadataPaths: []string{"/m/*"},
		APIPaths: []string{"/datum/**"}, RefreshAllowed: &refresh, NotAfter: &expiry,
	}
	created := newModel()

	stored := newModel()
	stored.ID, stored.Name = types.StringValue("abcdefghij0123456789"), types.StringValue("Dashboard")
	stored.ExpirationDate, stored.TimeZone = types.StringValue("2031-01-01"), types.StringValue("UTC")
	stored.ExpiresAt, stored.Expired = types.StringValue("2031-01-01T00:00:00Z"), types.BoolValue(false)
	stored.Policy, stored.EffectivePolicy = policyToObject(full), policyToObject(full)
	stored.Secret, stored.Created, stored.UserID = types.StringValue("s3cret"), types.StringValue("2025-01-01T00:00:00.000000Z"), types.Int64Value(123)

	empty := stored
	empty.Policy, empty.EffectivePolicy = emptyPolicyObject(), types.ObjectNull(policyAttrTypes)
	empty.Description, empty.PolicyUpdate = types.StringValue("d"), types.StringValue(policyUpdateMerge)

	partlyUnknown := stored
	attrs := policyToObject(full).Attributes()
	attrs["node_ids"] = types.SetUnknown(nodeIDElemType)
	attrs["source_ids"] = types.SetValueMust(types.StringType, []attr.Value{types.StringValue("/a"), types.StringUnknown()})
	partlyUnknown.Policy = types.ObjectValueMust(policyAttrTypes, attrs)
	partlyUnknown.Policy = types.ObjectValueMust(policyAttrTypes, attrs)
	partlyUnknown.UserID = types.Int64Unknown()

	unknownPolicy := stored
	unknownPolicy.Policy = types.ObjectUnknown(policyAttrTypes)

	return []tokenModel{created, stored, empty, partlyUnknown, unknownPolicy}
}

// readTokenModel and writeTokenModel give exactly what the framework's
// reflection-based Get and Set give.
func TestTokenModelRawMatchesReflection(t *testing.T) {
	ctx := context.Background()
	for i, m := range rawTestModels() {
		viaSet := tfsdk.State{Schema: tokenResourceSchema(), Raw: nullRaw()}
		if d := viaSet.Set(ctx, &m); d.HasError() {
			t.Fatalf("model %d: Set: %v", i, d)
		}
		var raw = nullRaw()
		if d := writeTokenModel(ctx, &raw, &m); d.HasError() {
			t.Fatalf("model %d: writeTokenModel: %v", i, d)
		}
		if !raw.Equal(viaSet.Raw) {
			t.Errorf("model %d: writeTokenModel\n%v\nSet\n%v", i, raw, viaSet.Raw)
		}

		var viaGet, got tokenModel
		if d := viaSet.Get(ctx, &viaGet); d.HasError() {
			t.Fatalf("model %d: Get: %v", i, d)
		}
		if d := readTokenModel(ctx, viaSet.Raw, &got); d.HasError() {
			t.Fatalf("model %d: readTokenModel: %v", i, d)
		}
		if !reflect.DeepEqual(got, viaGet) {
			t.Errorf("model %d: readTokenModel\n%+v\nGet\n%+v", i, got, viaGet)
		}
	}
}

// A known policy object reads as a policy that writes back as the same
// object: the conversion loses no attribute.
func TestPolicyObjectRoundTrip(t *testing.T) {
	ctx := context.Background()
	for i, m := range rawTestModels() {
		for _, obj := range []types.Object{m.Policy, m.EffectivePolicy} {
			if obj.IsNull() || hasUnknown(obj) {
				continue
			}
			p, known, d := policyFromObject(ctx, obj)
			if d.HasError() || !known {
				t.Fatalf("model %d: %v known=%v", i, d, known)
			}
			if back := policyObject(p); !back.Equal(obj) {
				t.Errorf("model %d: %v reads as %+v, written back as %v", i, obj, p, back)
			}
		}
	}
}

func TestPolicyFromObjectRefusesAnotherShape(t *testing.T) {
	obj := types.ObjectValueMust(map[string]attr.Type{"node_ids": types.StringType}, map[string]attr.Value{"node_ids": types.StringValue("1")})
	if _, _, d := policyFromObject(context.Background(), obj); !d.HasError() {
		t.Error("a policy object of another shape was read without an error")
	}
}
