package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// addAPIError turns a client error into a diagnostic that says what it
// means and what to do. Client errors never contain credentials. A node
// SolarNetwork refused is reported on policy.node_ids.
func addAPIError(ctx context.Context, diags *diag.Diagnostics, summary string, err error) {
	addAPIErrorNoting(ctx, diags, summary, err, "")
}

// partiallyCreated is said of a create that failed after the generate: the
// token is in state, with its secret, and Terraform marks it tainted.
const partiallyCreated = "The token and its secret are kept in state, marked tainted: the next apply replaces it " +
	"(a new token, then this one deleted), so nothing is left behind."

// addAPIErrorNoting is addAPIError with a note after the advice.
func addAPIErrorNoting(ctx context.Context, diags *diag.Diagnostics, summary string, err error, note string) {
	detail := err.Error()
	// Why the operation's context ended, when it did: the advice then
	// names the time limit that applied, or the interruption.
	var limit *operationTimeout
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		note = strings.TrimSpace("The run was interrupted (Ctrl-C, or the CLI stopped the provider) before SolarNetwork " +
			"answered. A change may or may not have been made: run plan again to see what SolarNetwork holds. " + note)
		diags.AddError(summary, detail+"\n\n"+note)
		return
	case errors.As(context.Cause(ctx), &limit) && errors.Is(err, context.DeadlineExceeded):
		note = strings.TrimSpace("The operation ran out of the " + duration.Format(limit.limit) + " its timeouts block allows " +
			"(the default when it sets none). Raise it if SolarNetwork is just slow. A change may or may not have been made: " +
			"run plan again to see what SolarNetwork holds. " + note)
		diags.AddError(summary, detail+"\n\n"+note)
		return
	}
	var nodeErr *client.NodeAccessError
	if errors.As(err, &nodeErr) {
		detail += "\n\n" + nodeAdvice(nodeErr)
		if note != "" {
			detail += "\n\n" + note
		}
		diags.AddAttributeError(pathPolicy.AtName("node_ids"), summary, detail)
		return
	}
	if advice := apiErrorAdvice(err); advice != "" {
		detail += "\n\n" + advice
	}
	if note != "" {
		detail += "\n\n" + note
	}
	diags.AddError(summary, detail)
}

func nodeAdvice(e *client.NodeAccessError) string {
	if e.OtherAccount() {
		return "The node IDs are the likely cause: SolarNetwork answers ACCESS_DENIED when one of node_ids (" +
			client.JoinNodeIDs(e.NodeIDs) + ") belongs to another account than the provider's token. Use only nodes of " +
			"that account, or manage this token with a User token of the account that owns the nodes. No token was created."
	}
	return "The node IDs are the likely cause: SolarNetwork answers UNKNOWN_OBJECT when one of node_ids (" +
		client.JoinNodeIDs(e.NodeIDs) + ") is not a node that exists. Check node_ids for a mistyped ID against the " +
		"account's nodes (SolarNetwork's web console lists them under My Nodes). No token was created."
}

// apiErrorAdvice says what a failure means for the user, or "" when the
// error says it all.
func apiErrorAdvice(err error) string {
	var apiErr *client.APIError
	var unreadable *client.UnreadableResponseError
	var transport *client.TransportError
	var cached *client.CachedAnswerError
	if reason, ok := client.AuthFailure(err); ok {
		return authAdvice(reason)
	}
	switch {
	case client.IsRoleDenied(err):
		return "The provider's token is not a User token. SolarNetwork's token API needs a User token, and refuses a " +
			"ReadNodeData token with this message. Set the provider's token and secret (or " + envToken + " and " +
			envSecret + ") to a User token of the account."
	case client.IsAccessDenied(err):
		return "SolarNetwork refused the provider's token. It must be a User token of the account that owns the " +
			"token, and its policy must not restrict data or API access (only an expiry or refresh_allowed)."
	case client.IsNotFound(err):
		return "The token no longer exists in SolarNetwork: it was deleted outside Terraform after this run read the " +
			"token list. Run plan or apply again: the refresh removes it from state once SolarNetwork's list has lacked it " +
			"for longer than list_lag_window, and the plan then creates it again."
	case errors.As(err, &cached):
		return "Every list request carries a parameter of its own, so SolarNetwork's response cache should never answer " +
			"one. Something between this machine and SolarNetwork may cache answers: check the provider's url and proxies. " +
			"Nothing was taken from the cached list."
	case errors.As(err, &apiErr) && apiErr.NotSolarNetwork:
		return notSolarNetworkAdvice(apiErr.StatusClass())
	case errors.As(err, &apiErr):
		return statusAdvice(apiErr)
	case errors.As(err, &unreadable):
		return "The answer is not one SolarNetwork gives: something between this machine and SolarNetwork (a proxy, " +
			"firewall or captive portal) may have answered instead, or the connection was cut mid-answer. Check the " +
			"provider's url. A change may or may not have been made: run plan again to see what SolarNetwork holds."
	case errors.As(err, &transport) && transport.Timeout > 0:
		advice := "SolarNetwork did not answer within the provider's request_timeout. If it is just slow, raise " +
			"request_timeout; otherwise check the network between this machine and the provider's url."
		if client.IsAmbiguous(err) {
			advice += " A change may or may not have been made: run plan again to see what SolarNetwork holds."
		}
		return advice
	case errors.Is(err, context.DeadlineExceeded):
		return "The operation ran out of the time its timeouts block allows (create " + duration.Format(defaultCreateTimeout) +
			", read " + duration.Format(defaultReadTimeout) + ", update " + duration.Format(defaultUpdateTimeout) + ", delete " +
			duration.Format(defaultDeleteTimeout) + " by default). Raise it if SolarNetwork is just slow. A change may or may " +
			"not have been made: run plan again to see what SolarNetwork holds."
	case errors.As(err, &transport) && !transport.Sent:
		return "The provider could not connect to SolarNetwork. Check the provider's url (or " + envURL + "), this " +
			"machine's network and DNS, and any proxy settings (HTTPS_PROXY)."
	case client.IsAmbiguous(err):
		return "The connection broke before the answer came, so the request may or may not have taken effect. Run plan " +
			"again to see what SolarNetwork holds."
	}
	return ""
}

// authAdvice explains a refusal of SolarNetwork's security filter.
func authAdvice(reason string) string {
	switch reason {
	case client.AuthMessageBadCredentials:
		return "SolarNetwork does not accept the provider's credentials: the token ID is unknown, the token is " +
			"Disabled, or the secret is wrong (SolarNetwork does not say which). Check the provider's token and secret " +
			"(or " + envToken + " and " + envSecret + "), and that the token is Active."
	case client.AuthMessageExpired:
		return "The provider's token has expired: its policy's expiry has passed. Use another User token, or give this " +
			"one a later expiry (or none) from another token or SolarNetwork's web console."
	case client.AuthMessageDateSkew:
		return "This machine's clock differs from SolarNetwork's by 15 minutes or more, so the signed request is " +
			"refused. Set the clock right (for example with NTP)."
	case client.AuthMessageAPIPathDenied:
		return "The provider's token has api_paths in its policy that do not allow SolarNetwork's token API " +
			"(/user/auth-tokens/**). Use a User token whose policy sets nothing but an expiry or refresh_allowed."
	}
	return "SolarNetwork's security filter refused the request. Something between this machine and SolarNetwork (a " +
		"proxy rewriting headers or the body) may have changed the signed request, or removed its Authorization " +
		"header; check what answers at the provider's url. If the request goes straight to SolarNetwork, report this " +
		"to the provider's developers."
}

// notSolarNetworkAdvice explains an error page that SolarNetwork did not write.
func notSolarNetworkAdvice(status client.StatusClass) string {
	switch status {
	case client.StatusUnavailable:
		return "SolarNetwork, or the gateway in front of it, is unavailable. The provider retried as max_retries allows; " +
			"try again later."
	case client.StatusCallerRefused:
		return "This refusal did not come from SolarNetwork but from something between this machine and it (a proxy, " +
			"firewall or web filter), so it says nothing about the provider's credentials. Check the provider's url and " +
			"any proxy settings (HTTPS_PROXY), and whether a firewall blocks the url."
	}
	return "This answer did not come from SolarNetwork: check that the provider's url (or " + envURL + ") points at " +
		"SolarNetwork (" + client.DefaultURL + " by default), and any proxy settings (HTTPS_PROXY)."
}

// statusAdvice explains SolarNetwork's other refusals by status.
func statusAdvice(e *client.APIError) string {
	switch e.StatusClass() {
	case client.StatusBusy:
		return "SolarNetwork is busy: its rate limit (WEB.10000) or its database (DAO codes) asked the provider to slow " +
			"down, and the retries max_retries allows did not get through. Try again later, or with fewer parallel " +
			"operations (-parallelism)."
	case client.StatusUnavailable, client.StatusServerFailed:
		return "SolarNetwork failed while handling the request. The provider retried where that is safe; try again " +
			"later, and if it persists, report it to SolarNetwork."
	case client.StatusContentRefused:
		return "SolarNetwork refused the request's content. The provider validates every value before sending it, so " +
			"this is likely a difference between the provider and this SolarNetwork version: please report it to the " +
			"provider's developers."
	case client.StatusCallerRefused, client.StatusRequestRefused:
		return "SolarNetwork does not accept the request as the provider sends it. Check that the provider's url points " +
			"at SolarNetwork (" + client.DefaultURL + " by default); if it does, please report this to the provider's developers."
	}
	return ""
}

// addGenerateWarnings reports the tokens of unanswered generates that the
// clean-up did not find, although a later generate succeeded: they may
// still appear, unusable, until their marker expiry.
func addGenerateWarnings(diags *diag.Diagnostics, warnings []string) {
	for _, w := range warnings {
		diags.AddWarning("A token from an unanswered request may still appear",
			"Creating the token got no usable answer at first, so the provider generated it once more. Of the first "+
				"request, "+w+".")
	}
}
