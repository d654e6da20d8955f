package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// tokenModel is the solarnetwork_security_token resource's state.
type tokenModel struct {
	ID              types.String   `tfsdk:"id"`
	Type            types.String   `tfsdk:"type"`
	Name            types.String   `tfsdk:"name"`
	Description     types.String   `tfsdk:"description"`
	Status          types.String   `tfsdk:"status"`
	ExpirationDate  types.String   `tfsdk:"expiration_date"`
	TimeZone        types.String   `tfsdk:"time_zone"`
	ExpiresAt       types.String   `tfsdk:"expires_at"`
	Policy          types.Object   `tfsdk:"policy"`
	PolicyUpdate    types.String   `tfsdk:"policy_update"`
	EffectivePolicy types.Object   `tfsdk:"effective_policy"`
	Secret          types.String   `tfsdk:"secret"`
	Created         types.String   `tfsdk:"created"`
	UserID          types.Int64    `tfsdk:"user_id"`
	Expired         types.Bool     `tfsdk:"expired"`
	AllowExpired    types.Bool     `tfsdk:"allow_expired"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
	// Lifecycle: rotation.go and on_destroy.go.
	Rotation         types.Object `tfsdk:"rotation"`
	ReadyForRotation types.Bool   `tfsdk:"ready_for_rotation"`
	OnDestroy        types.String `tfsdk:"on_destroy"`
	// secret_encryption.go
	SecretRecipients types.Set    `tfsdk:"secret_recipients"`
	EncryptedSecret  types.String `tfsdk:"encrypted_secret"`
}

// desiredExpiry resolves expiration_date and time_zone, or with rotation
// (m's rotation block, parsed) the creation time plus lifetime; known is
// false while any is unknown.
func (m *tokenModel) desiredExpiry(rotation *rotationSettings, rotationKnown bool) (expiry *time.Time, known bool, err error) {
	if expiry, known, ok := m.rotationExpiry(rotation, rotationKnown); ok {
		return expiry, known, nil
	}
	if m.ExpirationDate.IsUnknown() || m.TimeZone.IsUnknown() {
		return nil, false, nil
	}
	if m.ExpirationDate.IsNull() {
		return nil, true, nil
	}
	t, err := expiration.Resolve(m.ExpirationDate.ValueString(), m.TimeZone.ValueString())
	if err != nil {
		return nil, false, err
	}
	return &t, true, nil
}

// desiredPolicy is the configured policy with the expiry, as sent to
// SolarNetwork; rotation is m's rotation block, parsed.
func (m *tokenModel) desiredPolicy(ctx context.Context, rotation *rotationSettings, rotationKnown bool) (policy *client.SecurityPolicy, known bool, diags diag.Diagnostics) {
	policy, known, diags = policyFromObject(ctx, m.Policy)
	if !known || diags.HasError() {
		return nil, false, diags
	}
	expiry, known, err := m.desiredExpiry(rotation, rotationKnown)
	if err != nil {
		diags.AddAttributeError(pathExpirationDate, "Invalid expiration date", err.Error())
		return nil, false, diags
	}
	if !known {
		return nil, false, diags
	}
	if expiry != nil {
		if policy == nil {
			policy = &client.SecurityPolicy{}
		}
		policy.NotAfter = expiry
	}
	return policy, true, diags
}

// effective is the policy SolarNetwork holds, per state, expiry included.
func (m *tokenModel) effective(ctx context.Context) (*client.SecurityPolicy, diag.Diagnostics) {
	p, _, diags := policyFromObject(ctx, m.EffectivePolicy)
	if !m.ExpiresAt.IsNull() && !m.ExpiresAt.IsUnknown() {
		t, err := time.Parse(time.RFC3339Nano, m.ExpiresAt.ValueString())
		if err == nil {
			if p == nil {
				p = &client.SecurityPolicy{}
			}
			p.NotAfter = &t
		}
	}
	return p, diags
}

// owned is what Terraform managed in merge mode at the last apply: the
// configured policy and, if expiration_date or rotation was set, the expiry. Outside
// merge mode Terraform owned nothing that merge planning may remove, so
// switching to merge never drops a restriction.
func (m *tokenModel) owned(ctx context.Context) (*client.SecurityPolicy, diag.Diagnostics) {
	if m.PolicyUpdate.ValueString() != policyUpdateMerge {
		return nil, nil
	}
	p, _, diags := policyFromObject(ctx, m.Policy)
	if !m.ExpirationDate.IsNull() || !m.Rotation.IsNull() {
		if p == nil {
			p = &client.SecurityPolicy{}
		}
		// Any non-nil value marks the expiry as owned.
		t := time.Time{}
		p.NotAfter = &t
	}
	return p, diags
}

// setFromToken copies what SolarNetwork returned into the model.
// The secret is never returned after create, so it is left alone.
func (m *tokenModel) setFromToken(t *client.SecurityToken) {
	m.ID = types.StringValue(t.ID)
	m.Type = types.StringValue(t.Type)
	m.Name = stringOrNull(t.Name)
	m.Description = stringOrNull(t.Description)
	m.Status = types.StringValue(t.Status)
	m.Created = types.StringValue(expiration.FormatCreated(t.Created))
	m.UserID = types.Int64Value(t.UserID)
	m.setPolicyFromToken(t)
}

// setPolicyFromToken copies the policy SolarNetwork holds: effective_policy,
// expires_at and expired.
func (m *tokenModel) setPolicyFromToken(t *client.SecurityToken) {
	m.Expired = types.BoolValue(t.Expired)
	m.EffectivePolicy = policyToObject(t.Policy)
	m.ExpiresAt = types.StringNull()
	if t.Policy != nil && t.Policy.NotAfter != nil {
		m.ExpiresAt = types.StringValue(expiration.FormatInstant(*t.Policy.NotAfter))
	}
}
