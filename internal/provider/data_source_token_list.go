package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

var _ datasource.DataSourceWithConfigure = (*tokensDataSource)(nil)

// tokensDataSource is solarnetwork_security_tokens: the account's tokens,
// filtered. It filters the shared list rather than calling /find, whose
// answers SolarNetwork may serve stale.
type tokensDataSource struct {
	store *client.TokenStore
}

type tokensDataSourceModel struct {
	IDs           types.Set        `tfsdk:"ids"`
	Type          types.String     `tfsdk:"type"`
	Status        types.String     `tfsdk:"status"`
	Expired       types.Bool       `tfsdk:"expired"`
	NeverExpires  types.Bool       `tfsdk:"never_expires"`
	ExpiresWithin types.String     `tfsdk:"expires_within"`
	NameRegex     types.String     `tfsdk:"name_regex"`
	Tokens        []tokenDataModel `tfsdk:"tokens"`
}

func newTokensDataSource() datasource.DataSource { return &tokensDataSource{} }

func (d *tokensDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_tokens"
}

func (d *tokensDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = tokensDataSourceSchema()
}

// tokensDataSourceSchema is built once: every call returns the same
// schema, which nothing modifies.
var tokensDataSourceSchema = sync.OnceValue(func() schema.Schema {
	item := tokenDataAttributes()
	item["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The token ID (20 characters).",
	}
	return schema.Schema{
		MarkdownDescription: "Lists the security tokens of the provider's SolarNetwork account, like `s10k sec-tokens list`, " +
			"optionally filtered by ID, type, status, expiry and name. Filters combine with AND; without any, every token of the account " +
			"is listed, the provider's own token included. Secrets are never available: SolarNetwork shows a secret only " +
			"once, when the token is created. All tokens read in one run share a single list request.",
		Attributes: map[string]schema.Attribute{
			"ids": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Only tokens with these IDs. An ID with no token in the account is left out of `tokens` " +
					"rather than failing (use the `solarnetwork_security_token` data source to fail instead); an empty " +
					"set matches no token. Omit it to not filter by ID.",
				Validators: []validator.Set{setvalidator.NoNullValues()},
			},
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only tokens of this type: `User` or `ReadNodeData`. Omit it for both.",
				Validators:          []validator.String{stringvalidator.OneOf(client.TokenTypeUser, client.TokenTypeReadNodeData)},
			},
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only tokens with this status: `Active` or `Disabled`. Omit it for both.",
				Validators:          []validator.String{stringvalidator.OneOf(client.StatusActive, client.StatusDisabled)},
			},
			"expired": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true`: only tokens that have expired (SolarNetwork's `expired`, as of this read); `false`: " +
					"only tokens that have not, those that never expire included. Omit it for both.",
			},
			"never_expires": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "`true`: only tokens without an expiry; `false`: only tokens with one. Omit it for both.",
			},
			"expires_within": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only tokens that have not expired yet and will within this time from the read: " +
					duration.Formats + ". Tokens that never expire, and those already expired, are left out (use `expired = " +
					"true` for those). With a `check` block this fails a plan a set time before a token lapses.",
				Validators: []validator.String{validate.DaysDuration(0)},
			},
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only tokens whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax), " +
					"unanchored: use `^` and `$` to match the whole name). A token without a name never matches.",
				Validators: []validator.String{validate.Regex()},
			},
			"tokens": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The matching tokens, oldest first (ordered by `created`, then `id`). Empty when none " +
					"matches.",
				NestedObject: schema.NestedAttributeObject{Attributes: item},
			},
		},
	}
})

func (d *tokensDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.store = providerStore(req.ProviderData, &resp.Diagnostics)
}

func (d *tokensDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state tokensDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ids map[string]bool // nil: no filter
	if !state.IDs.IsNull() {
		ids = map[string]bool{}
		for _, id := range elementsOf[types.String](state.IDs) {
			ids[id.ValueString()] = true
		}
	}
	filter, diags := tokenFilterOf(&state, ids, d.store.Now())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.store.Tokens(ctx) // ordered by created, then id
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not list security tokens", err)
		return
	}
	state.Tokens = make([]tokenDataModel, 0, len(all)) // empty, not null, when nothing matches
	for i := range all {
		if t := &all[i]; filter.matches(t) {
			state.Tokens = append(state.Tokens, tokenDataFromToken(t))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
