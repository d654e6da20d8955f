// Package provider maps Terraform onto the SolarNetwork client: the provider
// configuration, the security token resource and the data sources.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Environment variables read when an attribute is not configured.
const (
	envURL    = "SOLARNETWORK_URL"
	envToken  = "SOLARNETWORK_TOKEN"
	envSecret = "SOLARNETWORK_SECRET"
)

var _ provider.ProviderWithEphemeralResources = (*solarNetworkProvider)(nil)
var _ provider.ProviderWithFunctions = (*solarNetworkProvider)(nil)

type solarNetworkProvider struct {
	version string
	// now is the clock (nil: time.Now); see newWithClock.
	now func() time.Time
}

// New returns a provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &solarNetworkProvider{version: version}
	}
}

type providerModel struct {
	URL              types.String `tfsdk:"url"`
	Token            types.String `tfsdk:"token"`
	Secret           types.String `tfsdk:"secret"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
	RequestTimeout   types.String `tfsdk:"request_timeout"`
	DisabledWarnings types.Set    `tfsdk:"disabled_warnings"`
}

// Bounds of request_timeout.
const (
	minRequestTimeout = time.Second
	maxRequestTimeout = time.Hour
)

func (p *solarNetworkProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "solarnetwork"
	resp.Version = p.version
}

func (p *solarNetworkProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages SolarNetwork security tokens through the SolarUser API. Requests are signed with SNWS2 " +
			"using a User token whose policy does not restrict data or API access.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "SolarNetwork base URL. Defaults to the " + envURL + " environment variable, then " +
					client.DefaultURL + ". Must use https, except for loopback hosts such as a local simulator.",
			},
			"token": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "ID of the User security token to sign requests with. Defaults to the " + envToken +
					" environment variable. Its policy must not restrict data or API access, or SolarNetwork refuses token management.",
			},
			"secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret of that token. Defaults to the " + envSecret + " environment variable. Prefer the environment variable over writing it in configuration.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times to retry a request that failed with HTTP 429, 502, 503 or 504, a connection error " +
					"or a timeout (and, for every request but token creation, HTTP 500), with exponential backoff honouring the " +
					"server's requested wait. Each retry is logged as a warning with its reason. Token creation is retried only " +
					"after a rate-limit refusal; any other failure of it is checked and cleaned up, never blindly repeated. " +
					"Defaults to " + strconv.Itoa(client.DefaultMaxRetries) + "; 0 disables retries.",
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one attempt of a request may take, from connecting to reading the whole answer, as a " +
					"duration such as `30s` or `2m`, from `1s` to `1h`. Defaults to `" + strconv.Itoa(int(client.DefaultRequestTimeout/time.Second)) + "s`. " +
					"An attempt that runs out of time is retried like a connection error, so one request takes at most " +
					"(max_retries + 1) × request_timeout plus the waits between retries (at most 30s each). Raise it if " +
					"SolarNetwork answers slowly; lower it to fail sooner on a network that drops answers.",
				Validators: []validator.String{durationValidator{min: minRequestTimeout, max: maxRequestTimeout}},
			},
			"disabled_warnings": disabledWarningsAttribute(),
		},
	}
}

func (p *solarNetworkProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, a := range []struct {
		name  string
		value types.String
	}{{"url", cfg.URL}, {"token", cfg.Token}, {"secret", cfg.Secret}} { // in schema order, so diagnostics are stable
		if a.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Unknown provider configuration value",
				"The provider cannot be configured with a value known only after apply. Set "+a.name+" to a known value or use the environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	url := valueOrEnv(cfg.URL, envURL)
	token := valueOrEnv(cfg.Token, envToken)
	secret := valueOrEnv(cfg.Secret, envSecret)
	if token == "" || secret == "" {
		resp.Diagnostics.AddError("Missing SolarNetwork credentials",
			"Set the provider's \"token\" attribute or the "+envToken+" environment variable, and the provider's \"secret\" "+
				"attribute or the "+envSecret+" environment variable, to a SolarNetwork User token and its secret.")
		return
	}
	clientCfg := client.Config{
		URL:       url,
		Token:     token,
		Secret:    secret,
		UserAgent: "terraform-provider-solarnetwork/" + p.version + " (+https://github.com/solarnetwork/terraform-provider-solarnetwork) Terraform/" + req.TerraformVersion,
		Logger: func(ctx context.Context, level client.LogLevel, msg string, fields map[string]any) {
			if level == client.LogWarn {
				tflog.Warn(ctx, msg, fields)
				return
			}
			tflog.Debug(ctx, msg, fields)
		},
	}
	clientCfg.Now = p.now
	if !cfg.MaxRetries.IsNull() {
		n := int(cfg.MaxRetries.ValueInt64())
		clientCfg.MaxRetries = &n
	}
	if !cfg.RequestTimeout.IsNull() && !cfg.RequestTimeout.IsUnknown() {
		clientCfg.RequestTimeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString()) // validated
	}
	c, err := client.New(clientCfg)
	if err != nil {
		addConfigError(&resp.Diagnostics, err)
		return
	}
	store := client.NewTokenStore(c)
	// One list for the whole run, read now: a credential SolarNetwork
	// restricts, or a list that cannot be complete, is one error here
	// before any resource could take a token as deleted.
	if _, err := store.Tokens(ctx); err != nil {
		addCredentialError(&resp.Diagnostics, err)
		return
	}
	data := &providerData{store: store, nodes: client.NewNodeList(c)}
	resp.Diagnostics.Append(data.warnings.read(ctx, cfg.DisabledWarnings)...)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *solarNetworkProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{newTokenResource}
}

func (p *solarNetworkProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newTokenDataSource, newTokensDataSource, newPolicySimulationDataSource, newNodesDataSource}
}

func (p *solarNetworkProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newTokenEphemeral}
}

func (p *solarNetworkProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{newSigningKeyFunction, newPolicyAllowsFunction}
}

// providerData is what Configure hands every resource and data source:
// the run's shared token store and node list, and the provider block's
// settings.
type providerData struct {
	store    *client.TokenStore
	nodes    *client.NodeList
	warnings policyWarnings
}

// providerDataOf is every Configure's view of the provider data. It
// returns nil before the provider is configured.
func providerDataOf(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T", data))
		return nil
	}
	return pd
}

// providerStore is the run's shared token store, nil before the provider
// is configured.
func providerStore(data any, diags *diag.Diagnostics) *client.TokenStore {
	if pd := providerDataOf(data, diags); pd != nil {
		return pd.store
	}
	return nil
}

func valueOrEnv(v types.String, env string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// configAttributes names each client.Config field as the provider block does.
var configAttributes = map[string]struct{ attr, summary string }{
	"URL":            {"url", "Invalid SolarNetwork URL"},
	"Token":          {"token", "Missing SolarNetwork token"},
	"Secret":         {"secret", "Missing SolarNetwork secret"},
	"MaxRetries":     {"max_retries", "Invalid max_retries"},
	"RequestTimeout": {"request_timeout", "Invalid request_timeout"},
}

// addConfigError files a configuration the client refuses under the
// attribute at fault.
func addConfigError(diags *diag.Diagnostics, err error) {
	var cfgErr *client.ConfigError
	if errors.As(err, &cfgErr) {
		if a, ok := configAttributes[cfgErr.Field]; ok {
			diags.AddAttributeError(path.Root(a.attr), a.summary, err.Error())
			return
		}
	}
	diags.AddError("Invalid provider configuration", err.Error())
}
