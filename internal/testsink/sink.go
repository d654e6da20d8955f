// Package testsink adds a resource to the provider that only tests use:
// <provider>_test_sink takes a write-only value_wo, as other providers'
// secret_string_wo or data_json_wo do, and keeps in state only the SHA-256
// of what it was given. The secret-encryption tests feed it the ephemeral
// solarnetwork_token_secret and check that the value arrived and that no
// state holds it. Only builds tagged testsink use it.
package testsink

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// WithSink returns a factory for the provider of newProvider with the
// test_sink resource added.
func WithSink(newProvider func() provider.Provider) func() provider.Provider {
	return func() provider.Provider {
		inner, ok := newProvider().(provider.ProviderWithEphemeralResources)
		if !ok {
			panic("testsink: the provider has no ephemeral resources to pass on")
		}
		return &sinkProvider{ProviderWithEphemeralResources: inner}
	}
}

type sinkProvider struct {
	provider.ProviderWithEphemeralResources
}

func (p *sinkProvider) Resources(ctx context.Context) []func() resource.Resource {
	return append(p.ProviderWithEphemeralResources.Resources(ctx), func() resource.Resource { return sinkResource{} })
}

type sinkResource struct{}

type sinkModel struct {
	ID             types.String `tfsdk:"id"`
	ValueWO        types.String `tfsdk:"value_wo"`
	ReceivedSHA256 types.String `tfsdk:"received_sha256"`
}

func (sinkResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_test_sink"
}

func (sinkResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Test only: takes a write-only value and keeps its SHA-256.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"value_wo": schema.StringAttribute{
				Required: true, WriteOnly: true, Sensitive: true,
				Description: "The value, never kept.",
			},
			"received_sha256": schema.StringAttribute{
				Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Description: "SHA-256 of value_wo when the resource was created.",
			},
		},
	}
}

func (sinkResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var value types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("value_wo"), &value)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sum := sha256.Sum256([]byte(value.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &sinkModel{
		ID:             types.StringValue(rand.Text()),
		ValueWO:        types.StringNull(),
		ReceivedSHA256: types.StringValue(hex.EncodeToString(sum[:])),
	})...)
}

func (sinkResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (sinkResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.State.Raw
}

func (sinkResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
