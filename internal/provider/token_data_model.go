package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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
			Attributes: policyDataSourceAttributes(),
		},
	}
}

// computedPolicyDescriptions describe a policy as read back (the
// resource's effective_policy and the data sources' policy): a null
// attribute is a restriction the policy does not make.
var computedPolicyDescriptions = map[string]string{
	"node_ids": "Node IDs the token may read. Null when the token is not limited to certain nodes.",
	"source_ids": "Source IDs the token may read; wildcards `?`, `*` (within a segment) and `**` (any segments) " +
		"are allowed, e.g. `/REGION1/**`. Null when the token is not limited to certain sources.",
	"min_aggregation": "The finest aggregation the token may read; every coarser one is allowed too. One of " +
		quoted(client.AggregationNames()) + ". Null when unset.",
	"aggregations": "The exact aggregations the token may read, each one of " + quoted(client.AggregationNames()) +
		". Null when unset, and always null when `min_aggregation` is set.",
	"min_location_precision": "The most precise location the token may see; every coarser precision is allowed too. One of " +
		quoted(client.LocationPrecisionNames()) + ". Null when unset.",
	"location_precisions": "The exact location precisions the token may see, each one of " + quoted(client.LocationPrecisionNames()) +
		". Null when unset, and always null when `min_location_precision` is set.",
	"node_metadata_paths": "Node metadata paths the token may read, starting with `/`, e.g. `/pm/public/**`. Null when unset.",
	"user_metadata_paths": "User metadata paths the token may read, starting with `/`, e.g. `/m/public/*`. Null when unset.",
	"api_paths": "API paths the token may call, relative to `/api/v1/sec` and starting with `/`, e.g. " +
		"`/user/auth-tokens/**`; a leading `!` denies a path instead. Null when unset.",
	"refresh_allowed": "Whether signing keys for the token may be refreshed (the s10k `-r` option). Null when unset.",
}

// policyDataSourceAttributes is the data source schema equivalent of the
// resource's computed policy attributes (computedPolicySchemaAttributes).
func policyDataSourceAttributes() map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(policyAttrTypes))
	for name, typ := range policyAttrTypes {
		desc := computedPolicyDescriptions[name]
		switch t := typ.(type) {
		case types.SetType:
			out[name] = schema.SetAttribute{ElementType: t.ElemType, Computed: true, Description: desc}
		case basetypes.BoolType:
			out[name] = schema.BoolAttribute{Computed: true, Description: desc}
		default:
			out[name] = schema.StringAttribute{Computed: true, Description: desc}
		}
	}
	return out
}

// dataSourceStore is the data sources' Configure: the provider's data is
// the run's shared token store. It returns nil before the provider is
// configured.
func dataSourceStore(providerData any, diags *diag.Diagnostics) *client.TokenStore {
	if providerData == nil {
		return nil
	}
	store, ok := providerData.(*client.TokenStore)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *client.TokenStore, got %T", providerData))
		return nil
	}
	return store
}
