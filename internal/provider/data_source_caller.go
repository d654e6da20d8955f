package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*callerDataSource)(nil)

// callerDataSource is solarnetwork_caller: who the provider's credentials
// authenticate as, from SolarUser's whoami.
type callerDataSource struct {
	store *client.TokenStore
}

type callerDataSourceModel struct {
	TokenID types.String `tfsdk:"token_id"`
	Type    types.String `tfsdk:"type"`
	UserID  types.Int64  `tfsdk:"user_id"`
}

func newCallerDataSource() datasource.DataSource { return &callerDataSource{} }

func (d *callerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_caller"
}

func (d *callerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who the provider's credentials authenticate as, from SolarUser's `GET /api/v1/sec/whoami`: " +
			"the token ID, its type and the user that owns it. Use it in a `check` block to make sure a workspace runs " +
			"with the credential it should (\"this workspace runs with the CI token\"), or in outputs. One request per read.",
		Attributes: map[string]schema.Attribute{
			"token_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The ID of the token the provider signs its requests with.",
			},
			"type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "That token's type: `User` (the provider needs one to manage tokens).",
			},
			"user_id": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "The ID of the SolarNetwork user that owns the token: the account the provider manages.",
			},
		},
	}
}

func (d *callerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.store = providerStore(req.ProviderData, &resp.Diagnostics)
}

func (d *callerDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	id, err := d.store.WhoAmI(ctx)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not ask SolarNetwork who the provider's credentials are", err)
		return
	}
	state := callerDataSourceModel{
		TokenID: types.StringValue(id.Token),
		Type:    types.StringValue(id.TokenType),
		UserID:  types.Int64Value(id.UserID),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
