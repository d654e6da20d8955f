package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// policyNotKept names the attributes whose restriction SolarNetwork did not
// keep as sent, judged by its answer: a server that drops a field it does
// not know (an older SolarNetwork without api paths, say) would otherwise
// leave a token restricted otherwise than written, silently.
func policyNotKept(sent, held *client.SecurityPolicy) []string {
	var out []string
	for _, f := range client.PolicyDifferences(sent.Clone().Normalize(), held) {
		if f == "notAfter" {
			out = append(out, "expiration_date")
			continue
		}
		out = append(out, "policy."+attributeName(f))
	}
	return out
}

// notKeptDetail explains a policy SolarNetwork did not keep.
func notKeptDetail(id string, lost []string) string {
	return "SolarNetwork answered that token " + id + " holds a policy other than the one sent, in " + strings.Join(lost, ", ") +
		". The server may not support those restrictions (an older SolarNetwork version) or changed them."
}

// discardUnkept deletes a token just made whose policy SolarNetwork did not
// keep, so that no token exists with other restrictions than written. It
// reports whether the token is gone; if not, the caller keeps it in state.
func discardUnkept(ctx context.Context, store *client.TokenStore, id string, lost []string, diags *diag.Diagnostics) (gone bool) {
	detail := notKeptDetail(id, lost)
	if err := store.DeleteToken(ctx, id); err != nil {
		diags.AddError("SolarNetwork did not keep the token's policy",
			detail+" Deleting the token so that it cannot be used failed too ("+err.Error()+"); it stays in state and the next "+
				"apply replaces it. Delete or disable it by hand if it must not be used meanwhile.")
		return false
	}
	diags.AddError("SolarNetwork did not keep the token's policy",
		detail+" The token was deleted, so no token exists with other restrictions than configured. Check what the "+
			"server at the provider's url supports, or remove those restrictions from the configuration.")
	return true
}
