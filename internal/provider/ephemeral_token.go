package provider

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	etimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure = (*tokenEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*tokenEphemeral)(nil)
)

// privateTokenID is the private-data key Close reads the token ID from.
const privateTokenID = "token_id"

// Bounds of expires_in: long enough for a run, short enough that a token
// left behind by a killed run soon stops working.
const (
	defaultEphemeralLifetime = time.Hour
	maxEphemeralLifetime     = 7 * 24 * time.Hour
)

// tokenEphemeral is a short-lived token for the length of one Terraform
// run: its secret never reaches plan or state, and it is deleted when
// Terraform is done with it.
type tokenEphemeral struct {
	store      *client.TokenStore
	guardrails *guardrails // nil: none
}

func newTokenEphemeral() ephemeral.EphemeralResource { return &tokenEphemeral{} }

type tokenEphemeralModel struct {
	Type        types.String    `tfsdk:"type"`
	Name        types.String    `tfsdk:"name"`
	Description types.String    `tfsdk:"description"`
	Policy      types.Object    `tfsdk:"policy"`
	ExpiresIn   types.String    `tfsdk:"expires_in"`
	ID          types.String    `tfsdk:"id"`
	Secret      types.String    `tfsdk:"secret"`
	ExpiresAt   types.String    `tfsdk:"expires_at"`
	Timeouts    etimeouts.Value `tfsdk:"timeouts"`
}

func (e *tokenEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_token"
}

func (e *tokenEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = tokenEphemeralSchema()
}

// tokenEphemeralSchema is built once: every call returns the same
// schema, which nothing modifies.
var tokenEphemeralSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A short-lived security token for one Terraform or OpenTofu run, for example to hand a data token to " +
			"another provider or a provisioner. Its secret is never stored in plan or state. The token is deleted when " +
			"the run no longer needs it, and expires after `expires_in` in case the run is killed first. The CLI opens " +
			"an ephemeral resource in every phase that needs its value: `terraform apply` makes one token while it " +
			"plans and another while it applies (each deleted when its phase ends), so expect two tokens per apply in " +
			"SolarNetwork's list and logs. Needs Terraform 1.10+ or OpenTofu 1.11+.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "`User` or `ReadNodeData`.",
				Validators:          []validator.String{stringvalidator.OneOf(client.TokenTypeUser, client.TokenTypeReadNodeData)},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A short name, at most 128 characters, to recognise the token while it exists.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(128), validate.NotBlank()},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A description, at most 512 characters.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(512), validate.NotBlank()},
			},
			"expires_in": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long the token may live, as a duration such as `30m` or `12h`, at most `168h`. Defaults to `1h`. " +
					"It becomes the policy's expiry, so a token left behind by an interrupted run stops working.",
				Validators: []validator.String{validate.Duration(time.Minute, maxEphemeralLifetime)},
			},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The token ID.",
			},
			"secret": schema.StringAttribute{
				Computed:            true,
				Sensitive:           true,
				MarkdownDescription: "The token secret.",
			},
			"expires_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the token expires, RFC 3339 UTC.",
			},
		},
		Blocks: map[string]schema.Block{
			// A block, so a misspelled argument is an error (see the resource).
			"policy": schema.SingleNestedBlock{
				MarkdownDescription: "The token's security policy, as for the `solarnetwork_security_token` resource. Omit it for an unrestricted token.",
				Attributes:          ephemeralPolicyAttributes(),
			},
			"timeouts": ephemeralTimeoutsBlock(),
		},
	}
})

func (e *tokenEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	if pd := providerDataOf(req.ProviderData, &resp.Diagnostics); pd != nil {
		e.store, e.guardrails = pd.store, pd.guardrails
	}
}

func (e *tokenEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m tokenEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, m.Timeouts.Open, defaultOpenTimeout, &resp.Diagnostics)
	defer cancel()
	policy, _, diags := policyFromObject(ctx, m.Policy)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	lifetime := defaultEphemeralLifetime
	if !m.ExpiresIn.IsNull() {
		lifetime, _ = time.ParseDuration(m.ExpiresIn.ValueString()) // validated
	}
	expiry := storeNow(e.store).Add(lifetime).UTC().Truncate(time.Millisecond)
	if policy == nil {
		policy = &client.SecurityPolicy{}
	}
	policy.NotAfter = &expiry
	if e.guardrails != nil {
		now := storeNow(e.store)
		breaches := e.guardrails.check(guardedToken{tokenType: m.Type.ValueString(), apiPaths: len(policy.APIPaths) > 0, expiry: &expiry, created: now})
		e.guardrails.report(ephemeralBreaches(breaches), "The ephemeral token", true, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	token, warnings, err := e.store.GenerateToken(ctx, m.Type.ValueString(), policy)
	addGenerateWarnings(&resp.Diagnostics, warnings)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not create the ephemeral security token", err)
		return
	}
	idJSON, _ := json.Marshal(token.ID)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateTokenID, idJSON)...)
	// Replace Generate's marker expiry with the intended one.
	held, err := e.store.ReplaceTokenPolicy(ctx, token.ID, *policy)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not set the policy of ephemeral security token "+token.ID, err)
		e.deleteAfterFailedOpen(ctx, token.ID, &resp.Diagnostics)
		return
	}
	if lost := policyNotKept(policy, held.Policy); len(lost) > 0 {
		discardUnkept(ctx, e.store, token.ID, lost, &resp.Diagnostics)
		return
	}
	if !m.Name.IsNull() || !m.Description.IsNull() {
		if err := e.store.UpdateTokenInfo(ctx, token.ID, m.Name.ValueString(), m.Description.ValueString()); err != nil {
			addAPIError(ctx, &resp.Diagnostics, "Could not name ephemeral security token "+token.ID, err)
			e.deleteAfterFailedOpen(ctx, token.ID, &resp.Diagnostics)
			return
		}
	}
	m.ID = types.StringValue(token.ID)
	m.Secret = types.StringValue(token.AuthSecret)
	m.ExpiresAt = types.StringValue(expiration.FormatInstant(expiry))
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// deleteAfterFailedOpen removes a token Open made but could not finish; no
// Close will run for it. Generate's marker expiry is never later than the
// requested one, so a token that cannot be deleted still expires on its own.
func (e *tokenEphemeral) deleteAfterFailedOpen(ctx context.Context, id string, diags *diag.Diagnostics) {
	if err := e.store.DeleteToken(ctx, id); err != nil {
		addAPIError(ctx, diags, "Could not delete ephemeral security token "+id+"; it expires by itself within expires_in", err)
	}
}

func (e *tokenEphemeral) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, diags := req.Private.GetKey(ctx, privateTokenID)
	resp.Diagnostics.Append(diags...)
	var id string
	if len(raw) == 0 || json.Unmarshal(raw, &id) != nil {
		return // Open did not create a token
	}
	if err := e.store.DeleteToken(ctx, id); err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not delete ephemeral security token "+id+"; it expires by itself at the end of expires_in", err)
	}
}
