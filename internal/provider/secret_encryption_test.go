package provider

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// recipientKey is a key pair as a user has it: the public key given as a
// recipient, the private key as an identity.
type recipientKey struct {
	recipient, identity string
}

// testAgeKey is a fresh age X25519 key pair, its identity written as
// age-keygen writes a key file.
func testAgeKey(t testing.TB) recipientKey {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r := id.Recipient().String()
	return recipientKey{recipient: r, identity: "# created: 2026-11-01T00:00:00Z\n# public key: " + r + "\n" + id.String() + "\n"}
}

// testSSHKey is a fresh OpenSSH key pair of type ssh-ed25519 or ssh-rsa,
// optionally protected by a passphrase.
func testSSHKey(t testing.TB, kind, passphrase string) recipientKey {
	t.Helper()
	var priv any
	switch kind {
	case ssh.KeyAlgoED25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		priv = k
	case ssh.KeyAlgoRSA:
		priv = testRSAKey(t)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "ops@example")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "ops@example", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	pub := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " ops@example"
	return recipientKey{recipient: pub, identity: string(pem.EncodeToMemory(block))}
}

// testRSAKey is one 2048-bit RSA key for every test: making one is slow.
var testRSAKey = func() func(testing.TB) *rsa.PrivateKey {
	var once sync.Once
	var key *rsa.PrivateKey
	return func(t testing.TB) *rsa.PrivateKey {
		once.Do(func() {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				t.Fatal(err)
			}
			key = k
		})
		return key
	}
}()

func TestParseRecipientUnit(t *testing.T) {
	x := testAgeKey(t)
	ed := testSSHKey(t, ssh.KeyAlgoED25519, "")
	rs := testSSHKey(t, ssh.KeyAlgoRSA, "")
	ecdsa := "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg="
	ageID := strings.Split(strings.TrimSpace(x.identity), "\n")[2]
	for _, c := range []struct {
		name, value, canonical, err string
	}{
		{"age X25519", x.recipient, x.recipient, ""},
		{"age X25519 with spaces around", "  " + x.recipient + "\n", x.recipient, ""},
		{"ssh-ed25519 with a comment", ed.recipient, strings.TrimSuffix(ed.recipient, " ops@example"), ""},
		{"ssh-rsa", rs.recipient, strings.TrimSuffix(rs.recipient, " ops@example"), ""},
		{"age X25519 cut short", x.recipient[:30], "", "not a valid age X25519 recipient"},
		{"ssh-ed25519 cut short", ed.recipient[:40], "", "not a valid SSH public key"},
		{"ecdsa", ecdsa, "", "SSH keys of type ecdsa-sha2-nistp256 cannot be encrypted to"},
		{"post-quantum", "age1pq1" + strings.Repeat("q", 50), "", "post-quantum"},
		{"an age identity", ageID, "", "this is a private key"},
		{"an SSH private key", ed.identity, "", "this is a private key"},
		{"a word", "alice", "", "not a recipient"},
		{"empty", "", "", "not a recipient"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, canonical, err := parseRecipient(c.value)
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error %v, want one saying %q", err, c.err)
			case c.err == "" && canonical != c.canonical:
				t.Errorf("canonical %q, want %q", canonical, c.canonical)
			}
			// The value is never repeated: it may be a private key.
			if err != nil && len(strings.TrimSpace(c.value)) > 6 && strings.Contains(err.Error(), strings.TrimSpace(c.value)) {
				t.Errorf("the error repeats the value: %v", err)
			}
		})
	}
}

// The same keys, spelled differently, are the same recipients; an empty
// set is no recipients, like null; unknown is never the same.
func TestSameRecipientsUnit(t *testing.T) {
	x, ed := testAgeKey(t), testSSHKey(t, ssh.KeyAlgoED25519, "")
	bare := strings.TrimSuffix(ed.recipient, " ops@example")
	for _, c := range []struct {
		name string
		a, b types.Set
		same bool
	}{
		{"equal", stringSetOf(x.recipient, ed.recipient), stringSetOf(ed.recipient, x.recipient), true},
		{"SSH comment changed", stringSetOf(ed.recipient), stringSetOf(bare + " someone@else"), true},
		{"null and empty", types.SetNull(types.StringType), stringSetOf(), true},
		{"one added", stringSetOf(x.recipient), stringSetOf(x.recipient, ed.recipient), false},
		{"null and one", types.SetNull(types.StringType), stringSetOf(x.recipient), false},
		{"unknown", types.SetUnknown(types.StringType), types.SetUnknown(types.StringType), false},
	} {
		if got := sameRecipients(c.a, c.b); got != c.same {
			t.Errorf("%s: sameRecipients = %v", c.name, got)
		}
	}
}

func stringSetOf(values ...string) types.Set {
	elems := make([]types.String, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	s, _ := types.SetValueFrom(context.Background(), types.StringType, elems)
	return s
}

// A secret encrypted to an age key, an ssh-ed25519 and an ssh-rsa key is
// read back with any of their private keys, as age -d would.
func TestEncryptSecretRoundTripUnit(t *testing.T) {
	keys := []recipientKey{testAgeKey(t), testSSHKey(t, ssh.KeyAlgoED25519, ""), testSSHKey(t, ssh.KeyAlgoRSA, "")}
	var values []string
	for _, k := range keys {
		values = append(values, k.recipient)
	}
	recipients, err := parseRecipients(values)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "v%Q3x^Jm!2p@L9sZr8#Yw4kN"
	armored, err := encryptSecret(secret, recipients)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(armored, "-----BEGIN AGE ENCRYPTED FILE-----\n") || !strings.HasSuffix(armored, "-----END AGE ENCRYPTED FILE-----\n") {
		t.Fatalf("not ASCII-armored: %q", armored)
	}
	for i, k := range keys {
		got, diags := openTokenSecret(armored, k.identity)
		if diags.HasError() || got != secret {
			t.Errorf("key %d: got %q, %v", i, got, diags)
		}
	}
	if _, err := encryptSecret(secret, nil); err == nil {
		t.Error("encrypting to no recipients succeeded")
	}
}

// Every way Open can be given the wrong thing is one error on the
// attribute at fault that says what is wrong and never quotes the input.
func TestOpenTokenSecretErrorsUnit(t *testing.T) {
	mine, other := testAgeKey(t), testAgeKey(t)
	r, _, _ := parseRecipient(mine.recipient)
	const secret = "Zq8uTf2LkP9sWx4RnB7cVm3y"
	armored, err := encryptSecret(secret, []age.Recipient{r})
	if err != nil {
		t.Fatal(err)
	}
	locked := testSSHKey(t, ssh.KeyAlgoED25519, "hunter22")
	lines := strings.Split(armored, "\n")
	for _, c := range []struct {
		name, encrypted, identity, attr, says string
	}{
		{"another identity", armored, other.identity, "identity", "was not encrypted to the public key of this identity"},
		{"an identity that is not one", armored, "AGE-SECRET-KEY-1" + secret, "identity", "neither an age identity"},
		{"empty identity", armored, " \n", "identity", "identity is empty"},
		{"a passphrase-protected SSH key", armored, locked.identity, "identity", "protected by a passphrase"},
		{"a broken SSH key", armored, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + secret + "\n-----END OPENSSH PRIVATE KEY-----\n", "identity", "OpenSSH"},
		{"the plain secret", secret, mine.identity, "encrypted_secret", "not an ASCII-armored age file"},
		{"cut short", strings.Join(lines[:len(lines)/2], "\n"), mine.identity, "encrypted_secret", "cut short or changed"},
		{"changed", strings.Replace(armored, lines[2][:8], "AAAAAAAA", 1), mine.identity, "encrypted_secret", "cut short or changed"},
		{"too long", armored + strings.Repeat(" ", maxEncryptedSecret), mine.identity, "", ""}, // trailing space is trimmed
		{"huge", "-----BEGIN AGE ENCRYPTED FILE-----\n" + strings.Repeat("A", maxEncryptedSecret), mine.identity, "encrypted_secret", "far longer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, diags := openTokenSecret(c.encrypted, c.identity)
			if c.attr == "" {
				if diags.HasError() || got != secret {
					t.Fatalf("got %q, %v", got, diags)
				}
				return
			}
			if len(diags) != 1 || !diags.HasError() {
				t.Fatalf("want one error, got %v", diags)
			}
			d := diags[0]
			if !strings.Contains(d.Detail(), c.says) {
				t.Errorf("error %q: %q, want it to say %q", d.Summary(), d.Detail(), c.says)
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root(c.attr)) {
				t.Errorf("the error is not on %s: %v", c.attr, d)
			}
			if strings.Contains(d.Summary()+d.Detail(), secret) {
				t.Errorf("the error quotes the input: %s", d.Detail())
			}
			if got != "" {
				t.Errorf("a value came back with the error: %q", got)
			}
		})
	}
	// Decrypting to something that is not a token secret.
	notSecret, _ := encryptSecret("two\nlines", []age.Recipient{r})
	if _, diags := openTokenSecret(notSecret, mine.identity); !diags.HasError() ||
		!strings.Contains(diags[0].Detail(), "other than a token secret") {
		t.Errorf("a file holding two lines: %v", diags)
	}
}

// modifyPlan runs ModifyPlan with cfg as both the plan and the
// configuration, and returns the plan and the response.
func (r *tokenResource) modifyPlan(t *testing.T, prior, cfg *tokenModel) (tokenModel, resource.ModifyPlanResponse) {
	t.Helper()
	req := resource.ModifyPlanRequest{State: stateOf(t, prior), Plan: planOf(t, *cfg)}
	req.Config = tfsdk.Config{Schema: unitSchema, Raw: req.Plan.Raw}
	req.Private = emptyPrivate(req.Private)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(context.Background(), req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("plan: %v", resp.Diagnostics)
	}
	var out tokenModel
	resp.Plan.Get(context.Background(), &out)
	return out, resp
}

// The plan shows where the secret will be: encrypted to the token's own
// recipients, else the provider's, else in plain text; and a change of
// recipients replaces a token with a secret in state, with a warning.
func TestPlanSecretRecipientsUnit(t *testing.T) {
	r, sim := unitResource(t)
	a, b := testAgeKey(t), testSSHKey(t, ssh.KeyAlgoED25519, "")

	cfg := newModel()
	plan, _ := r.modifyPlan(t, nil, &cfg)
	if !plan.Secret.IsUnknown() || !plan.EncryptedSecret.IsNull() || !plan.SecretRecipients.IsNull() {
		t.Errorf("no recipients: secret %v, encrypted_secret %v, recipients %v", plan.Secret, plan.EncryptedSecret, plan.SecretRecipients)
	}
	r.recipients = stringSetOf(a.recipient) // the provider's
	plan, _ = r.modifyPlan(t, nil, &cfg)
	if !plan.Secret.IsNull() || !plan.EncryptedSecret.IsUnknown() || !plan.SecretRecipients.Equal(r.recipients) {
		t.Errorf("the provider's recipients: secret %v, encrypted_secret %v, recipients %v", plan.Secret, plan.EncryptedSecret, plan.SecretRecipients)
	}
	cfg.SecretRecipients = stringSetOf()
	plan, _ = r.modifyPlan(t, nil, &cfg)
	if !plan.Secret.IsUnknown() || !plan.EncryptedSecret.IsNull() {
		t.Errorf("[] overrides the provider: secret %v, encrypted_secret %v", plan.Secret, plan.EncryptedSecret)
	}
	cfg.SecretRecipients = stringSetOf(b.recipient)
	plan, _ = r.modifyPlan(t, nil, &cfg)
	if !plan.SecretRecipients.Equal(cfg.SecretRecipients) || !plan.Secret.IsNull() {
		t.Errorf("the token's own recipients win: %v", plan.SecretRecipients)
	}

	// Made, then planned again unchanged, with the SSH key's comment
	// changed, and with other recipients.
	state := r.create(t, plan)
	if !state.Secret.IsNull() || state.EncryptedSecret.IsNull() {
		t.Fatalf("created: secret %v, encrypted_secret %v", state.Secret, state.EncryptedSecret)
	}
	tok, _ := sim.Token(state.ID.ValueString())
	if got, diags := openTokenSecret(state.EncryptedSecret.ValueString(), b.identity); diags.HasError() || got != tok.Secret {
		t.Fatalf("encrypted_secret decrypts to %q (%v), SolarNetwork holds %q", got, diags, tok.Secret)
	}
	again := state
	plan, resp := r.modifyPlan(t, &state, &again)
	if len(resp.RequiresReplace) > 0 || !plan.EncryptedSecret.Equal(state.EncryptedSecret) || !plan.Secret.IsNull() {
		t.Errorf("unchanged: replace %v, encrypted_secret %v", resp.RequiresReplace, plan.EncryptedSecret)
	}
	again.SecretRecipients = stringSetOf(strings.TrimSuffix(b.recipient, "ops@example") + "ops@laptop")
	if _, resp = r.modifyPlan(t, &state, &again); len(resp.RequiresReplace) > 0 {
		t.Errorf("a new comment on the same SSH key replaces the token")
	}
	again.SecretRecipients = types.SetNull(types.StringType) // now the provider's a
	plan, resp = r.modifyPlan(t, &state, &again)
	if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(pathSecretRecipients) {
		t.Fatalf("other recipients: replace %v", resp.RequiresReplace)
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || !strings.Contains(warnings[0].Summary(), "replaces token "+state.ID.ValueString()) ||
		!strings.Contains(warnings[0].Detail(), "never has the plain text again") {
		t.Errorf("warnings %v", warnings)
	}
	if !plan.EncryptedSecret.IsUnknown() || !plan.SecretRecipients.Equal(r.recipients) {
		t.Errorf("replacement plan: encrypted_secret %v, recipients %v", plan.EncryptedSecret, plan.SecretRecipients)
	}

	// A token whose secret was in state in plain text is replaced too, and
	// the warning says why.
	r.recipients = types.SetNull(types.StringType)
	plainCfg := newModel()
	plainPlan, _ := r.modifyPlan(t, nil, &plainCfg)
	plain := r.create(t, plainPlan)
	if plain.Secret.IsNull() || !plain.EncryptedSecret.IsNull() {
		t.Fatalf("created without recipients: secret null %v, encrypted_secret %v", plain.Secret.IsNull(), plain.EncryptedSecret)
	}
	withRecipients := plain
	withRecipients.SecretRecipients = stringSetOf(a.recipient)
	_, resp = r.modifyPlan(t, &plain, &withRecipients)
	if len(resp.RequiresReplace) != 1 || !strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "has been in state unencrypted") {
		t.Errorf("plain secret, recipients added: replace %v, %v", resp.RequiresReplace, resp.Diagnostics)
	}

	// An imported token has no secret to protect: recipients are recorded
	// in place.
	imported := plain
	imported.Secret = types.StringNull()
	plan, resp = r.modifyPlan(t, &imported, &withRecipients)
	if len(resp.RequiresReplace) > 0 || len(resp.Diagnostics) > 0 || !plan.EncryptedSecret.IsNull() || !plan.Secret.IsNull() {
		t.Errorf("imported: replace %v, %v, encrypted_secret %v", resp.RequiresReplace, resp.Diagnostics, plan.EncryptedSecret)
	}
}

// If the secret cannot be encrypted after the generate, the token is
// deleted and nothing is written to state.
func TestCreateEncryptionFailureUnit(t *testing.T) {
	r, sim := unitResource(t)
	var seen string
	r.encrypt = func(secret string, _ []age.Recipient) (string, error) {
		seen = secret
		return "", errors.New("entropy ran out")
	}
	cfg := newModel()
	cfg.SecretRecipients = stringSetOf(testAgeKey(t).recipient)
	plan, _ := r.modifyPlan(t, nil, &cfg)
	req := resource.CreateRequest{Plan: planOf(t, plan)}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	resp.Private = emptyPrivate(resp.Private)
	r.Create(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "The token was deleted") {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("state was written")
	}
	if seen == "" {
		t.Fatal("encrypt was not called")
	}
	if strings.Contains(resp.Diagnostics.Errors()[0].Detail(), seen) {
		t.Error("the error holds the secret")
	}
	if left := nonAdminTokens(sim); len(left) > 0 {
		t.Errorf("tokens left: %v", left)
	}
	// When the delete fails too, the error says the token expires soon.
	sim.InjectFault(simulator.Fault{Method: "DELETE", Status: 403, Times: -1})
	resp = resource.CreateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	resp.Private = emptyPrivate(resp.Private)
	r.Create(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "stops working within the hour") || !resp.State.Raw.IsNull() {
		t.Errorf("delete failing too: %v, state null %v", resp.Diagnostics, resp.State.Raw.IsNull())
	}
}
