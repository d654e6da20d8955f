package provider

import (
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
