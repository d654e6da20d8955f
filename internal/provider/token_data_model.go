package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// tokenDataModel is one token as the data sources show it: what the
// resource reads from SolarNetwork, without the configuration-only
// attributes and never the secret (SolarNetwork returns it only on create).
type tokenDataModel struct {
	ID          types.String `tfsdk:"id"`
	Type        types.String `tfsdk:"type"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Status      types.String `tfsdk:"status"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
	Expired     types.Bool   `tfsdk:"expired"`
	Created     types.String `tfsdk:"created"`
	UserID      types.Int64  `tfsdk:"user_id"`
	Policy      types.Object `tfsdk:"policy"`
}

// tokenDataFromToken converts t exactly as the resource reads it, so a data
// source and the resource show the same values for the same token.
func tokenDataFromToken(t *client.SecurityToken) tokenDataModel {
	var m tokenModel
	m.setFromToken(t)
	return tokenDataModel{
		ID:          m.ID,
		Type:        m.Type,
		Name:        m.Name,
		Description: m.Description,
		Status:      m.Status,
		ExpiresAt:   m.ExpiresAt,
		Expired:     m.Expired,
		Created:     m.Created,
		UserID:      m.UserID,
		Policy:      m.EffectivePolicy,
	}
}

// tokenDataAttributes are the computed attributes of one token, all but
// id, whose kind differs between the two data sources.
func tokenDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"type": schema.StringAttribute{
			Computed:    true,
			Description: "`User` (manages the account, including tokens) or `ReadNodeData` (reads data only).",
		},
		"name": schema.StringAttribute{
			Computed:    true,
			Description: "The token's short name. Null when it has none.",
		},
		"description": schema.StringAttribute{
			Computed:    true,
			Description: "The token's description. Null when it has none.",
		},
		"status": schema.StringAttribute{
			Computed:    true,
			Description: "`Active` or `Disabled`. A disabled token cannot authenticate.",
		},
		"expires_at": schema.StringAttribute{
			Computed: true,
			Description: "The instant the token expires, in RFC 3339 UTC, as SolarNetwork holds it (the policy's `notAfter`). " +
				"Null when the token never expires.",
		},
		"expired": schema.BoolAttribute{
			Computed:    true,
			Description: "Whether `expires_at` has passed, as of this read. An expired token cannot authenticate.",
		},
		"created": schema.StringAttribute{
			Computed:    true,
			Description: "When the token was created, RFC 3339 UTC with microseconds.",
		},
		"user_id": schema.Int64Attribute{
			Computed:    true,
			Description: "The ID of the SolarNetwork user that owns the token.",
		},
		"policy": schema.SingleNestedAttribute{
			Computed: true,
			Description: "The policy SolarNetwork holds for the token, shaped like the `effective_policy` of the " +
				"`solarnetwork_security_token` resource. Null when the token is unrestricted. The expiry is in `expires_at`.",
			Attributes: dataSourcePolicyAttributes(),
		},
	}
}
