package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

var _ datasource.DataSourceWithConfigure = (*nodesDataSource)(nil)

// nodesDataSource is solarnetwork_nodes: the account's nodes, active and
// archived, from the run's shared node list (the one the node_ids check
// reads), so policies can be built from what exists.
type nodesDataSource struct {
	nodes *client.NodeList
}

type nodesDataSourceModel struct {
	IDs         types.Set       `tfsdk:"ids"`
	ArchivedIDs types.Set       `tfsdk:"archived_ids"`
	Nodes       []nodeDataModel `tfsdk:"nodes"`
}

type nodeDataModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Created     types.String `tfsdk:"created"`
	Private     types.Bool   `tfsdk:"private"`
	Archived    types.Bool   `tfsdk:"archived"`
}

func newNodesDataSource() datasource.DataSource { return &nodesDataSource{} }

func (d *nodesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_nodes"
}

func (d *nodesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the nodes of the provider's SolarNetwork account, active and archived (SolarUser " +
			"`GET /api/v1/sec/nodes` and `/api/v1/sec/nodes/archived`), so a policy's `node_ids` can be built from the nodes " +
			"that exist rather than typed by hand. The list is read at most once per run and shared with the plan-time " +
			"check of `node_ids`.",
		Attributes: map[string]schema.Attribute{
			"ids": schema.SetAttribute{
				Computed:            true,
				ElementType:         types.Int64Type,
				MarkdownDescription: "The IDs of the account's active nodes: those SolarNetwork lists as the account's nodes.",
			},
			"archived_ids": schema.SetAttribute{
				Computed:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "The IDs of the account's archived nodes. SolarNetwork hides them from its node list, " +
					"yet a token's policy may still name them.",
			},
			"nodes": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every node of the account, active and archived, ordered by ID.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "The node ID."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "The node's name in the account, null when none is set."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "The node's description, null when none is set."},
					"created": schema.StringAttribute{Computed: true,
						MarkdownDescription: "When the node joined the account, RFC 3339 in UTC with microseconds."},
					"private": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the node's data is private: readable only with a token (SolarNetwork's " +
							"`requiresAuthorization`). A public node's data can be read without one, whatever a policy says."},
					"archived": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the node is archived."},
				}},
			},
		},
	}
}

func (d *nodesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if pd := providerDataOf(req.ProviderData, &resp.Diagnostics); pd != nil {
		d.nodes = pd.nodes
	}
}

func (d *nodesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	nodes, err := d.nodes.Nodes(ctx)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not list the account's nodes", err)
		return
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].ID < nodes[j].ID })
	state := nodesDataSourceModel{Nodes: make([]nodeDataModel, 0, len(nodes))}
	var active, archived []attr.Value
	for _, n := range nodes {
		state.Nodes = append(state.Nodes, nodeDataModel{
			ID: types.Int64Value(n.ID), Name: stringOrNull(n.Name), Description: stringOrNull(n.Description),
			Created: types.StringValue(expiration.FormatCreated(n.Created)), Private: types.BoolValue(n.Private), Archived: types.BoolValue(n.Archived),
		})
		if n.Archived {
			archived = append(archived, types.Int64Value(n.ID))
		} else {
			active = append(active, types.Int64Value(n.ID))
		}
	}
	state.IDs = types.SetValueMust(types.Int64Type, active)
	state.ArchivedIDs = types.SetValueMust(types.Int64Type, archived)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
