package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The calls a plan makes once per token (ValidateConfig, Read, ModifyPlan)
// convert tokenModel to and from the framework's raw value here rather than
// with Get and Set. Those do the same through reflection, which compiles a
// regular expression for every struct field on every call: at a thousand
// tokens that was a large share of a plan's time and allocations. The
// result is the same value: each attribute goes through its type's
// ValueFromTerraform and ToTerraformValue, as reflection does.

var policyObjectType = types.ObjectType{AttrTypes: policyAttrTypes}

var recipientSetType = types.SetType{ElemType: types.StringType}

// tokenRawType is the resource schema's Terraform type.
var tokenRawType = sync.OnceValue(func() tftypes.Object {
	t, _ := tokenResourceSchema().Type().TerraformType(context.Background()).(tftypes.Object)
	return t
})

// timeoutsType is the timeouts block's type.
var timeoutsType = sync.OnceValue(func() attr.Type {
	return tokenResourceSchema().Blocks["timeouts"].Type()
})

// rotationType is the rotation block's type.
var rotationType = sync.OnceValue(func() attr.Type {
	return tokenResourceSchema().Blocks["rotation"].Type()
})

// readTokenModel sets m from a plan, state or configuration's raw value.
func readTokenModel(ctx context.Context, raw tftypes.Value, m *tokenModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered reading the token. This is always an error in the provider.\n\n"+err.Error())
		return diags
	}
	get := func(name string, typ attr.Type) attr.Value {
		v, err := typ.ValueFromTerraform(ctx, attrs[name])
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered reading the token's %s. This is always an error in the provider.\n\n%s", name, err))
		}
		return v
	}
	str := func(name string) types.String {
		v, _ := get(name, types.StringType).(basetypes.StringValue)
		return v
	}
	obj := func(name string) types.Object {
		v, _ := get(name, policyObjectType).(basetypes.ObjectValue)
		return v
	}
	m.ID = str("id")
	m.Type = str("type")
	m.Name = str("name")
	m.Description = str("description")
	m.Status = str("status")
	m.ExpirationDate = str("expiration_date")
	m.TimeZone = str("time_zone")
	m.ExpiresAt = str("expires_at")
	m.Policy = obj("policy")
	m.PolicyUpdate = str("policy_update")
	m.EffectivePolicy = obj("effective_policy")
	m.Secret = str("secret")
	m.Created = str("created")
	m.UserID, _ = get("user_id", types.Int64Type).(basetypes.Int64Value)
	m.Expired, _ = get("expired", types.BoolType).(basetypes.BoolValue)
	m.AllowExpired, _ = get("allow_expired", types.BoolType).(basetypes.BoolValue)
	m.Timeouts, _ = get("timeouts", timeoutsType()).(timeouts.Value)
	m.Rotation, _ = get("rotation", rotationType()).(basetypes.ObjectValue)
	m.ReadyForRotation, _ = get("ready_for_rotation", types.BoolType).(basetypes.BoolValue)
	m.OnDestroy = str("on_destroy")
	m.SecretRecipients, _ = get("secret_recipients", recipientSetType).(basetypes.SetValue)
	m.EncryptedSecret = str("encrypted_secret")
	return diags
}

// tokenModelRaw is m as the framework's raw value.
func tokenModelRaw(ctx context.Context, m *tokenModel) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	attrs := make(map[string]tftypes.Value, 22)
	for name, v := range map[string]attr.Value{
		"id": m.ID, "type": m.Type, "name": m.Name, "description": m.Description, "status": m.Status,
		"expiration_date": m.ExpirationDate, "time_zone": m.TimeZone, "expires_at": m.ExpiresAt,
		"policy": m.Policy, "policy_update": m.PolicyUpdate, "effective_policy": m.EffectivePolicy,
		"secret": m.Secret, "created": m.Created, "user_id": m.UserID, "expired": m.Expired,
		"allow_expired": m.AllowExpired, "timeouts": m.Timeouts,
		"rotation": m.Rotation, "ready_for_rotation": m.ReadyForRotation, "on_destroy": m.OnDestroy,
		"secret_recipients": m.SecretRecipients, "encrypted_secret": m.EncryptedSecret,
	} {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered writing the token's %s. This is always an error in the provider.\n\n%s", name, err))
			continue
		}
		attrs[name] = tv
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(tokenRawType(), attrs), diags
}

// writeTokenModel sets a plan or state's raw value to m.
func writeTokenModel(ctx context.Context, raw *tftypes.Value, m *tokenModel) diag.Diagnostics {
	v, diags := tokenModelRaw(ctx, m)
	if !diags.HasError() {
		*raw = v
	}
	return diags
}
