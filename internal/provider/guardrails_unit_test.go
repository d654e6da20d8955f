package provider

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// guardrailsPlan runs ModifyPlan for m over prior (nil: a create) and
// returns every diagnostic, warnings included.
func (r *tokenResource) guardrailsPlan(t *testing.T, prior *tokenModel, m tokenModel) diag.Diagnostics {
	t.Helper()
	req := resource.ModifyPlanRequest{State: stateOf(t, prior), Plan: planOf(t, m)}
	req.Config = tfsdk.Config{Schema: unitSchema, Raw: req.Plan.Raw}
	req.Private = emptyPrivate(req.Private)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(context.Background(), req, &resp)
	return resp.Diagnostics
}

// guardrailsRead runs Read on state and returns every diagnostic.
func (r *tokenResource) guardrailsRead(t *testing.T, state tokenModel) diag.Diagnostics {
	t.Helper()
	req := resource.ReadRequest{State: stateOf(t, &state)}
	resp := resource.ReadResponse{State: req.State}
	resp.Private = emptyPrivate(resp.Private)
	r.Read(context.Background(), req, &resp)
	return resp.Diagnostics
}

// guardrailDiagnostics are the guardrail diagnostics of diags as
// "error|warning attribute: detail".
func guardrailDiagnostics(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if d.Summary() != "Token breaks the provider's guardrails" {
			continue
		}
		p, _ := d.(diag.DiagnosticWithPath)
		at := ""
		if p != nil {
			at = p.Path().String()
		}
		out = append(out, strings.ToLower(d.Severity().String())+" "+at+": "+d.Detail())
	}
	return out
}

func guardrailsBlock(maxLifetime string, requireAPIPaths bool, allowed []string, enforcement string) types.Object {
	str := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	set := types.SetNull(types.StringType)
	if allowed != nil {
		var elems []attr.Value
		for _, a := range allowed {
			elems = append(elems, types.StringValue(a))
		}
		set = types.SetValueMust(types.StringType, elems)
	}
	return types.ObjectValueMust(guardrailsAttrTypes, map[string]attr.Value{
		"max_lifetime": str(maxLifetime), "require_expiration": types.BoolNull(),
		"require_api_paths_for_user_tokens": types.BoolValue(requireAPIPaths), "allowed_types": set, "enforcement": str(enforcement),
	})
}

// The provider block's guardrails reach the resource and the ephemeral
// resource parsed; a duration that does not parse stops Configure on the
// attribute, and no block means no rules.
func TestGuardrailsConfigureUnit(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	url := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()

	cfg := providerModelFor(url, id, secret)
	cfg.Guardrails = guardrailsBlock("90d", true, []string{"User", "ReadNodeData"}, "warn")
	resp := configureUnit(t, cfg)
	if resp.Diagnostics.HasError() {
		t.Fatal(errorsOf(resp.Diagnostics))
	}
	pd := resp.ResourceData.(*providerData)
	want := guardrails{maxLifetime: 90 * 24 * time.Hour, maxLifetimeText: "90d", requireAPIPaths: true,
		allowedTypes: []string{"ReadNodeData", "User"}, warnOnly: true}
	if g := pd.guardrails; g == nil || g.maxLifetime != want.maxLifetime || g.maxLifetimeText != want.maxLifetimeText ||
		g.requireExpiry || !g.requireAPIPaths || !slices.Equal(g.allowedTypes, want.allowedTypes) || !g.warnOnly {
		t.Errorf("guardrails %+v, want %+v", g, want)
	}
	var r tokenResource
	r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: pd}, &resource.ConfigureResponse{})
	var e tokenEphemeral
	e.Configure(context.Background(), ephemeral.ConfigureRequest{ProviderData: pd}, &ephemeral.ConfigureResponse{})
	if r.guardrails != pd.guardrails || e.guardrails != pd.guardrails || e.store != pd.store {
		t.Error("the resource or the ephemeral resource did not get the provider's guardrails and store")
	}

	cfg.Guardrails = guardrailsBlock("ninety days", false, nil, "")
	resp = configureUnit(t, cfg)
	if got := errorsOf(resp.Diagnostics); !strings.HasPrefix(got, "Invalid duration: ") || resp.ResourceData != nil {
		t.Errorf("errors %q, want an invalid duration and no provider data", got)
	}
	var onAttr bool
	for _, d := range resp.Diagnostics.Errors() {
		if p, ok := d.(diag.DiagnosticWithPath); ok && p.Path().String() == "guardrails.max_lifetime" {
			onAttr = true
		}
	}
	if !onAttr {
		t.Error("the invalid duration is not on guardrails.max_lifetime")
	}

	cfg.Guardrails = types.ObjectNull(guardrailsAttrTypes)
	if resp := configureUnit(t, cfg); resp.ResourceData.(*providerData).guardrails != nil {
		t.Error("rules without a guardrails block")
	}
}

// At plan time a new token that breaks a rule is refused under the
// attribute at fault, named in the message; enforcement = "warn" makes it
// a warning. A change leaves an existing token alone unless it touches
// what a rule is about, and Read reports a token that breaks one.
func TestGuardrailsPlanAndReadUnit(t *testing.T) {
	now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return now }})
	rules := &guardrails{maxLifetime: 90 * 24 * time.Hour, maxLifetimeText: "90d", requireAPIPaths: true}

	// Made before the rules: never expires, a User token without api_paths.
	cfg := newModel()
	cfg.Type = types.StringValue(client.TokenTypeUser)
	cfg.Name = types.StringValue("Admin")
	admin := r.create(t, cfg)
	r.guardrails = rules

	cases := []struct {
		name  string
		prior *tokenModel
		edit  func(m *tokenModel)
		want  []string
	}{
		{"new token that never expires", nil, func(m *tokenModel) { m.Name = types.StringValue("Dashboard") }, []string{
			`error expiration_date: The new token "Dashboard": guardrails.max_lifetime is 90d, and this token never expires.`}},
		{"new token too long", nil, func(m *tokenModel) { m.ExpirationDate = types.StringValue("2031-04-02") }, []string{
			"error expiration_date: The new token: guardrails.max_lifetime is 90d, and this token would expire at " +
				"2031-04-02T00:00:00Z, more than 90d after its creation (2031-01-01T00:00:00Z)."}},
		{"new token within", nil, func(m *tokenModel) { m.ExpirationDate = types.StringValue("2031-04-01") }, nil},
		{"User token without api_paths", nil, func(m *tokenModel) {
			m.Type = types.StringValue(client.TokenTypeUser)
			m.ExpirationDate = types.StringValue("2031-02-01")
		}, []string{"error policy.api_paths: The new token: guardrails.require_api_paths_for_user_tokens is set"}},
		{"a rename leaves a token that breaks the rules alone", &admin, func(m *tokenModel) { m.Name = types.StringValue("Renamed") }, nil},
		{"a change of expiry is judged from created", &admin, func(m *tokenModel) { m.ExpirationDate = types.StringValue("2031-12-31") },
			[]string{`error expiration_date: Token ` + admin.ID.ValueString() + ` ("Admin"): guardrails.max_lifetime is 90d, and this token would expire at 2031-12-31`,
				`error policy.api_paths: Token ` + admin.ID.ValueString() + ` ("Admin"): guardrails.require_api_paths_for_user_tokens is set`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newModel()
			if c.prior != nil {
				m = *c.prior
			}
			c.edit(&m)
			checkGuardrailDiagnostics(t, guardrailDiagnostics(r.guardrailsPlan(t, c.prior, m)), c.want)
		})
	}

	t.Run("enforcement warn", func(t *testing.T) {
		warn := *rules
		warn.warnOnly = true
		r.guardrails = &warn
		defer func() { r.guardrails = rules }()
		checkGuardrailDiagnostics(t, guardrailDiagnostics(r.guardrailsPlan(t, nil, newModel())), []string{
			`warning expiration_date: The new token: guardrails.max_lifetime is 90d, and this token never expires.`})
	})

	t.Run("read warns and keeps the token", func(t *testing.T) {
		diags := r.guardrailsRead(t, admin)
		checkGuardrailDiagnostics(t, guardrailDiagnostics(diags), []string{
			`warning expiration_date: Token ` + admin.ID.ValueString() + ` ("Admin"): guardrails.max_lifetime is 90d, and this token never expires.`,
			`warning policy.api_paths: Token ` + admin.ID.ValueString() + ` ("Admin"): guardrails.require_api_paths_for_user_tokens is set`})
		for _, d := range guardrailDiagnostics(diags) {
			if !strings.HasSuffix(d, "The token is left as it is; the rule is enforced when it is next created or changed.") {
				t.Errorf("%q does not say the token is left as it is", d)
			}
		}
		if _, ok := sim.Token(admin.ID.ValueString()); !ok {
			t.Error("the token is gone")
		}
	})
}

// checkGuardrailDiagnostics compares got with want, each of want a prefix
// of the diagnostic at its place.
func checkGuardrailDiagnostics(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("diagnostics %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("diagnostic %q, want it to begin %q", got[i], want[i])
		}
	}
}

// The ephemeral resource is held to the rules before any token is made,
// with the breach filed under its own expires_in.
func TestGuardrailsEphemeralUnit(t *testing.T) {
	now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return now }})
	e := &tokenEphemeral{store: r.store, guardrails: &guardrails{maxLifetime: time.Hour, maxLifetimeText: "1h"}}
	resp := openEphemeral(t, e, ephemeralConfig(t)) // expires_in = "2h"
	checkGuardrailDiagnostics(t, guardrailDiagnostics(resp.Diagnostics), []string{
		"error expires_in: The ephemeral token: guardrails.max_lifetime is 1h, and this token would expire at " +
			"2031-01-01T02:00:00Z, more than 1h after its creation (2031-01-01T00:00:00Z). Set a shorter expires_in."})
	if n := sim.Count("POST", "/auth-tokens/generate/ReadNodeData"); n != 0 {
		t.Errorf("%d generate requests, want none", n)
	}

	e.guardrails.maxLifetime, e.guardrails.maxLifetimeText = 2*time.Hour, "2h"
	resp = openEphemeral(t, e, ephemeralConfig(t))
	if resp.Diagnostics.HasError() || len(guardrailDiagnostics(resp.Diagnostics)) > 0 {
		t.Errorf("a token within the rules: %v", resp.Diagnostics)
	}
}
