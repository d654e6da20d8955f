package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

var _ datasource.DataSourceWithConfigure = (*tokenDataSource)(nil)

// tokenDataSource is solarnetwork_security_token: one token by ID.
type tokenDataSource struct {
	store *client.TokenStore
}

func newTokenDataSource() datasource.DataSource { return &tokenDataSource{} }

func (d *tokenDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_token"
}

func (d *tokenDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = tokenDataSourceSchema()
}

// tokenDataSourceSchema is built once: every call returns the same
// schema, which nothing modifies.
var tokenDataSourceSchema = sync.OnceValue(func() schema.Schema {
	attrs := tokenDataAttributes()
	attrs["id"] = schema.StringAttribute{
		Required: true,
		MarkdownDescription: "The ID of the token to read (20 characters). It must be a token of the account the provider's " +
			"token belongs to, otherwise reading fails.",
		Validators: []validator.String{validate.TokenID()},
	}
	return schema.Schema{
		MarkdownDescription: "Reads one SolarNetwork security token by ID, for example one made with `s10k sec-tokens create` or " +
			"managed in another configuration: its type, name, status, expiry and policy. The secret is never available: " +
			"SolarNetwork shows it only once, when the token is created. Reading fails when the account has no token " +
			"with the ID; use `solarnetwork_security_tokens` to look tokens up without failing. All tokens read in one " +
			"run share a single list request.",
		Attributes: attrs,
	}
})

func (d *tokenDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.store = providerStore(req.ProviderData, &resp.Diagnostics)
}

func (d *tokenDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg tokenDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cfg.ID.ValueString()
	token, found, err := d.store.Token(ctx, id)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not read security token "+id, err)
		return
	}
	if !found {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Security token not found",
			"no security token with ID "+id+" in this SolarNetwork account. Check the ID: the token may have been "+
				"deleted, or belong to another account than the provider's token.")
		return
	}
	state := tokenDataFromToken(&token)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
