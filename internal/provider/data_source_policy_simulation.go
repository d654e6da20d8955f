package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

var _ datasource.DataSourceWithConfigure = (*policySimulationDataSource)(nil)

// policySimulationDataSource is solarnetwork_policy_simulation: the
// policy_allows function for a list of requests, for Terraform before 1.8
// and for check blocks.
type policySimulationDataSource struct {
	store *client.TokenStore
}

func newPolicySimulationDataSource() datasource.DataSource { return &policySimulationDataSource{} }

type policySimulationModel struct {
	Policy     types.Object `tfsdk:"policy"`
	TokenID    types.String `tfsdk:"token_id"`
	Requests   types.List   `tfsdk:"requests"`
	Results    types.List   `tfsdk:"results"`
	AllAllowed types.Bool   `tfsdk:"all_allowed"`
}

func (d *policySimulationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_policy_simulation"
}

func (d *policySimulationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = policySimulationSchema()
}

var policySimulationSchema = sync.OnceValue(func() schema.Schema {
	policyAttrs := map[string]schema.Attribute{}
	for _, a := range policyAttributes() {
		switch t := a.typ.(type) {
		case types.SetType:
			policyAttrs[a.name] = schema.SetAttribute{ElementType: t.ElemType, Optional: true, MarkdownDescription: a.configDesc}
		case basetypes.BoolType:
			policyAttrs[a.name] = schema.BoolAttribute{Optional: true, MarkdownDescription: a.configDesc}
		default:
			policyAttrs[a.name] = schema.StringAttribute{Optional: true, MarkdownDescription: a.configDesc}
		}
	}
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc}
	}
	return schema.Schema{
		MarkdownDescription: "Judges requests against a security token policy the way SolarNetwork does, so that a `check` " +
			"block, a `postcondition` or a `terraform test`/`tofu test` file can prove what a token can and cannot reach. " +
			"It is the `policy_allows` function for a list of requests, and works with Terraform 1.5 too.\n\n" + policySimulationRules,
		Attributes: map[string]schema.Attribute{
			"policy": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The policy to judge by, with the attributes of `effective_policy`: pass " +
					"`solarnetwork_security_token.example.effective_policy` as is, or write some of them. Conflicts with " +
					"`token_id`; with neither, the policy restricts nothing.",
				Attributes: policyAttrs,
			},
			"token_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Judge by the policy SolarNetwork holds for this token of the account (read from the run's " +
					"one token list), and by its type for requests that give no `token_type`.",
				Validators: []validator.String{validate.TokenID(), stringvalidator.ConflictsWith(path.MatchRoot("policy"))},
			},
			"requests": schema.ListNestedAttribute{
				Required:            true,
				MarkdownDescription: "The requests to judge, in order. " + requestDescription,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"node_id":            schema.Int64Attribute{Optional: true, MarkdownDescription: "A node ID."},
					"source_id":          str("A source ID, or a source ID pattern such as `/meter/**`."),
					"aggregation":        str("An aggregation name such as `Hour`."),
					"location_precision": str("A location precision name such as `LatLong`."),
					"node_metadata_path": str("A node metadata leaf path such as `/pm/info/name`."),
					"user_metadata_path": str("A user metadata leaf path such as `/m/public`."),
					"api_path":           str("An API path relative to `/api/v1/sec`, such as `/datum/list`."),
					"token_type":         str("`User` or `ReadNodeData`: the token's type; it matters only for `user_metadata_path`."),
				}},
			},
			"results": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "One answer per request, in order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"allowed":   schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether SolarNetwork serves the request exactly as asked."},
					"denied_by": schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "The policy attributes that refuse or narrow the request; empty when allowed."},
				}},
			},
			"all_allowed": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether every request is allowed."},
		},
	}
})

func (d *policySimulationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.store = providerStore(req.ProviderData, &resp.Diagnostics)
}

func (d *policySimulationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg policySimulationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var policy *client.SecurityPolicy
	tokenType := ""
	if id := cfg.TokenID.ValueString(); id != "" {
		token, found, err := d.store.Token(ctx, id)
		if err != nil {
			addAPIError(ctx, &resp.Diagnostics, "Could not read security token "+id, err)
			return
		}
		if !found {
			resp.Diagnostics.AddAttributeError(path.Root("token_id"), "Security token not found",
				"no security token with ID "+id+" in this SolarNetwork account.")
			return
		}
		policy, tokenType = token.Policy, token.Type
	} else {
		attrs, err := attrsOf(cfg.Policy, "policy")
		if err == nil {
			policy, err = policyFromAttributes(attrs)
		}
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("policy"), "Invalid policy", err.Error())
			return
		}
	}
	results := make([]attr.Value, 0, len(cfg.Requests.Elements()))
	all := true
	for i, e := range cfg.Requests.Elements() {
		at := path.Root("requests").AtListIndex(i)
		attrs, err := attrsOf(e, fmt.Sprintf("requests[%d]", i))
		var r client.PolicyRequest
		if err == nil {
			r, err = requestFromAttributes(attrs, fmt.Sprintf("requests[%d]", i))
		}
		if err != nil {
			resp.Diagnostics.AddAttributeError(at, "Invalid request", err.Error())
			continue
		}
		if r.TokenType == "" {
			r.TokenType = tokenType
		}
		decision, err := client.EvaluatePolicy(policy, r)
		if err != nil {
			resp.Diagnostics.AddAttributeError(at, "Invalid request", err.Error())
			continue
		}
		all = all && decision.Allowed
		results = append(results, decisionObject(decision))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Results = types.ListValueMust(types.ObjectType{AttrTypes: decisionAttrTypes}, results)
	cfg.AllAllowed = types.BoolValue(all)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
