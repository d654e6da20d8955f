package provider

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	etimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// openEphemeral opens an ephemeral token with m as its configuration.
func openEphemeral(t *testing.T, e *tokenEphemeral, m tokenEphemeralModel) ephemeral.OpenResponse {
	t.Helper()
	s := tokenEphemeralSchema()
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)}
	if d := st.Set(context.Background(), &m); d.HasError() {
		t.Fatal(d)
	}
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: s, Raw: st.Raw}}
	resp.Private = emptyPrivate(resp.Private)
	e.Open(context.Background(), ephemeral.OpenRequest{Config: tfsdk.Config{Schema: s, Raw: st.Raw}}, &resp)
	return resp
}

func ephemeralConfig(t *testing.T) tokenEphemeralModel {
	t.Helper()
	return tokenEphemeralModel{
		Type: types.StringValue(client.TokenTypeReadNodeData), Name: types.StringValue("run"), Description: types.StringNull(),
		Policy:    policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1}}),
		ExpiresIn: types.StringValue("2h"), ID: types.StringUnknown(), Secret: types.StringUnknown(), ExpiresAt: types.StringUnknown(),
		Timeouts: nullEphemeralTimeouts(),
	}
}

// Open makes a named token with the policy and an expiry of expires_in from
// the provider's clock; Close deletes it. A failure after generate leaves
// no token behind.
func TestEphemeralOpenCloseUnit(t *testing.T) {
	now := time.Date(2031, 3, 4, 5, 6, 7, 891_234_567, time.UTC)
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return now }})
	e := &tokenEphemeral{store: r.store}
	resp := openEphemeral(t, e, ephemeralConfig(t))
	if resp.Diagnostics.HasError() {
		t.Fatal(errorsOf(resp.Diagnostics))
	}
	var got tokenEphemeralModel
	resp.Result.Get(context.Background(), &got)
	tok, ok := sim.Token(got.ID.ValueString())
	if !ok || tok.Secret != got.Secret.ValueString() || tok.Name != "run" || !slices.Equal(tok.Policy.NodeIDs, []int64{1}) {
		t.Fatalf("SolarNetwork holds %+v for %+v", tok, got)
	}
	if exp, want := tok.Policy.NotAfter, now.Add(2*time.Hour).Truncate(time.Millisecond); exp == nil || !exp.Equal(want) {
		t.Errorf("expiry %v, want %v: expires_in from the provider's clock", exp, want)
	}
	if got.ExpiresAt.ValueString() != expiration.FormatInstant(*tok.Policy.NotAfter) {
		t.Errorf("expires_at %s, SolarNetwork %v", got.ExpiresAt, tok.Policy.NotAfter)
	}

	var closeResp ephemeral.CloseResponse
	e.Close(context.Background(), ephemeral.CloseRequest{Private: resp.Private}, &closeResp)
	if closeResp.Diagnostics.HasError() {
		t.Fatal(errorsOf(closeResp.Diagnostics))
	}
	if _, ok := sim.Token(tok.ID); ok {
		t.Error("Close left the token")
	}
	// Close without a token (Open failed before generate) does nothing.
	e.Close(context.Background(), ephemeral.CloseRequest{Private: emptyPrivate(resp.Private)}, &closeResp)
	if closeResp.Diagnostics.HasError() {
		t.Error(errorsOf(closeResp.Diagnostics))
	}

	// The name is refused after generate: the token made is deleted.
	sim.InjectFault(simulator.Fault{Method: "POST", Path: "/info", Status: 400, Times: -1})
	defer sim.ClearFaults()
	n := len(sim.Tokens())
	failed := openEphemeral(t, e, ephemeralConfig(t))
	if !strings.Contains(errorsOf(failed.Diagnostics), "Could not name ephemeral security token") {
		t.Errorf("errors %q", errorsOf(failed.Diagnostics))
	}
	if len(sim.Tokens()) != n {
		t.Errorf("%d tokens after a failed Open, want %d", len(sim.Tokens()), n)
	}
}

// nullEphemeralTimeouts is an absent timeouts block of the ephemeral resource.
func nullEphemeralTimeouts() etimeouts.Value {
	tt, _ := tokenEphemeralSchema().Blocks["timeouts"].Type().(etimeouts.Type)
	v, _ := tt.ValueFromObject(context.Background(), types.ObjectNull(tt.AttrTypes))
	out, _ := v.(etimeouts.Value)
	return out
}
