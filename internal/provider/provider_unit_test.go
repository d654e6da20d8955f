package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// configureUnit configures the provider as Terraform would, with the
// attributes given (others null), and returns its response.
func configureUnit(t *testing.T, cfg providerModel) provider.ConfigureResponse {
	t.Helper()
	p := &solarNetworkProvider{version: "test"}
	var sr provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &sr)
	if len(cfg.Guardrails.AttributeTypes(context.Background())) == 0 { // the zero value: no block
		cfg.Guardrails = types.ObjectNull(guardrailsAttrTypes)
	}
	st := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(context.Background()), nil)}
	if cfg.SecretRecipients.ElementType(context.Background()) == nil {
		cfg.SecretRecipients = types.SetNull(types.StringType) // not configured
	}
	if cfg.DisabledWarnings.ElementType(context.Background()) == nil {
		cfg.DisabledWarnings = types.SetNull(types.StringType)
	}
	if d := st.Set(context.Background(), &cfg); d.HasError() {
		t.Fatal(d)
	}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: st.Raw}, TerraformVersion: "1.12.0"}, &resp)
	return resp
}

func providerModelFor(url, token, secret string) providerModel {
	return providerModel{URL: types.StringValue(url), Token: types.StringValue(token), Secret: types.StringValue(secret),
		MaxRetries: types.Int64Value(0), RequestTimeout: types.StringValue("10s")}
}

func errorsOf(d diag.Diagnostics) string {
	var out []string
	for _, e := range d.Errors() {
		out = append(out, e.Summary()+": "+e.Detail())
	}
	return strings.Join(out, "\n")
}

// Configure lists once and hands every resource, data source and ephemeral
// resource the same store; each of them has a name and a schema.
func TestProviderConfigureUnit(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	url := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	resp := configureUnit(t, providerModelFor(url, id, secret))
	if resp.Diagnostics.HasError() {
		t.Fatal(errorsOf(resp.Diagnostics))
	}
	store, ok := resp.ResourceData.(*providerData)
	if !ok || store.store == nil || store.nodes == nil || resp.DataSourceData != store || resp.EphemeralResourceData != store || !store.recipients.IsNull() {
		t.Fatalf("provider data %T %T %T", resp.ResourceData, resp.DataSourceData, resp.EphemeralResourceData)
	}
	if n := sim.Count("GET", "/solaruser/api/v1/sec/user/auth-tokens"); n != 1 {
		t.Errorf("%d lists when configured, want 1", n)
	}

	ctx := context.Background()
	p := &solarNetworkProvider{version: "test"}
	var names []string
	for _, f := range p.Resources(ctx) {
		r := f()
		var mr resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "solarnetwork"}, &mr)
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		var cr resource.ConfigureResponse
		r.(resource.ResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{ProviderData: store}, &cr)
		names = append(names, mr.TypeName)
		if sr.Schema.MarkdownDescription == "" || cr.Diagnostics.HasError() {
			t.Errorf("%s: schema %q, configure %v", mr.TypeName, sr.Schema.MarkdownDescription, cr.Diagnostics)
		}
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			var ir resource.IdentitySchemaResponse
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ir)
			if _, ok := ir.IdentitySchema.Attributes["id"]; !ok {
				t.Errorf("%s: identity schema without id", mr.TypeName)
			}
		}
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var mr datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "solarnetwork"}, &mr)
		var cr datasource.ConfigureResponse
		d.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: store}, &cr)
		names = append(names, mr.TypeName)
		if cr.Diagnostics.HasError() {
			t.Error(cr.Diagnostics)
		}
	}
	for _, f := range p.EphemeralResources(ctx) {
		e := f()
		var mr ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "solarnetwork"}, &mr)
		var sr ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &sr)
		names = append(names, "ephemeral "+mr.TypeName)
	}
	for _, f := range p.Functions(ctx) {
		fn := f()
		var mr function.MetadataResponse
		fn.Metadata(ctx, function.MetadataRequest{}, &mr)
		var dr function.DefinitionResponse
		fn.Definition(ctx, function.DefinitionRequest{}, &dr)
		names = append(names, "function "+mr.Name)
		if dr.Definition.Summary == "" || dr.Diagnostics.HasError() {
			t.Errorf("function %s: %+v", mr.Name, dr)
		}
	}
	want := "solarnetwork_security_token solarnetwork_security_token solarnetwork_security_tokens solarnetwork_caller solarnetwork_policy_simulation solarnetwork_nodes ephemeral solarnetwork_security_token ephemeral solarnetwork_token_secret function signing_key function policy_allows"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("provider serves %q, want %q", got, want)
	}

	// Data of another kind is a provider bug, reported as such.
	var d diag.Diagnostics
	if providerStore("not provider data", &d) != nil || !d.HasError() {
		t.Error("providerStore accepted data that is not a store")
	}
}

// A credential the provider cannot work with stops Configure with one error
// on the attribute at fault, before any resource is read.
func TestProviderConfigureRefusalsUnit(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	url := sim.Start()
	t.Cleanup(sim.Close)
	restricted := sim.CreateToken(simulator.TypeUser, &simulator.Policy{APIPaths: []string{"/user/**"}})
	for _, c := range []struct {
		name string
		cfg  providerModel
		want string
	}{
		{"restricted credential", providerModelFor(url, restricted.ID, restricted.Secret), "The provider's token is restricted"},
		{"wrong secret", providerModelFor(url, restricted.ID, "wrong"), "secret"},
		{"plain http to a remote host", providerModelFor("http://example.com", "t", "s"), "Invalid SolarNetwork URL"},
		{"unknown url", providerModel{URL: types.StringUnknown(), Token: types.StringValue("t"), Secret: types.StringValue("s"),
			MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull()}, "Unknown provider configuration value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := configureUnit(t, c.cfg)
			if !strings.Contains(errorsOf(resp.Diagnostics), c.want) || resp.ResourceData != nil {
				t.Errorf("errors %q, want one with %q and no provider data", errorsOf(resp.Diagnostics), c.want)
			}
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		t.Setenv("HOME", t.TempDir()) // no s10k default profile
		t.Setenv(envProfile, "")
		t.Setenv(envToken, "")
		t.Setenv(envSecret, "")
		resp := configureUnit(t, providerModel{URL: types.StringValue(url), Token: types.StringNull(), Secret: types.StringNull(),
			MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull()})
		if !strings.Contains(errorsOf(resp.Diagnostics), "Missing SolarNetwork credentials") {
			t.Errorf("errors %q", errorsOf(resp.Diagnostics))
		}
	})
	t.Run("credentials from the environment", func(t *testing.T) {
		id, secret := sim.AdminCredentials()
		t.Setenv(envToken, id)
		t.Setenv(envSecret, secret)
		resp := configureUnit(t, providerModel{URL: types.StringValue(url), Token: types.StringNull(), Secret: types.StringNull(),
			MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull()})
		if resp.Diagnostics.HasError() || resp.ResourceData == nil {
			t.Errorf("errors %q", errorsOf(resp.Diagnostics))
		}
	})
}
