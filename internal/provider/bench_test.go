package provider

import (
	"context"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/benchprovider"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/protocol"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Benchmarks of the paths a plan takes once per token: the policy
// conversions, the plan logic, and the whole ValidateResourceConfig,
// ReadResource and PlanResourceChange calls through the framework's
// protocol server, as the CLI makes them for a token that has not changed.
// Allocations matter as much as time: at a thousand tokens the garbage
// collector's share of a plan follows them. Run with `make bench`.

// benchPolicy is a typical restricted token: two nodes, two source patterns.
func benchPolicy() *client.SecurityPolicy {
	return &client.SecurityPolicy{NodeIDs: []int64{101, 100}, SourceIDs: []string{"/site1/**", "/meter/*"}}
}

func BenchmarkPolicyToObject(b *testing.B) {
	p := benchPolicy()
	b.ReportAllocs()
	for b.Loop() {
		policyToObject(p)
	}
}

func BenchmarkPolicyFromObject(b *testing.B) {
	ctx := context.Background()
	obj := policyToObject(benchPolicy())
	b.ReportAllocs()
	for b.Loop() {
		if _, _, d := policyFromObject(ctx, obj); d.HasError() {
			b.Fatal(d)
		}
	}
}

func BenchmarkPlanPolicy(b *testing.B) {
	desired, current := benchPolicy(), benchPolicy().Normalize()
	b.Run("replace", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			planPolicy(policyUpdateReplace, desired, current, nil)
		}
	})
	b.Run("merge", func(b *testing.B) {
		owned := &client.SecurityPolicy{SourceIDs: []string{"/site1/**"}}
		b.ReportAllocs()
		for b.Loop() {
			planPolicy(policyUpdateMerge, desired, current, owned)
		}
	})
}

// benchToken is one token as SolarNetwork holds it, and the protocol
// values the CLI sends for it: its state and its configuration.
type benchToken struct {
	typ           tftypes.Type
	state, config *tfprotov6.DynamicValue
}

// newBenchToken makes the token; encrypted gives it an age recipient, so
// its state holds encrypted_secret instead of secret.
func newBenchToken(b *testing.B, sim *simulator.Simulator, encrypted bool) benchToken {
	ctx := context.Background()
	st := sim.CreateToken(client.TokenTypeReadNodeData, &simulator.Policy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/site1/**", "/meter/*"}})
	if err := sim.SetInfo(st.ID, "bench", ""); err != nil {
		b.Fatal(err)
	}
	tok := client.SecurityToken{ID: st.ID, Type: st.Type, Name: "bench", Status: st.Status, Created: st.Created, UserID: st.UserID,
		Policy: benchPolicy()}
	var m tokenModel
	m.setFromToken(&tok)
	m.ExpirationDate, m.TimeZone = types.StringNull(), types.StringNull()
	m.Policy = m.EffectivePolicy
	m.PolicyUpdate = types.StringValue(policyUpdateReplace)
	m.Secret = types.StringValue("secret")
	m.AllowExpired, m.Timeouts = types.BoolNull(), nullTimeouts()
	m.Rotation = types.ObjectNull(rotationType().(types.ObjectType).AttrTypes)
	m.ReadyForRotation, m.OnDestroy = types.BoolValue(false), types.StringValue(onDestroyDelete)
	m.SecretRecipients, m.EncryptedSecret = types.SetNull(types.StringType), types.StringNull()
	if encrypted {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			b.Fatal(err)
		}
		armored, err := encryptSecret("secret", []age.Recipient{id.Recipient()})
		if err != nil {
			b.Fatal(err)
		}
		m.Secret, m.EncryptedSecret = types.StringNull(), types.StringValue(armored)
		m.SecretRecipients = types.SetValueMust(types.StringType, []attr.Value{types.StringValue(id.Recipient().String())})
	}

	// The configuration: what is written, every computed attribute null.
	c := m
	c.ID, c.Status, c.ExpiresAt, c.PolicyUpdate = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	c.EffectivePolicy = types.ObjectNull(policyAttrTypes)
	c.Secret, c.Created, c.UserID, c.Expired = types.StringNull(), types.StringNull(), types.Int64Null(), types.BoolNull()
	c.ReadyForRotation, c.OnDestroy, c.EncryptedSecret = types.BoolNull(), types.StringNull(), types.StringNull()

	s := tokenResourceSchema()
	typ := s.Type().TerraformType(ctx)
	dv := func(m tokenModel) *tfprotov6.DynamicValue {
		st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, nil)}
		if d := st.Set(ctx, &m); d.HasError() {
			b.Fatal(d)
		}
		v, err := tfprotov6.NewDynamicValue(typ, st.Raw)
		if err != nil {
			b.Fatal(err)
		}
		return &v
	}
	return benchToken{typ: typ, state: dv(m), config: dv(c)}
}

// benchServer is the provider's protocol server, configured against a
// simulator holding one token, as the CLI sees it.
func benchServer(b *testing.B, newProvider func() provider.Provider, encrypted bool) (tfprotov6.ProviderServer, benchToken) {
	ctx := context.Background()
	sim := simulator.New(simulator.Options{})
	u := sim.Start()
	b.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	srv, err := protocol.NewServer(newProvider())
	if err != nil {
		b.Fatal(err)
	}
	schemaResp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	// The provider block as the CLI sends it: url, token and secret set,
	// every other setting null.
	cfgType := schemaResp.Provider.ValueType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, typ := range cfgType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	values["url"], values["token"], values["secret"] = tftypes.NewValue(tftypes.String, u), tftypes.NewValue(tftypes.String, id),
		tftypes.NewValue(tftypes.String, secret)
	cfg, err := tfprotov6.NewDynamicValue(cfgType, tftypes.NewValue(cfgType, values))
	if err != nil {
		b.Fatal(err)
	}
	tok := newBenchToken(b, sim, encrypted) // before Configure, which lists the tokens
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || hasProtoError(resp.Diagnostics) {
		b.Fatal(err, resp.Diagnostics)
	}
	return srv, tok
}

func hasProtoError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// BenchmarkPlanCalls measures each call a plan makes per token, and the
// three together, for the token resource, the same with an encrypted
// secret, and the floor: a resource with the same schema that does nothing
// (see internal/benchprovider).
func BenchmarkPlanCalls(b *testing.B) {
	for _, kind := range []string{"token", "token-encrypted", "floor"} {
		b.Run(kind, func(b *testing.B) {
			typeName := "solarnetwork_security_token"
			newProvider := New("bench")
			if kind == "floor" {
				typeName = "solarnetwork_floor_token"
				newProvider = benchprovider.WithFloor(newProvider, "security_token")
			}
			srv, tok := benchServer(b, newProvider, kind == "token-encrypted")
			benchPlanCalls(b, srv, typeName, tok)
		})
	}
}

func benchPlanCalls(b *testing.B, srv tfprotov6.ProviderServer, typeName string, tok benchToken) {
	ctx := context.Background()
	validate := func(b *testing.B) {
		r, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: tok.config})
		if err != nil || hasProtoError(r.Diagnostics) {
			b.Fatal(err, r.Diagnostics)
		}
	}
	read := func(b *testing.B) {
		r, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: tok.state})
		if err != nil || hasProtoError(r.Diagnostics) || r.NewState == nil {
			b.Fatal(err, r.Diagnostics)
		}
	}
	plan := func(b *testing.B) {
		r, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: tok.state, ProposedNewState: tok.state, Config: tok.config,
		})
		if err != nil || hasProtoError(r.Diagnostics) || len(r.RequiresReplace) > 0 {
			b.Fatal(err, r.Diagnostics)
		}
	}
	for _, c := range []struct {
		name string
		fn   func(*testing.B)
	}{
		{"ValidateResourceConfig", validate},
		{"ReadResource", read},
		{"PlanResourceChange", plan},
		{"all", func(b *testing.B) { validate(b); read(b); plan(b) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.fn(b)
			}
		})
	}
}

// BenchmarkGetProviderSchema is what each provider process the CLI starts
// pays first: every schema, built and converted.
func BenchmarkGetProviderSchema(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		srv, err := protocol.NewServer(New("bench")())
		if err != nil {
			b.Fatal(err)
		}
		if r, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil || hasProtoError(r.Diagnostics) {
			b.Fatal(err, r.Diagnostics)
		}
	}
}

// BenchmarkEncryptSecret is the one encryption a create with
// secret_recipients adds: an ASCII-armored age file for one X25519
// recipient. Plans and refreshes encrypt nothing.
func BenchmarkEncryptSecret(b *testing.B) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	recipients, err := parseRecipients([]string{id.Recipient().String()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encryptSecret("gzfHTBdXSsZQuyB6LYx9h8ICYwdYrzd0", recipients); err != nil {
			b.Fatal(err)
		}
	}
}
