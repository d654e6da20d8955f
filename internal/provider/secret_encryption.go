package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"golang.org/x/crypto/ssh"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// A token's secret can reach state encrypted to age recipients instead of
// in plain text: secret_recipients on the resource, or in the provider block
// for every token. The provider encrypts the secret before the first state
// write and never has the plain text again, so a change of recipients
// replaces the token (DESIGN.md, "Encrypted secrets").

var (
	pathSecretRecipients = path.Root("secret_recipients")
	pathEncryptedSecret  = path.Root("encrypted_secret")
)

const recipientForms = "an age X25519 recipient (`age1…`, from `age-keygen -y`) or an SSH public key of type `ssh-ed25519` " +
	"or `ssh-rsa` (a line of `~/.ssh/id_ed25519.pub` or `authorized_keys`)"

// parseRecipient reads one recipient and gives its canonical spelling (an
// SSH key without its comment), which decides whether two lists name the
// same keys. Errors never repeat the value: it may be a private key pasted
// by mistake.
func parseRecipient(s string) (age.Recipient, string, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(strings.ToUpper(s), "AGE-SECRET-KEY-") || strings.Contains(s, "PRIVATE KEY"):
		return nil, "", errors.New("this is a private key (an identity), not a recipient: give its public key instead, " +
			"as printed by `age-keygen -y` or found in the `.pub` file, and keep the private key out of the configuration")
	case strings.HasPrefix(s, "age1pq1"):
		return nil, "", errors.New("post-quantum age recipients (`age1pq1…`) are not supported; use " + recipientForms)
	case strings.HasPrefix(s, "age1"):
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, "", errors.New("not a valid age X25519 recipient (check that it was copied whole)")
		}
		return r, r.String(), nil
	case strings.HasPrefix(s, "ssh-") || strings.HasPrefix(s, "ecdsa-") || strings.HasPrefix(s, "sk-"):
		pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
		if err != nil {
			return nil, "", errors.New("not a valid SSH public key (check that it was copied whole)")
		}
		if t := pub.Type(); t != ssh.KeyAlgoED25519 && t != ssh.KeyAlgoRSA {
			return nil, "", fmt.Errorf("SSH keys of type %s cannot be encrypted to; use %s", t, recipientForms)
		}
		r, err := agessh.ParseRecipient(s)
		if err != nil {
			return nil, "", errors.New("this SSH public key cannot be encrypted to (an RSA key needs at least 2048 bits)")
		}
		return r, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))), nil
	default:
		return nil, "", errors.New("not a recipient: use " + recipientForms)
	}
}

// parseRecipients reads a recipient set's known elements.
func parseRecipients(values []string) ([]age.Recipient, error) {
	out := make([]age.Recipient, 0, len(values))
	for i, v := range values {
		r, _, err := parseRecipient(v)
		if err != nil {
			return nil, fmt.Errorf("recipient %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// encryptSecret is the secret as an ASCII-armored age file, which
// `age -d -i key.txt` reads as it is.
func encryptSecret(secret string, recipients []age.Recipient) (string, error) {
	if len(recipients) == 0 {
		return "", errors.New("no recipients")
	}
	var buf bytes.Buffer
	a := armor.NewWriter(&buf)
	w, err := age.Encrypt(a, recipients...)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(w, secret); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := a.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// recipientValidator refuses, at validation, a value that is no recipient,
// so no token is made that could not be encrypted.
type recipientValidator struct{}

func (recipientValidator) Description(context.Context) string {
	return "each value is " + recipientForms
}

func (v recipientValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (recipientValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, _, err := parseRecipient(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid secret recipient", err.Error()+".")
	}
}

var recipientSetValidators = []validator.Set{setvalidator.ValueStringsAre(recipientValidator{})}

const recipientsDescription = "Public keys to encrypt the token's secret to, each " + recipientForms + ". With recipients, " +
	"the provider encrypts the secret as soon as SolarNetwork returns it, before anything is written to state: state and plan " +
	"hold only `encrypted_secret`, and `secret` is null. "

func secretRecipientsAttribute() schema.SetAttribute {
	return schema.SetAttribute{
		ElementType: types.StringType,
		Optional:    true,
		Computed:    true,
		MarkdownDescription: recipientsDescription + "Omit it to use the provider's `secret_recipients`; set it to `[]` to keep " +
			"this token's secret in plain text (sensitive) even so. The provider never has the secret again, so a change of " +
			"recipients replaces the token (a new ID and secret, encrypted to the new recipients); the plan warns why. " +
			"Decrypt with `terraform output -raw NAME | age -d -i key.txt`, or inside Terraform with the ephemeral " +
			"resource `solarnetwork_token_secret`.",
		Validators: recipientSetValidators,
	}
}

func providerSecretRecipientsAttribute() pschema.SetAttribute {
	return pschema.SetAttribute{
		ElementType: types.StringType,
		Optional:    true,
		MarkdownDescription: "The default `secret_recipients` of every `solarnetwork_security_token` of this configuration: " +
			"public keys, each " + recipientForms + ", to encrypt each new token's secret to, before anything is written to state. " +
			"A token's own `secret_recipients` wins (`[]` keeps its secret unencrypted). Changing it replaces every token that " +
			"uses it and has a secret in state.",
		Validators: recipientSetValidators,
	}
}

func encryptedSecretAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "The token's secret encrypted to `secret_recipients`, as an ASCII-armored age file " +
			"(`-----BEGIN AGE ENCRYPTED FILE-----`). Null when the token has no recipients, and for an imported token. " +
			"Not sensitive: only the holders of a recipient's private key can read it.",
	}
}

// providerRecipients is the provider block's secret_recipients, checked
// for a value known now.
func providerRecipients(v types.Set, diags *diag.Diagnostics) types.Set {
	if v.IsUnknown() {
		diags.AddAttributeError(pathSecretRecipients, "Unknown provider configuration value",
			"The provider cannot be configured with secret_recipients known only after apply. Set it to known public keys.")
	}
	return v
}

// hasRecipients reports whether v names at least one recipient.
func hasRecipients(v types.Set) bool {
	return !v.IsNull() && !v.IsUnknown() && len(v.Elements()) > 0
}

// sameRecipients reports whether a and b name the same keys, whatever
// their spelling (an SSH key's comment) or whether an empty set is null.
// Unknown is never the same.
func sameRecipients(a, b types.Set) bool {
	if a.IsUnknown() || b.IsUnknown() {
		return false
	}
	if a.Equal(b) {
		return true
	}
	canonical := func(v types.Set) []string {
		var out []string
		for _, s := range stringSet(v) {
			if _, c, err := parseRecipient(s); err == nil {
				s = c
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(canonical(a), canonical(b))
}

// configuredRecipients reads secret_recipients from a configuration's raw
// value without converting the rest: this runs for every token of a plan.
func configuredRecipients(ctx context.Context, config tftypes.Value) (types.Set, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw, _, err := tftypes.WalkAttributePath(config, tftypes.NewAttributePath().WithAttributeName("secret_recipients"))
	v, ok := raw.(tftypes.Value)
	if err != nil || !ok {
		return types.SetNull(types.StringType), diags
	}
	set, err := types.SetType{ElemType: types.StringType}.ValueFromTerraform(ctx, v)
	if err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered reading secret_recipients. This is always an error in the provider.\n\n"+err.Error())
		return types.SetNull(types.StringType), diags
	}
	out, _ := set.(types.Set)
	return out, diags
}

// planSecret plans secret_recipients (the configured set, else the
// provider's), secret and encrypted_secret. A token made with one set of
// recipients cannot be encrypted to another: the plaintext is gone (or, for
// a token whose secret was in state unencrypted, has been exposed to every
// reader of that state). So a change of recipients replaces a token that
// has a secret in state, and says why; an imported token, with neither,
// just records the new set.
func (r *tokenResource) planSecret(in *tokenPlanInputs, resp *resource.ModifyPlanResponse) {
	prior, plan, desired := in.prior, in.plan, in.configuredRecipients
	if desired.IsNull() && !r.recipients.IsNull() {
		desired = r.recipients
	}
	plan.SecretRecipients = desired
	if prior != nil {
		if sameRecipients(prior.SecretRecipients, desired) || (prior.Secret.IsNull() && prior.EncryptedSecret.IsNull()) {
			plan.Secret, plan.EncryptedSecret = prior.Secret, prior.EncryptedSecret
			return
		}
		resp.RequiresReplace = append(resp.RequiresReplace, pathSecretRecipients)
		resp.Diagnostics.AddAttributeWarning(pathSecretRecipients, "Changing secret_recipients replaces token "+prior.ID.ValueString(),
			recipientsChangeDetail(prior))
	}
	switch {
	case desired.IsUnknown():
		plan.Secret, plan.EncryptedSecret = types.StringUnknown(), types.StringUnknown()
	case hasRecipients(desired):
		plan.Secret, plan.EncryptedSecret = types.StringNull(), types.StringUnknown()
	default:
		plan.Secret, plan.EncryptedSecret = types.StringUnknown(), types.StringNull()
	}
}

func recipientsChangeDetail(prior *tokenModel) string {
	why := "its secret is encrypted to the old recipients, and the provider never has the plain text again to encrypt it to new ones."
	if !prior.Secret.IsNull() {
		why = "its secret has been in state unencrypted, readable by anyone with access to the state or its earlier versions and " +
			"backups; encrypting it now would not undo that."
	}
	return "The token will be replaced by a new one, with a new ID and secret, because " + why + " Add " +
		"lifecycle { create_before_destroy = true } to the resource so the new token exists before the old one goes, " +
		"or keep the old recipients to keep the token."
}

// sealSecret is what state holds of a new token's secret: encrypted to the
// plan's recipients, or the secret itself when there are none.
func (r *tokenResource) sealSecret(plan *tokenModel, secret string) (plain, encrypted types.String, err error) {
	if !hasRecipients(plan.SecretRecipients) {
		return types.StringValue(secret), types.StringNull(), nil
	}
	recipients, err := parseRecipients(stringSet(plan.SecretRecipients))
	if err != nil {
		return types.StringNull(), types.StringNull(), err
	}
	encrypt := r.encrypt
	if encrypt == nil {
		encrypt = encryptSecret
	}
	armored, err := encrypt(secret, recipients)
	if err != nil {
		return types.StringNull(), types.StringNull(), err
	}
	return types.StringNull(), types.StringValue(armored), nil
}

// discardUnsealed deletes a token just made whose secret could not be
// encrypted: nothing was written to state, and a token whose secret exists
// nowhere must not be left working.
func discardUnsealed(ctx context.Context, store *client.TokenStore, id string, cause error, diags *diag.Diagnostics) {
	summary := "Could not encrypt the new token's secret"
	detail := "Encrypting the secret of token " + id + " to secret_recipients failed (" + cause.Error() + "). The secret was not " +
		"written anywhere. "
	if err := store.DeleteToken(ctx, id); err != nil {
		diags.AddAttributeError(pathSecretRecipients, summary, detail+"Deleting the token failed too ("+err.Error()+"); it carries "+
			"a provisional expiry and stops working within the hour. Delete it by hand to be rid of it sooner.")
		return
	}
	diags.AddAttributeError(pathSecretRecipients, summary, detail+"The token was deleted; apply again to make a new one.")
}
