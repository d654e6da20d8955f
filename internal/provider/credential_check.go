package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// addCredentialError reports the failure of the run's first token list,
// which the provider reads when it is configured.
func addCredentialError(ctx context.Context, diags *diag.Diagnostics, err error) {
	var restricted *client.RestrictedCredentialError
	var incomplete *client.IncompleteListError
	switch {
	case errors.As(err, &restricted):
		names := make([]string, len(restricted.Fields))
		for i, f := range restricted.Fields {
			names[i] = "policy." + attributeName(f)
		}
		diags.AddAttributeError(path.Root("token"), "The provider's token is restricted",
			"SolarNetwork treats token "+restricted.TokenID+" as a restricted actor because its policy sets "+strings.Join(names, ", ")+
				". A restricted token sees only itself in the token list and is refused every change, so the provider cannot tell "+
				"which tokens exist and stops here, before any resource is read or changed.\n\n"+
				"Use a User token whose policy sets nothing but an expiry (expiration_date) or refresh_allowed, or remove those "+
				"restrictions from this token.")
	case errors.As(err, &incomplete):
		diags.AddError("SolarNetwork's token list is incomplete",
			err.Error()+"\n\nThe provider stops here rather than take the missing tokens as deleted. Try again; if this persists, "+
				"check what answers at the provider's url (a proxy or an incompatible server).")
	default:
		addAPIError(ctx, diags, "Could not list the SolarNetwork security tokens", err)
	}
}
