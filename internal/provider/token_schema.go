package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

func quoted(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}

func tokenResourceSchema() schema.Schema {
	return schema.Schema{
		Description: "A SolarNetwork security token and its security policy. Creating it generates the token and its secret " +
			"(shown by SolarNetwork only once, kept in state as a sensitive value); the policy restricts what the token may do.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "The token ID (20 characters), used as the credential in signed requests and to import the token.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"type": schema.StringAttribute{
				Required: true,
				Description: "`User` (manages the account, including tokens) or `ReadNodeData` (reads data only). " +
					"SolarNetwork cannot change a token's type: changing it replaces the token, with a new ID and secret.",
				Validators:    []validator.String{stringvalidator.OneOf(client.TokenTypeUser, client.TokenTypeReadNodeData)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Optional:    true,
				Description: "A short name, at most 128 characters. Omit it for none.",
				Validators:  []validator.String{stringvalidator.LengthAtMost(128), notBlankValidator{}},
			},
			"description": schema.StringAttribute{
				Optional:    true,
				Description: "A description, at most 512 characters. Omit it for none.",
				Validators:  []validator.String{stringvalidator.LengthAtMost(512), notBlankValidator{}},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(client.StatusActive),
				Description: "`Active` (default) or `Disabled`. A disabled token cannot authenticate; changing this " +
					"does not replace the token.",
				Validators: []validator.String{stringvalidator.OneOf(client.StatusActive, client.StatusDisabled)},
			},
			"expiration_date": schema.StringAttribute{
				Optional: true,
				Description: "When the token expires, as " + expirationFormats + ". A date alone means midnight. " +
					"Values without an offset are read in `time_zone`. Omit it for a token that never expires. " +
					"Writing the same instant differently changes nothing on SolarNetwork.",
				Validators: []validator.String{expirationDateValidator{}},
			},
			"time_zone": schema.StringAttribute{
				Optional: true,
				Description: "The zone `expiration_date` is read in when it has no offset: an IANA name such as " +
					"`Pacific/Auckland`, `UTC`, or an offset such as `-05:00`. Defaults to UTC, never the machine's zone, " +
					"so a plan is the same wherever it runs.",
				Validators: []validator.String{
					timeZoneValidator{},
					stringvalidator.AlsoRequires(path.MatchRoot("expiration_date")),
				},
			},
			"expires_at": schema.StringAttribute{
				Computed: true,
				Description: "The instant the token expires, in RFC 3339 UTC, as SolarNetwork holds it (the policy's `notAfter`). " +
					"Null when the token never expires.",
			},
			"policy": schema.SingleNestedAttribute{
				Optional: true,
				Description: "The restrictions Terraform manages. With `policy_update = \"replace\"` this is the whole policy; " +
					"with `\"merge\"` it is what Terraform adds to the policy. Omit it (with replace) for an unrestricted token.",
				Attributes: policySchemaAttributes(),
			},
			"policy_update": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(policyUpdateReplace),
				Description: "How changes reach the policy. `replace` (default): Terraform owns the whole policy, and " +
					"restrictions added elsewhere are removed at the next apply. `merge` (what `s10k sec-tokens update` does " +
					"without `--replace`): Terraform owns only the restrictions it configures; ones added elsewhere are kept and " +
					"shown in `effective_policy`. Switching to `merge` never removes anything.",
				Validators: []validator.String{stringvalidator.OneOf(policyUpdateReplace, policyUpdateMerge)},
			},
			"effective_policy": schema.SingleNestedAttribute{
				Computed: true,
				Description: "The policy SolarNetwork holds (planned: will hold after apply), including restrictions " +
					"made outside Terraform in merge mode. Null when the token is unrestricted. The expiry is in `expires_at`.",
				Attributes: computedPolicySchemaAttributes(),
			},
			"secret": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				Description: "The token secret. SolarNetwork returns it only when the token is created, so it is kept from " +
					"state from then on; it is null for an imported token. Replacing the token makes a new secret.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created": schema.StringAttribute{
				Computed:      true,
				Description:   "When the token was created, RFC 3339 UTC with microseconds.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.Int64Attribute{
				Computed:      true,
				Description:   "The ID of the SolarNetwork user that owns the token.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"expired": schema.BoolAttribute{
				Computed:    true,
				Description: "Whether `expires_at` has passed, as of the last refresh. An expired token cannot authenticate.",
			},
		},
	}
}

// policySchemaAttributes is the configurable policy, with plan-time
// validation of every value.
func policySchemaAttributes() map[string]schema.Attribute {
	set := func(desc string, elemValidators ...validator.String) schema.SetAttribute {
		return schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Description: desc,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(elemValidators...)},
		}
	}
	str := func(desc string, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Description: desc, Validators: v}
	}
	aggregations := client.AggregationNames()
	precisions := client.LocationPrecisionNames()
	return map[string]schema.Attribute{
		"node_ids": schema.SetAttribute{
			ElementType: types.Int64Type, Optional: true,
			Description: "Node IDs the token may read. Each must be a node of the account when the token is created.",
			Validators:  []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueInt64sAre(int64validator.AtLeast(1))},
		},
		"source_ids": set("Source IDs the token may read; wildcards `?`, `*` (within a segment) and `**` (any segments) are allowed, e.g. `/REGION1/**`.",
			sourceIDPattern()),
		"min_aggregation": str("The finest aggregation the token may read; every coarser one is allowed too. One of "+quoted(aggregations)+". Conflicts with `aggregations`.",
			stringvalidator.OneOf(aggregations...), stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("aggregations"))),
		"aggregations": set("The exact aggregations the token may read, each one of "+quoted(aggregations)+". Conflicts with `min_aggregation`.",
			stringvalidator.OneOf(aggregations...)),
		"min_location_precision": str("The most precise location the token may see; every coarser precision is allowed too. One of "+quoted(precisions)+". Conflicts with `location_precisions`.",
			stringvalidator.OneOf(precisions...), stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("location_precisions"))),
		"location_precisions": set("The exact location precisions the token may see, each one of "+quoted(precisions)+". Conflicts with `min_location_precision`.",
			stringvalidator.OneOf(precisions...)),
		"node_metadata_paths": set("Node metadata paths the token may read, starting with `/`, e.g. `/pm/public/**`.",
			metadataPathPattern()),
		"user_metadata_paths": set("User metadata paths the token may read, starting with `/`, e.g. `/m/public/*`.",
			metadataPathPattern()),
		"api_paths": set("API paths the token may call, relative to `/api/v1/sec` and starting with `/`, e.g. `/user/auth-tokens/**`; a leading `!` denies a path instead. Works for both token types.",
			apiPathPattern()),
		"refresh_allowed": schema.BoolAttribute{
			Optional:    true,
			Description: "Whether signing keys for the token may be refreshed (the s10k `-r` option). Omit it to leave it unset.",
		},
	}
}

// computedPolicySchemaAttributes is effective_policy: the policy as
// SolarNetwork holds it, described as read back.
func computedPolicySchemaAttributes() map[string]schema.Attribute {
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
