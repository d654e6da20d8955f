package provider

import (
	"errors"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/s10kprofile"
)

const envProfile = "SOLARNETWORK_PROFILE"

// providerCredentials is where the provider's url, token and secret came
// from, resolved in one order (the provider documentation's "Credentials"):
//  1. the provider block's url, token and secret;
//  2. a named s10k profile (the block's profile, else SOLARNETWORK_PROFILE);
//  3. SOLARNETWORK_URL, SOLARNETWORK_TOKEN and SOLARNETWORK_SECRET;
//  4. s10k's default profile (the top level of ~/.s10k/credentials and
//     ~/.s10k/config), only when no profile is named; as in s10k, its URL
//     applies whichever source gave the credentials;
//  5. the default URL.
//
// A profile gives the token and secret together: it is used only when the
// block sets neither, so a token ID never pairs with another source's secret.
type providerCredentials struct {
	url, token, secret string
	profile            *s10kprofile.Profile // nil when no profile was used
}

// resolveCredentials applies that order. getenv and home are os.Getenv and
// the user's home directory; tests give their own.
func resolveCredentials(cfg *providerModel, getenv func(string) string, home func() (string, error), diags *diag.Diagnostics) providerCredentials {
	block := func(v types.String) string {
		if v.IsNull() || v.IsUnknown() {
			return ""
		}
		return v.ValueString()
	}
	creds := providerCredentials{url: block(cfg.URL), token: block(cfg.Token), secret: block(cfg.Secret)}
	name := block(cfg.Profile)
	profileAttr := path.Root("profile")
	if name == "" {
		name = getenv(envProfile)
	}
	load := func(name string) *s10kprofile.Profile {
		dir, err := home()
		if err != nil {
			if name != "" {
				diags.AddAttributeError(profileAttr, "Cannot read the s10k profile",
					"The s10k profile "+name+" is named, but the home directory that holds ~/.s10k is unknown: "+err.Error())
			}
			return nil
		}
		p, err := s10kprofile.Load(dir, name)
		if errors.Is(err, s10kprofile.ErrNoDefault) {
			return nil
		}
		if err != nil {
			detail := err.Error() + "."
			if name == "" {
				detail += " The provider reads s10k's default profile when neither the provider block nor " + envToken +
					" and " + envSecret + " give credentials."
			}
			diags.AddAttributeError(profileAttr, "Cannot read the s10k profile", detail)
			return nil
		}
		return p
	}

	if creds.token == "" && creds.secret == "" {
		if name != "" {
			creds.profile = load(name)
		} else if creds.token, creds.secret = getenv(envToken), getenv(envSecret); creds.token == "" && creds.secret == "" {
			creds.profile = load("")
		}
		if creds.profile != nil {
			creds.token, creds.secret = creds.profile.TokenID, creds.profile.Secret
		}
	}
	// One of the pair set in the block: the other may come from the
	// environment, as before profiles existed.
	if creds.token == "" {
		creds.token = getenv(envToken)
	}
	if creds.secret == "" {
		creds.secret = getenv(envSecret)
	}
	if creds.url == "" && name != "" && creds.profile != nil {
		creds.url = creds.profile.SolarUserURL
	}
	if creds.url == "" {
		creds.url = getenv(envURL)
	}
	if creds.url == "" && name == "" {
		// s10k applies its default profile's URL to any credentials.
		if creds.profile != nil {
			creds.url = creds.profile.SolarUserURL
		} else if dir, err := home(); err == nil {
			u, err := s10kprofile.SolarUserURL(dir, "")
			if err != nil {
				diags.AddAttributeError(profileAttr, "Cannot read the s10k configuration", err.Error()+".")
			}
			creds.url = u
		}
	}
	return creds
}

// userHome is the directory that holds ~/.s10k.
func userHome() (string, error) { return os.UserHomeDir() }
