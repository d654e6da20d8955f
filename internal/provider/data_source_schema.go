package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// tokenDataAttributes are the computed attributes of one token, all but
// id, whose kind differs between the two data sources.
func tokenDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"type": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "`User` (manages the account, including tokens) or `ReadNodeData` (reads data only).",
		},
		"name": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "The token's short name. Null when it has none.",
		},
		"description": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "The token's description. Null when it has none.",
		},
		"status": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "`Active` or `Disabled`. A disabled token cannot authenticate.",
		},
		"expires_at": schema.StringAttribute{
			Computed: true,
			MarkdownDescription: "The instant the token expires, in RFC 3339 UTC, as SolarNetwork holds it (the policy's `notAfter`). " +
				"Null when the token never expires.",
		},
		"expired": schema.BoolAttribute{
			Computed:            true,
			MarkdownDescription: "Whether `expires_at` has passed, as of this read. An expired token cannot authenticate.",
		},
		"created": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "When the token was created, RFC 3339 UTC with microseconds.",
		},
		"user_id": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "The ID of the SolarNetwork user that owns the token.",
		},
		"policy": schema.SingleNestedAttribute{
			Computed: true,
			MarkdownDescription: "The policy SolarNetwork holds for the token, shaped like the `effective_policy` of the " +
				"`solarnetwork_security_token` resource. Null when the token is unrestricted. The expiry is in `expires_at`.",
			Attributes: dataSourcePolicyAttributes(),
		},
	}
}
