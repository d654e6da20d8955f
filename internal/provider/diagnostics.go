package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// addAPIError turns a client error into a diagnostic that says what to do.
// Client errors never contain credentials.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	switch {
	case client.IsAccessDenied(err):
		detail += "\n\nSolarNetwork refused the provider's token. It must be a User token of the account that owns the " +
			"token, and its policy must not restrict data or API access (only an expiry or refresh_allowed)."
	case client.IsUnauthorized(err):
		detail += "\n\nSolarNetwork refused the provider's credentials. Check the token and secret, that the token is " +
			"Active and not expired, and that this machine's clock is within 15 minutes of the correct time."
	case client.IsNotFound(err):
		detail += "\n\nThe token no longer exists in SolarNetwork. Refresh to remove it from state."
	case client.IsAmbiguous(err):
		detail += "\n\nThe request may or may not have taken effect. Run plan again to see the current state."
	}
	diags.AddError(summary, detail)
}
