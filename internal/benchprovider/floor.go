// Package benchprovider adds a do-nothing resource to the provider for the
// end-to-end benchmark (scripts/bench-e2e.sh): <provider>_floor_token has
// the security token resource's schema and identity schema, and keeps as
// much in state, but has no plan logic, no validation of its own and makes
// no requests. Planning N of them costs what the framework and the CLI cost
// for that schema and data, the floor the token resource is measured
// against. Only builds tagged benchfloor use it.
package benchprovider

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// WithFloor returns a factory for the provider of newProvider with a
// floor_token resource whose schemas are those of its resource named
// <provider>_<model>, e.g. "security_token".
func WithFloor(newProvider func() provider.Provider, model string) func() provider.Provider {
	return func() provider.Provider {
		inner, ok := newProvider().(provider.ProviderWithEphemeralResources)
		if !ok {
			panic("benchprovider: the provider has no ephemeral resources to pass on")
		}
		return &floorProvider{ProviderWithEphemeralResources: inner, model: model}
	}
}

type floorProvider struct {
	provider.ProviderWithEphemeralResources
	model string

	once    sync.Once
	schemas floorSchemas
}

// floorSchemas are the model resource's schemas, built once: the floor pays
// nothing for them per call.
type floorSchemas struct {
	schema   resource.SchemaResponse
	identity *resource.IdentitySchemaResponse
}

func (p *floorProvider) Resources(ctx context.Context) []func() resource.Resource {
	factories := p.ProviderWithEphemeralResources.Resources(ctx)
	p.once.Do(func() { p.schemas = modelSchemas(ctx, p.ProviderWithEphemeralResources, factories, p.model) })
	return append(factories, func() resource.Resource { return &floorResource{schemas: &p.schemas} })
}

func modelSchemas(ctx context.Context, p provider.Provider, factories []func() resource.Resource, model string) floorSchemas {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	want := meta.TypeName + "_" + model
	for _, f := range factories {
		r := f()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		if md.TypeName != want {
			continue
		}
		var s floorSchemas
		r.Schema(ctx, resource.SchemaRequest{}, &s.schema)
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			s.identity = &resource.IdentitySchemaResponse{}
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, s.identity)
		}
		return s
	}
	panic(fmt.Sprintf("benchprovider: the provider has no resource %s", want))
}

// floorResource stores its plan as its state and does nothing else.
type floorResource struct {
	schemas *floorSchemas
}

var (
	_ resource.ResourceWithIdentity    = (*floorResource)(nil)
	_ resource.ResourceWithImportState = (*floorResource)(nil)
)

// lastID numbers the floor's "tokens" within one provider process; a
// process-unique prefix keeps IDs distinct across the processes of a run.
var (
	lastID   atomic.Int64
	idPrefix = fmt.Sprintf("floor%x-", uint32(time.Now().UnixNano()))
)

func (r *floorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_floor_token"
}

func (r *floorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	*resp = r.schemas.schema
}

func (r *floorResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	if r.schemas.identity != nil {
		*resp = *r.schemas.identity
	}
}

func (r *floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	id := fmt.Sprintf("%s%d", idPrefix, lastID.Add(1))
	r.store(ctx, req.Plan.Raw, id, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *floorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The token resource records its identity on every read; so does the floor.
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

func (r *floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	r.store(ctx, req.Plan.Raw, id, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *floorResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// store sets state to plan with id set and every value known only after
// apply filled in: a string "floor", a number 0, false, and an object the
// value of its mirror (effective_policy takes policy), so that state holds
// as much as the token resource's does.
func (r *floorResource) store(ctx context.Context, plan tftypes.Value, id string, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	var top map[string]tftypes.Value
	if err := plan.As(&top); err != nil {
		diags.AddError("Floor resource", err.Error())
		return
	}
	for name, v := range top {
		switch {
		case name == "id":
			top[name] = tftypes.NewValue(tftypes.String, id)
		case v.IsKnown():
		case mirrors[name] != "" && top[mirrors[name]].Type().Equal(v.Type()):
			top[name] = top[mirrors[name]]
		default:
			top[name] = filled(v.Type())
		}
	}
	state.Raw = tftypes.NewValue(plan.Type(), top)
	setIdentity(ctx, identity, id, diags)
}

// mirrors names, for a computed object, the configured one it copies.
var mirrors = map[string]string{"effective_policy": "policy"}

func filled(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "floor")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, 0)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	}
	return tftypes.NewValue(t, nil)
}

func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	if identity != nil {
		diags.Append(identity.SetAttribute(ctx, path.Root("id"), id)...)
	}
}
