package provider

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*tokenSecretEphemeral)(nil)

// Bounds of what Open reads: an armored secret encrypted to a few dozen
// recipients is a few KB, and a token secret a few dozen characters.
const (
	maxEncryptedSecret = 1 << 20
	maxSecretLength    = 1 << 10
)

// tokenSecretEphemeral decrypts a token's encrypted_secret for the length
// of one run, so that the secret reaches write-only arguments and provider
// blocks without ever being in plan or state.
type tokenSecretEphemeral struct {
	store *client.TokenStore
}

func newTokenSecretEphemeral() ephemeral.EphemeralResource { return &tokenSecretEphemeral{} }

type tokenSecretModel struct {
	EncryptedSecret types.String `tfsdk:"encrypted_secret"`
	Identity        types.String `tfsdk:"identity"`
	Secret          types.String `tfsdk:"secret"`
	SigningKey      types.String `tfsdk:"signing_key"`
	SigningKeyDate  types.String `tfsdk:"signing_key_date"`
}

func (e *tokenSecretEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_token_secret"
}

func (e *tokenSecretEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = tokenSecretSchema()
}

var tokenSecretSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Decrypts the `encrypted_secret` of a `solarnetwork_security_token` made with `secret_recipients`, for " +
			"one run: the secret and its current signing key are ephemeral values, for write-only arguments (such as " +
			"`secret_string_wo` or `data_json_wo` of other providers) and provider blocks, and never reach plan or state. " +
			"Makes no request to SolarNetwork. Needs Terraform 1.10+ or OpenTofu 1.11+; older versions refuse the " +
			"`ephemeral` block (decrypt with `terraform output -raw NAME | age -d -i key.txt` there).",
		Attributes: map[string]schema.Attribute{
			"encrypted_secret": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The token's `encrypted_secret`: an ASCII-armored age file.",
			},
			"identity": schema.StringAttribute{
				Required:  true,
				Sensitive: true,
				MarkdownDescription: "The private key of one of the token's recipients: an age identity (`AGE-SECRET-KEY-1…`, " +
					"a whole key file from `age-keygen` with its comments is fine) or an unencrypted OpenSSH `ssh-ed25519` or " +
					"`ssh-rsa` private key. Give it from an ephemeral variable (`ephemeral = true`) or another ephemeral " +
					"resource, so that it is not kept in plan files either.",
			},
			"secret": schema.StringAttribute{
				Computed:            true,
				Sensitive:           true,
				MarkdownDescription: "The token secret.",
			},
			"signing_key": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The SNWS2 signing key of the secret for `signing_key_date`, as " +
					"`provider::solarnetwork::signing_key` gives it: SolarNetwork accepts it for requests dated that day " +
					"and the six days after.",
			},
			"signing_key_date": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The UTC date `signing_key` is for: the day of the run, by the provider's clock.",
			},
		},
	}
})

func (e *tokenSecretEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.store = providerStore(req.ProviderData, &resp.Diagnostics)
}

func (e *tokenSecretEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m tokenSecretModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret, diags := openTokenSecret(m.EncryptedSecret.ValueString(), m.Identity.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	day := storeNow(e.store).UTC().Truncate(24 * time.Hour)
	m.Secret = types.StringValue(secret)
	m.SigningKey = types.StringValue(hex.EncodeToString(client.SigningKey(secret, day)))
	m.SigningKeyDate = types.StringValue(day.Format(time.DateOnly))
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

var (
	pathIdentity = path.Root("identity")
	// errNotOurs is a file that none of the identities can open.
	errNotOurs = errors.New("not ours")
)

// openTokenSecret decrypts an armored age file with identity and checks
// that it holds a token secret. Every failure is one error that names the
// attribute and never repeats the input: a mistaken value may be a secret
// itself.
func openTokenSecret(encrypted, identity string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	ids, err := parseIdentities(identity)
	if err != nil {
		diags.AddAttributeError(pathIdentity, "Invalid identity", err.Error())
		return "", diags
	}
	secret, err := decryptSecret(encrypted, ids)
	switch {
	case errors.Is(err, errNotOurs):
		diags.AddAttributeError(pathIdentity, "The identity cannot decrypt this secret",
			"encrypted_secret was not encrypted to the public key of this identity. Give the private key of one of the "+
				"token's secret_recipients.")
	case err != nil:
		diags.AddAttributeError(pathEncryptedSecret, "Invalid encrypted secret", err.Error())
	}
	return secret, diags
}

// parseIdentities reads an age identity file (one or more
// AGE-SECRET-KEY-1… lines, comments allowed) or an OpenSSH private key.
func parseIdentities(text string) ([]age.Identity, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, errors.New("identity is empty: give the private key of one of the token's secret_recipients")
	case strings.Contains(text, "-----BEGIN"):
		id, err := agessh.ParseIdentity([]byte(text))
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, errors.New("the SSH private key is protected by a passphrase, which the provider cannot ask for: " +
				"give an age identity, or an SSH key without a passphrase")
		case err != nil:
			return nil, errors.New("identity is not an OpenSSH ssh-ed25519 or ssh-rsa private key that the provider can read")
		}
		return []age.Identity{id}, nil
	default:
		ids, err := age.ParseIdentities(strings.NewReader(text))
		if err != nil {
			// age's message names the line, never its content.
			return nil, errors.New("identity is neither an age identity (AGE-SECRET-KEY-1…) nor an OpenSSH private key: " + err.Error())
		}
		return ids, nil
	}
}

// decryptSecret opens an ASCII-armored age file with ids. Its errors say
// what is wrong without quoting the input.
func decryptSecret(encrypted string, ids []age.Identity) (string, error) {
	encrypted = strings.TrimSpace(encrypted)
	if len(encrypted) > maxEncryptedSecret {
		return "", errors.New("encrypted_secret is far longer than an encrypted token secret: give a token's encrypted_secret")
	}
	if !strings.HasPrefix(encrypted, armor.Header) {
		return "", errors.New("encrypted_secret is not an ASCII-armored age file (it must begin with " + armor.Header +
			"): give a token's encrypted_secret as it is")
	}
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(encrypted)), ids...)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return "", errNotOurs
	case err != nil:
		return "", errors.New("encrypted_secret is not a whole, unaltered age file: it may have been cut short or changed")
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxSecretLength+1))
	if err != nil {
		return "", errors.New("encrypted_secret is not a whole, unaltered age file: it may have been cut short or changed")
	}
	if !isTokenSecret(plain) {
		return "", errors.New("encrypted_secret decrypts to something other than a token secret: give a token's encrypted_secret")
	}
	return string(plain), nil
}

// isTokenSecret reports whether b can be a token secret: printable text of
// a sensible length.
func isTokenSecret(b []byte) bool {
	if len(b) == 0 || len(b) > maxSecretLength || !utf8.Valid(b) {
		return false
	}
	return bytes.IndexFunc(b, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }) < 0
}
