package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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

	return []tokenModel{created, stored, empty, partlyUnknown, unknownPolicy, everyAttributeSet()}
}

// everyAttributeSet is a token with every attribute known, not null and not
// its default, so an attribute the fast path forgets reads as null and
// fails the comparison. TestEveryAttributeSetIsComplete holds it to that.
func everyAttributeSet() tokenModel {
	refresh := false
	expiry := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	policy := policyToObject(&client.SecurityPolicy{
		NodeIDs: []int64{7}, SourceIDs: []string{"/s/**"}, APIPaths: []string{"/datum/**"}, RefreshAllowed: &refresh, NotAfter: &expiry,
	})
	tt := timeoutsType().(timeouts.Type)
	limits, _ := tt.ValueFromObject(context.Background(), types.ObjectValueMust(tt.AttrTypes, map[string]attr.Value{
		"create": types.StringValue("1m"), "read": types.StringValue("2m"), "update": types.StringValue("3m"), "delete": types.StringValue("4m"),
	}))
	rotation := types.ObjectValueMust(rotationType().(types.ObjectType).AttrTypes, map[string]attr.Value{
		"lifetime": types.StringValue("30d"), "rotate_before": types.StringValue("7d"), "overlap": types.StringValue("1h"),
	})
	return tokenModel{
		ID: types.StringValue("abcdefghij0123456789"), Type: types.StringValue(client.TokenTypeReadNodeData),
		Name: types.StringValue("Dashboard"), Description: types.StringValue("d"), Status: types.StringValue(client.StatusDisabled),
		ExpirationDate: types.StringValue("2031-01-01"), TimeZone: types.StringValue("Pacific/Auckland"),
		ExpiresAt: types.StringValue("2030-12-31T11:00:00Z"), Policy: policy, PolicyUpdate: types.StringValue(policyUpdateMerge),
		EffectivePolicy: policy, Secret: types.StringValue("s3cret"), Created: types.StringValue("2025-01-01T00:00:00.000000Z"),
		UserID: types.Int64Value(123), Expired: types.BoolValue(true), AllowExpired: types.BoolValue(true),
		Timeouts: limits.(timeouts.Value), Rotation: rotation, ReadyForRotation: types.BoolValue(true),
		OnDestroy: types.StringValue(onDestroyDisable), SecretRecipients: types.SetValueMust(types.StringType,
			[]attr.Value{types.StringValue("age1recipient")}), EncryptedSecret: types.StringValue("-----BEGIN AGE ENCRYPTED FILE-----"),
	}
}

// Every field of tokenModel has a value in everyAttributeSet that reading
// or writing cannot produce by leaving it out: known, not null, not the
// type's zero (false, 0, "", empty) and not the schema's default. A new
// attribute fails here until the fixture sets it, and then
// TestTokenModelRawMatchesReflection fails until model_raw.go has it.
func TestEveryAttributeSetIsComplete(t *testing.T) {
	ctx := context.Background()
	s := tokenResourceSchema()
	m := reflect.ValueOf(everyAttributeSet())
	for i := range m.NumField() {
		name := m.Type().Field(i).Tag.Get("tfsdk")
		v, ok := m.Field(i).Interface().(attr.Value)
		if !ok {
			t.Fatalf("tokenModel.%s is not an attr.Value", m.Type().Field(i).Name)
		}
		if v.IsNull() || v.IsUnknown() || isZeroValue(v) {
			t.Errorf("%s is %v in everyAttributeSet: give it a value that is not null, unknown, zero or empty", name, v)
			continue
		}
		if def, ok := schemaDefault(ctx, t, s, name); ok && v.Equal(def) {
			t.Errorf("%s is its schema default %v in everyAttributeSet: give it another value", name, v)
		}
	}
}

// differingAttributes names the attributes in which a and b differ.
func differingAttributes(a, b tokenModel) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var names []string
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			names = append(names, va.Type().Field(i).Tag.Get("tfsdk"))
		}
	}
	return names
}

// isZeroValue reports a known value that a missing attribute could be
// mistaken for.
func isZeroValue(v attr.Value) bool {
	switch v := v.(type) {
	case basetypes.StringValue:
		return v.ValueString() == ""
	case basetypes.BoolValue:
		return !v.ValueBool()
	case basetypes.Int64Value:
		return v.ValueInt64() == 0
	case basetypes.SetValue:
		return len(v.Elements()) == 0
	case basetypes.ObjectValuable:
		obj, _ := v.ToObjectValue(context.Background())
		for _, a := range obj.Attributes() {
			if !a.IsNull() {
				return false
			}
		}
		return true
	}
	return false
}

// schemaDefault is the default the resource schema gives attribute name.
func schemaDefault(ctx context.Context, t *testing.T, s rschema.Schema, name string) (attr.Value, bool) {
	switch a := s.Attributes[name].(type) {
	case rschema.StringAttribute:
		if a.Default != nil {
			var resp defaults.StringResponse
			a.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
			return resp.PlanValue, true
		}
	case rschema.BoolAttribute:
		if a.Default != nil {
			var resp defaults.BoolResponse
			a.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
			return resp.PlanValue, true
		}
	case rschema.Int64Attribute:
		if a.Default != nil {
			var resp defaults.Int64Response
			a.Default.DefaultInt64(ctx, defaults.Int64Request{}, &resp)
			return resp.PlanValue, true
		}
	case nil: // a block
	default:
		if d := reflect.ValueOf(a).FieldByName("Default"); d.IsValid() && !d.IsNil() {
			t.Fatalf("%s has a default of a kind this test does not read: teach schemaDefault it", name)
		}
	}
	return nil, false
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
			t.Errorf("model %d: readTokenModel differs from Get in %v\n%+v\nGet\n%+v", i, differingAttributes(got, viaGet), got, viaGet)
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
