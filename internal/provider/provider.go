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
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
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
	// now is the clock (nil: time.Now) and after waits on it (nil:
	// time.After); see newWithTimers.
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

// New returns a provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &solarNetworkProvider{version: version}
	}
}

type providerModel struct {
	URL            types.String `tfsdk:"url"`
	Token          types.String `tfsdk:"token"`
	Secret         types.String `tfsdk:"secret"`
	Profile        types.String `tfsdk:"profile"`
	Guardrails     types.Object `tfsdk:"guardrails"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	ListLagWindow  types.String `tfsdk:"list_lag_window"`
	// refresh_lifecycle.go
	ExpiryWarningWindow types.String `tfsdk:"expiry_warning_window"`
	// secret_encryption.go
	SecretRecipients types.Set `tfsdk:"secret_recipients"`
	DisabledWarnings types.Set `tfsdk:"disabled_warnings"`
}

// Bounds of request_timeout.
const (
	minRequestTimeout = time.Second
	maxRequestTimeout = time.Hour
)

// maxListLagWindow bounds list_lag_window: a token kept in state for longer
// after it is gone would hide a deletion for too long.
const maxListLagWindow = 24 * time.Hour

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
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of an [s10k](https://github.com/SolarNetwork/sn-cli) profile to take the token, " +
					"secret and SolarUser URL from: the `[NAME]` section of `~/.s10k/credentials` (`sn_token_id`, " +
					"`sn_token_secret`) and `service-urls.solaruser` of `[profile.NAME]` in `~/.s10k/config`, as " +
					"`s10k --profile NAME` reads them. Defaults to the " + envProfile + " environment variable. Settings " +
					"resolve in this order: `url`, `token` and `secret` in this block; the named profile; the " + envURL + ", " +
					envToken + " and " + envSecret + " environment variables; s10k's default profile (the top level of " +
					"`~/.s10k/credentials` and `~/.s10k/config`, read only when no profile is named; as in s10k, its URL " +
					"applies whichever source gave the credentials); the default URL. A profile gives the token " +
					"and secret together, and is used only when this block sets neither. The credentials file must not be " +
					"readable by other users (`chmod 600`), as s10k's documentation advises.",
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
				Validators: []validator.String{validate.Duration(minRequestTimeout, maxRequestTimeout)},
			},
			"list_lag_window": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long SolarNetwork's token list may lag behind its tokens, as a duration such as `15m`, " +
					"from `0s` to `24h`. Defaults to `" + duration.Format(client.DefaultListLag) + "`, the flush interval of " +
					"SolarNetwork's cache of tokens: with more than one SolarUser server, a list can come from one that " +
					"has not yet seen a token made through another. A token this provider created, or saw listed, less than " +
					"this long ago stays in state when a list lacks it, with a warning that says when its absence will count; " +
					"after that it is removed from state as deleted. So a token deleted outside Terraform shows as drift up to " +
					"this long later. `0s` takes a token missing from any list as deleted at once.",
				Validators: []validator.String{validate.Duration(0, maxListLagWindow)},
			},
			"expiry_warning_window": expiryWarningWindowAttribute(),
			"secret_recipients":     providerSecretRecipientsAttribute(),
			"disabled_warnings":     disabledWarningsAttribute(),
		},
		Blocks: map[string]schema.Block{
			"guardrails": guardrailsSchema(),
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
	}{{"url", cfg.URL}, {"token", cfg.Token}, {"secret", cfg.Secret}, {"profile", cfg.Profile}} { // in schema order, so diagnostics are stable
		if a.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Unknown provider configuration value",
				"The provider cannot be configured with a value known only after apply. Set "+a.name+" to a known value or use the environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	rules, diags := parseGuardrails(ctx, cfg.Guardrails)
	resp.Diagnostics.Append(diags...)
	creds := resolveCredentials(&cfg, os.Getenv, userHome, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if creds.token == "" || creds.secret == "" {
		resp.Diagnostics.AddError("Missing SolarNetwork credentials",
			"Set the provider's \"token\" attribute or the "+envToken+" environment variable, and the provider's \"secret\" "+
				"attribute or the "+envSecret+" environment variable, to a SolarNetwork User token and its secret; or name "+
				"an s10k profile with \"profile\" or "+envProfile+".")
		return
	}
	if creds.profile != nil {
		tflog.Debug(ctx, "Using s10k profile", map[string]any{"profile": creds.profile.Name, "file": creds.profile.CredentialsPath, "token": creds.token})
	}
	clientCfg := client.Config{
		URL:       creds.url,
		Token:     creds.token,
		Secret:    creds.secret,
		UserAgent: "terraform-provider-solarnetwork/" + p.version + " (+https://github.com/solarnetwork/terraform-provider-solarnetwork) Terraform/" + req.TerraformVersion,
		Logger: func(ctx context.Context, level client.LogLevel, msg string, fields map[string]any) {
			if level == client.LogWarn {
				tflog.Warn(ctx, msg, fields)
				return
			}
			tflog.Debug(ctx, msg, fields)
		},
	}
	clientCfg.Now, clientCfg.After = p.now, p.after
	if !cfg.MaxRetries.IsNull() {
		n := int(cfg.MaxRetries.ValueInt64())
		clientCfg.MaxRetries = &n
	}
	if !cfg.RequestTimeout.IsNull() && !cfg.RequestTimeout.IsUnknown() {
		clientCfg.RequestTimeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString()) // validated
	}
	if !cfg.ListLagWindow.IsNull() && !cfg.ListLagWindow.IsUnknown() {
		window, _ := time.ParseDuration(cfg.ListLagWindow.ValueString()) // validated
		clientCfg.ListLag = &window
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
		addCredentialError(ctx, &resp.Diagnostics, err)
		return
	}
	data := &providerData{store: store, guardrails: rules, recipients: providerRecipients(cfg.SecretRecipients, &resp.Diagnostics),
		nodes: client.NewNodeList(c)}
	resp.Diagnostics.Append(data.warnings.read(ctx, cfg.DisabledWarnings)...)
	data.expiryWarning = expiryWarningWindow(cfg.ExpiryWarningWindow)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *solarNetworkProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{newTokenResource}
}

func (p *solarNetworkProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newTokenDataSource, newTokensDataSource, newCallerDataSource, newPolicySimulationDataSource, newNodesDataSource}
}

func (p *solarNetworkProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newTokenEphemeral, newTokenSecretEphemeral}
}

func (p *solarNetworkProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{newSigningKeyFunction, newPolicyAllowsFunction}
}

// providerData is what Configure hands every resource and data source:
// the run's shared token store and node list, and the provider block's
// settings.
type providerData struct {
	store      *client.TokenStore
	nodes      *client.NodeList
	guardrails *guardrails // nil: no rules
	recipients types.Set   // secret_recipients, the default of every token
	warnings   policyWarnings
	// expiryWarning is expiry_warning_window; 0 warns only once expired.
	expiryWarning time.Duration
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

// configAttributes names each client.Config field as the provider block does.
var configAttributes = map[string]struct{ attr, summary string }{
	"URL":            {"url", "Invalid SolarNetwork URL"},
	"Token":          {"token", "Missing SolarNetwork token"},
	"Secret":         {"secret", "Missing SolarNetwork secret"},
	"MaxRetries":     {"max_retries", "Invalid max_retries"},
	"RequestTimeout": {"request_timeout", "Invalid request_timeout"},
	"ListLag":        {"list_lag_window", "Invalid list_lag_window"},
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
