package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

// Values of guardrails.enforcement.
const (
	enforceError = "error"
	enforceWarn  = "warn"
)

// guardrailsModel is the provider block's guardrails block as written.
type guardrailsModel struct {
	MaxLifetime                  types.String `tfsdk:"max_lifetime"`
	RequireExpiration            types.Bool   `tfsdk:"require_expiration"`
	RequireAPIPathsForUserTokens types.Bool   `tfsdk:"require_api_paths_for_user_tokens"`
	AllowedTypes                 types.Set    `tfsdk:"allowed_types"`
	Enforcement                  types.String `tfsdk:"enforcement"`
}

var guardrailsAttrTypes = map[string]attr.Type{
	"max_lifetime":                      types.StringType,
	"require_expiration":                types.BoolType,
	"require_api_paths_for_user_tokens": types.BoolType,
	"allowed_types":                     types.SetType{ElemType: types.StringType},
	"enforcement":                       types.StringType,
}

// guardrails are a team's rules for every token of a configuration,
// parsed. SolarNetwork has no server-side maximum lifetime or required
// restriction, so the provider block is the one place to keep them.
type guardrails struct {
	maxLifetime     time.Duration // 0: none
	maxLifetimeText string
	requireExpiry   bool
	requireAPIPaths bool
	allowedTypes    []string // nil: any
	warnOnly        bool
}

func guardrailsSchema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Rules every token of this configuration must follow, checked at plan time for the " +
			"`solarnetwork_security_token` resource and the ephemeral resource before any token is made or changed. " +
			"SolarNetwork has no maximum token lifetime of its own, so this is where a team keeps one. A resource is " +
			"checked when it is created or replaced, and when a change touches what a rule is about (its expiry, type " +
			"or `api_paths`); a token already in state that breaks a rule is reported at refresh with a warning and " +
			"left as it is.",
		Attributes: map[string]schema.Attribute{
			"max_lifetime": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "No token may expire later than this after it is created, nor never: " + duration.Formats +
					". With `rotation`, its `lifetime` is checked; otherwise `expiration_date` against the plan's time " +
					"(for a new token) or the token's `created` (for a change).",
				Validators: []validator.String{validate.DaysDuration(time.Minute)},
			},
			"require_expiration": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Every token must expire: an `expiration_date` or a `rotation` block is required.",
			},
			"require_api_paths_for_user_tokens": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Every `User` token must set `policy.api_paths`: without them, a `User` token can do " +
					"anything its owner can, tokens included.",
			},
			"allowed_types": schema.SetAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "The token types this configuration may make: `User`, `ReadNodeData` or both.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(client.TokenTypeUser, client.TokenTypeReadNodeData)),
				},
			},
			"enforcement": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`error` (the default): a plan that breaks a rule fails. `warn`: the plan goes on " +
					"with a warning, to introduce rules to a configuration that does not follow them yet.",
				Validators: []validator.String{stringvalidator.OneOf(enforceError, enforceWarn)},
			},
		},
	}
}

// parseGuardrails reads the block; nil when it is absent (an empty block
// gives rules that refuse nothing).
func parseGuardrails(ctx context.Context, obj types.Object) (*guardrails, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return nil, nil
	}
	var m guardrailsModel
	diags := obj.As(ctx, &m, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return nil, diags
	}
	g := &guardrails{
		requireExpiry:   m.RequireExpiration.ValueBool(),
		requireAPIPaths: m.RequireAPIPathsForUserTokens.ValueBool(),
		warnOnly:        m.Enforcement.ValueString() == enforceWarn,
	}
	if !m.MaxLifetime.IsNull() && !m.MaxLifetime.IsUnknown() {
		d, err := duration.Parse(m.MaxLifetime.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("guardrails").AtName("max_lifetime"), "Invalid duration", err.Error()+".")
			return nil, diags
		}
		g.maxLifetime, g.maxLifetimeText = d, m.MaxLifetime.ValueString()
	}
	if !m.AllowedTypes.IsNull() && !m.AllowedTypes.IsUnknown() {
		for _, v := range elementsOf[types.String](m.AllowedTypes) {
			g.allowedTypes = append(g.allowedTypes, v.ValueString())
		}
		slices.Sort(g.allowedTypes)
	}
	return g, diags
}

// guardedToken is what the rules look at in one token.
type guardedToken struct {
	tokenType string
	apiPaths  bool // policy.api_paths is set
	// expiry is when the token expires (nil: never); with rotation,
	// lifetime is set instead and expiry is ignored.
	expiry   *time.Time
	lifetime *time.Duration
	created  time.Time // the plan's time for a new token, else its created
}

// guardrailBreach is one broken rule, filed under the attribute at fault.
type guardrailBreach struct {
	attr   path.Path
	detail string
}

// check returns the rules t breaks, in the block's order.
func (g *guardrails) check(t guardedToken) []guardrailBreach {
	var out []guardrailBreach
	if g.allowedTypes != nil && !slices.Contains(g.allowedTypes, t.tokenType) {
		out = append(out, guardrailBreach{path.Root("type"), fmt.Sprintf(
			"guardrails.allowed_types allows only %s tokens in this configuration, and this one is %q.",
			strings.Join(g.allowedTypes, " and "), t.tokenType)})
	}
	never := t.lifetime == nil && t.expiry == nil
	switch {
	case g.maxLifetime > 0 && never:
		out = append(out, guardrailBreach{pathExpirationDate, fmt.Sprintf(
			"guardrails.max_lifetime is %s, and this token never expires. Set an expiration_date at most %s after its "+
				"creation, or a rotation block whose lifetime is at most %s.", g.maxLifetimeText, g.maxLifetimeText, g.maxLifetimeText)})
	case g.requireExpiry && never:
		out = append(out, guardrailBreach{pathExpirationDate,
			"guardrails.require_expiration is set, and this token never expires. Set an expiration_date or a rotation block."})
	case g.maxLifetime > 0 && t.lifetime != nil && *t.lifetime > g.maxLifetime:
		out = append(out, guardrailBreach{pathRotation.AtName("lifetime"), fmt.Sprintf(
			"guardrails.max_lifetime is %s, and rotation.lifetime is longer. Make the lifetime at most %s.",
			g.maxLifetimeText, g.maxLifetimeText)})
	case g.maxLifetime > 0 && t.lifetime == nil && t.expiry.Sub(t.created) > g.maxLifetime:
		out = append(out, guardrailBreach{pathExpirationDate, fmt.Sprintf(
			"guardrails.max_lifetime is %s, and this token would expire at %s, more than %s after its creation (%s). "+
				"Set an earlier expiration_date, or use a rotation block.",
			g.maxLifetimeText, expiration.FormatInstant(*t.expiry), g.maxLifetimeText, expiration.FormatInstant(t.created))})
	}
	if g.requireAPIPaths && t.tokenType == client.TokenTypeUser && !t.apiPaths {
		out = append(out, guardrailBreach{pathPolicy.AtName("api_paths"),
			"guardrails.require_api_paths_for_user_tokens is set, and this User token sets no policy.api_paths: it could " +
				"do anything its owner can, tokens included. List the API paths it needs."})
	}
	return out
}

// report files breaches as errors, or as warnings with enforcement = "warn"
// or when the token is only being read (asPlan false).
func (g *guardrails) report(breaches []guardrailBreach, subject string, asPlan bool, diags *diag.Diagnostics) {
	for _, b := range breaches {
		detail := subject + ": " + b.detail
		switch {
		case !asPlan:
			diags.AddAttributeWarning(b.attr, "Token breaks the provider's guardrails", detail+
				" The token is left as it is; the rule is enforced when it is next created or changed.")
		case g.warnOnly:
			diags.AddAttributeWarning(b.attr, "Token breaks the provider's guardrails", detail+` (guardrails.enforcement = "warn")`)
		default:
			diags.AddAttributeError(b.attr, "Token breaks the provider's guardrails", detail)
		}
	}
}
