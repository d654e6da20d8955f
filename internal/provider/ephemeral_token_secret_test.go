package provider

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// openTokenSecretEphemeral opens solarnetwork_token_secret as Terraform does.
func openTokenSecretEphemeral(t *testing.T, e *tokenSecretEphemeral, encrypted, identity string) ephemeral.OpenResponse {
	t.Helper()
	s := tokenSecretSchema()
	m := tokenSecretModel{EncryptedSecret: types.StringValue(encrypted), Identity: types.StringValue(identity),
		Secret: types.StringUnknown(), SigningKey: types.StringUnknown(), SigningKeyDate: types.StringUnknown()}
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)}
	if d := st.Set(context.Background(), &m); d.HasError() {
		t.Fatal(d)
	}
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: s, Raw: st.Raw}}
	resp.Private = emptyPrivate(resp.Private)
	e.Open(context.Background(), ephemeral.OpenRequest{Config: tfsdk.Config{Schema: s, Raw: st.Raw}}, &resp)
	return resp
}

// Open gives the secret of a token made with recipients and its signing key
// for the day of the provider's clock, without a request to SolarNetwork.
func TestTokenSecretOpenUnit(t *testing.T) {
	now := time.Date(2031, 3, 4, 23, 59, 59, 0, time.UTC)
	r, sim := unitResourceWith(t, simulator.Options{Now: func() time.Time { return now }})
	key := testAgeKey(t)
	cfg := newModel()
	cfg.SecretRecipients = stringSetOf(key.recipient)
	plan, _ := r.modifyPlan(t, nil, &cfg)
	state := r.create(t, plan)
	tok, _ := sim.Token(state.ID.ValueString())
	before := sim.Count("", "")

	resp := openTokenSecretEphemeral(t, &tokenSecretEphemeral{store: r.store}, state.EncryptedSecret.ValueString(), key.identity)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var got tokenSecretModel
	resp.Result.Get(context.Background(), &got)
	if got.Secret.ValueString() != tok.Secret {
		t.Errorf("secret %q, SolarNetwork holds %q", got.Secret.ValueString(), tok.Secret)
	}
	day := time.Date(2031, 3, 4, 0, 0, 0, 0, time.UTC)
	if want := hex.EncodeToString(client.SigningKey(tok.Secret, day)); got.SigningKey.ValueString() != want || got.SigningKeyDate.ValueString() != "2031-03-04" {
		t.Errorf("signing key %s for %s, want %s for 2031-03-04", got.SigningKey, got.SigningKeyDate, want)
	}
	if n := sim.Count("", "") - before; n != 0 {
		t.Errorf("%d requests to SolarNetwork", n)
	}
}

// Seeds: testdata/fuzz/FuzzTokenSecretOpen. Whatever encrypted_secret
// holds, Open does not panic and answers either the secret or exactly one
// error, which never quotes the input.
func FuzzTokenSecretOpen(f *testing.F) {
	key := testAgeKey(f)
	r, _, _ := parseRecipient(key.recipient)
	armored, err := encryptSecret("Zq8uTf2LkP9sWx4RnB7cVm3y", []age.Recipient{r})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(armored)
	f.Add(armored[:len(armored)/2])
	f.Add(strings.ReplaceAll(armored, "\n", "\r\n"))
	f.Add("-----BEGIN AGE ENCRYPTED FILE-----\n-----END AGE ENCRYPTED FILE-----\n")
	f.Add("age-encryption.org/v1\n-> X25519 AAAA\n--- AAAA\n")
	f.Add("")
	e := &tokenSecretEphemeral{}
	f.Fuzz(func(t *testing.T, encrypted string) {
		resp := openTokenSecretEphemeral(t, e, encrypted, key.identity)
		if resp.Diagnostics.HasError() {
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("%d diagnostics: %v", len(resp.Diagnostics), resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			// The messages are fixed text: a long input inside one was quoted.
			if trimmed := strings.TrimSpace(encrypted); len(trimmed) > 40 && strings.Contains(d.Detail(), trimmed) {
				t.Fatalf("the error quotes the input: %s", d.Detail())
			}
			return
		}
		var got tokenSecretModel
		resp.Result.Get(context.Background(), &got)
		if !isTokenSecret([]byte(got.Secret.ValueString())) || len(got.SigningKey.ValueString()) != 64 {
			t.Fatalf("opened to %q, key %q", got.Secret.ValueString(), got.SigningKey.ValueString())
		}
	})
}
