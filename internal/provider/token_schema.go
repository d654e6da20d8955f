package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

// tokenStateVersion is the version of the resource's state. State written
// by 0.1.0 is version 0. A change that an older state would not decode into
// (an attribute removed, renamed or of another type) raises it, adds a
// testdata/state-vN.json written by the release before, and adds the
// upgrader from each older version to UpgradeState; TestStateOfEveryVersion
// fails until both are there.
const tokenStateVersion = 0

// tokenResourceSchema is built once: every call returns the same schema,
// which nothing modifies.
var tokenResourceSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		Version: tokenStateVersion,
		MarkdownDescription: "A SolarNetwork security token and its security policy. Creating it generates the token and its secret " +
			"(shown by SolarNetwork only once, kept in state as a sensitive value, or only encrypted with `secret_recipients`); " +
			"the policy restricts what the token may do.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The token ID (20 characters), used as the credential in signed requests and to import the token.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`User` (manages the account, including tokens) or `ReadNodeData` (reads data only). " +
					"SolarNetwork cannot change a token's type: changing it replaces the token, with a new ID and secret.",
				Validators:    []validator.String{stringvalidator.OneOf(client.TokenTypeUser, client.TokenTypeReadNodeData)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A short name, at most 128 characters. Omit it for none.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(128), validate.NotBlank()},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A description, at most 512 characters. Omit it for none.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(512), validate.NotBlank()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(client.StatusActive),
				MarkdownDescription: "`Active` (default) or `Disabled`. A disabled token cannot authenticate; changing this " +
					"does not replace the token.",
				Validators: []validator.String{stringvalidator.OneOf(client.StatusActive, client.StatusDisabled)},
			},
			"expiration_date": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "When the token expires, as " + expiration.Formats + ". A date alone means midnight. " +
					"Values without an offset are read in `time_zone`. Omit it for a token that never expires. " +
					"Writing the same instant differently changes nothing on SolarNetwork.",
				Validators: []validator.String{validate.ExpirationDate()},
			},
			"time_zone": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The zone `expiration_date` is read in when it has no offset: an IANA name such as " +
					"`Pacific/Auckland`, `UTC`, or an offset such as `-05:00`. Omit it for UTC (never the machine's zone, " +
					"so a plan is the same wherever it runs); an empty value is refused.",
				Validators: []validator.String{
					validate.TimeZone(),
					stringvalidator.AlsoRequires(path.MatchRoot("expiration_date")),
				},
			},
			"allow_expired": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Set to `true` to create a token whose `expiration_date` has already passed, for example to test " +
					"how clients handle an expired token. Without it, planning a new token with a past expiry is an error, as " +
					"SolarNetwork would refuse the token from the start; for an existing token a past expiry is a warning. It " +
					"changes nothing on SolarNetwork.",
			},
			"expires_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The instant the token expires, in RFC 3339 UTC, as SolarNetwork holds it (the policy's `notAfter`). " +
					"Null when the token never expires.",
			},
			"policy_update": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(policyUpdateReplace),
				MarkdownDescription: "How changes reach the policy. `replace` (default): Terraform owns the whole policy, and " +
					"restrictions added elsewhere are removed at the next apply. `merge` (what `s10k sec-tokens update` does " +
					"without `--replace`): Terraform owns only the restrictions it configures; ones added elsewhere are kept and " +
					"shown in `effective_policy`. Switching to `merge` never removes anything.",
				Validators: []validator.String{stringvalidator.OneOf(policyUpdateReplace, policyUpdateMerge)},
			},
			"effective_policy": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "The policy SolarNetwork holds (planned: will hold after apply), including restrictions " +
					"made outside Terraform in merge mode. Null when the token is unrestricted. The expiry is in `expires_at`.",
				Attributes: resourcePolicyAttributes(true),
			},
			"secret": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The token secret. SolarNetwork returns it only when the token is created; Terraform keeps it " +
					"in state from then on. It is null for an imported token, and with `secret_recipients` (see `encrypted_secret`). " +
					"Replacing the token makes a new secret.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the token was created, RFC 3339 UTC with microseconds.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "The ID of the SolarNetwork user that owns the token.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"expired": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether `expires_at` has passed, as of the last refresh. An expired token cannot authenticate.",
			},
			"ready_for_rotation": readyForRotationAttribute(),
			"on_destroy":         onDestroyAttribute(),
			"secret_recipients":  secretRecipientsAttribute(),
			"encrypted_secret":   encryptedSecretAttribute(),
		},
		Blocks: map[string]schema.Block{
			// A block, not a nested attribute: Terraform refuses a misspelled
			// argument inside a block, where an object attribute would drop it
			// silently and make a less restricted token than written.
			"policy": schema.SingleNestedBlock{
				MarkdownDescription: "The restrictions Terraform manages. With `policy_update = \"replace\"` this is the whole policy; " +
					"with `\"merge\"` it is what Terraform adds to the policy. Omit the block (with replace) for an unrestricted token. " +
					"A misspelled argument inside the block is an error.",
				Attributes: resourcePolicyAttributes(false),
			},
			"timeouts": resourceTimeoutsBlock(),
			"rotation": rotationBlock(),
		},
	}
})
