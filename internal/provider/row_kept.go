package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// rowNotKept names the attributes an update wrote before its policy write
// (name, description, status) whose values that write's answer does not
// show. SolarNetwork writes the whole token back with every change, from a
// copy a SolarUser server may have cached before those writes
// (solarnetwork-api.md §2.2): the policy write then puts the old values back,
// re-enabling a token just disabled, and its answer shows what it wrote.
// Only what this update wrote is judged (wroteInfo: name and description,
// wroteStatus: status); a name or description the configuration leaves
// unset is not.
func rowNotKept(written tokenModel, wroteInfo, wroteStatus bool, held *client.SecurityToken) []string {
	var out []string
	for _, a := range []struct {
		name  string
		wrote bool
		value types.String
		held  string
	}{
		{"name", wroteInfo, written.Name, held.Name},
		{"description", wroteInfo, written.Description, held.Description},
		{"status", wroteStatus, written.Status, held.Status},
	} {
		if a.wrote && !a.value.IsNull() && !a.value.IsUnknown() && a.value.ValueString() != a.held {
			out = append(out, fmt.Sprintf("%s (%q, not %q)", a.name, a.held, a.value.ValueString()))
		}
	}
	return out
}

// rowNotKeptDetail explains what rowNotKept found.
func rowNotKeptDetail(id string, undone []string) string {
	return "SolarNetwork's answer to the policy write shows token " + id + " with " + strings.Join(undone, ", ") +
		", as before this apply changed it: a SolarUser server wrote the whole token back from a copy it had cached " +
		"before that change (SolarNetwork caches tokens for up to 15 minutes). State records what SolarNetwork " +
		"holds, so the next plan shows the difference again and the next apply sends it again."
}

// keptOrHeld is what state records for a name or description after
// rowNotKept: SolarNetwork's value when the configuration sets one.
func keptOrHeld(written types.String, held string) types.String {
	if written.IsNull() || written.IsUnknown() {
		return written
	}
	return stringOrNull(held)
}
