package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Plan-time warnings about policies that grant more than they seem, by the
// name the provider block's disabled_warnings uses.
const (
	warnUserWithoutAPIPaths  = "user_token_without_api_paths"
	warnUserRestricted       = "user_token_restricted"
	warnRefreshAllowedUnset  = "refresh_allowed_unset"
	warnNodeIDsNotInAccount  = "node_ids_not_in_account"
	warnAPIPathsNegation     = "api_paths_negation"
	warnSourceIDsRedundant   = "source_ids_redundant"
	warnSourceIDsNeverMatch  = "source_ids_never_match"
	disabledWarningsAttrName = "disabled_warnings"
)

// policyWarningDocs says what each warning is about, for the provider
// block's documentation.
var policyWarningDocs = []struct{ name, doc string }{
	{warnUserWithoutAPIPaths, "a `User` token without `api_paths`: it can call every API path, managing the whole account"},
	{warnUserRestricted, "a `User` token with a restriction: SolarNetwork then refuses it token management, so it cannot be a provider's credential"},
	{warnRefreshAllowedUnset, "`refresh_allowed` unset, which SolarNetwork reads as allowed: whoever holds a signing key of the token can refresh it forever"},
	{warnNodeIDsNotInAccount, "`node_ids` that are not the account's nodes (active or archived): a warning for a new token, which SolarNetwork then refuses, and an error for a change to an existing one, which SolarNetwork would accept unchecked"},
	{warnAPIPathsNegation, "`api_paths` whose `!` entries do not deny what they seem to: the entries are OR-ed, so another entry allows what a `!` entry names, or a `!` entry lets through every path the allow entries were meant to limit"},
	{warnSourceIDsRedundant, "`source_ids` patterns another pattern of the same policy already covers"},
	{warnSourceIDsNeverMatch, "`source_ids` patterns that look like regular expressions or use `\\` as a separator: SolarNetwork's matcher is Ant-style, case-sensitive and `/`-separated, so they match only source IDs holding those characters literally"},
}

func disabledWarningsAttribute() schema.SetAttribute {
	names := make([]string, len(policyWarningDocs))
	var doc strings.Builder
	for i, w := range policyWarningDocs {
		names[i] = w.name
		doc.WriteString("\n  - `" + w.name + "`: " + w.doc + ".")
	}
	return schema.SetAttribute{
		Optional:    true,
		ElementType: types.StringType,
		MarkdownDescription: "Plan-time warnings about token policies to turn off, by name. Each warning is said once per token " +
			"when the token is created or its type or policy changes, never for a token left as it is (an imported one " +
			"included), and names the policy attribute at fault. An `apply` without a saved plan shows a warning twice, " +
			"the second time folded into \"(and one more similar warning elsewhere)\": the CLI plans again just before it " +
			"applies, and that plan cannot be told apart from the first. The warnings:" + doc.String(),
		Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(names...))},
	}
}

// policyWarnings are the warnings turned off in the provider block.
type policyWarnings struct {
	disabled map[string]bool
}

func (w *policyWarnings) read(ctx context.Context, set types.Set) diag.Diagnostics {
	var names []string
	diags := set.ElementsAs(ctx, &names, false)
	w.disabled = make(map[string]bool, len(names))
	for _, n := range names {
		w.disabled[n] = true
	}
	return diags
}

func (w policyWarnings) on(name string) bool { return !w.disabled[name] }

// warnPolicy warns, at plan, about a policy that grants more than it seems.
// It speaks only when the token is new or its type or effective policy
// changes, so an unchanged token (an imported one too) is never nagged, and
// from ModifyPlan, which the CLI calls once per token per plan (unlike
// ValidateConfig).
func (r *tokenResource) warnPolicy(ctx context.Context, prior, plan *tokenModel, planned *client.SecurityPolicy, diags *diag.Diagnostics) {
	create := prior == nil || !prior.Type.Equal(plan.Type)
	if !create && prior.EffectivePolicy.Equal(plan.EffectivePolicy) {
		return
	}
	p := planned
	if p == nil {
		p = &client.SecurityPolicy{}
	}
	w := r.warnings
	disable := func(name string) string {
		return " To turn this warning off, add \"" + name + "\" to " + disabledWarningsAttrName + " in the provider block."
	}
	if w.on(warnUserWithoutAPIPaths) && plan.Type.ValueString() == client.TokenTypeUser && len(p.APIPaths) == 0 {
		diags.AddAttributeWarning(pathPolicy.AtName("api_paths"), "User token without api_paths",
			"This User token may call every SolarUser and SolarQuery API path: it can manage the whole account, its tokens included, "+
				"and SolarNetwork's data restrictions do not limit that. Set api_paths to the paths its holder needs (e.g. "+
				"[\"/user/import/**\"]), or use a ReadNodeData token for reading data. A token meant to manage tokens (a provider's "+
				"own credential) must stay unrestricted."+disable(warnUserWithoutAPIPaths))
	}
	if w.on(warnUserRestricted) && plan.Type.ValueString() == client.TokenTypeUser {
		if fields := p.RestrictingFields(); len(fields) > 0 {
			attr := attributeName(fields[0])
			diags.AddAttributeWarning(pathPolicy.AtName(attr), "User token restricted by "+attr,
				"Any policy restriction ("+attr+" here; likewise node, source, aggregation, location, metadata or API paths) makes a "+
					"User token \"restricted\" in SolarNetwork: it may still call what its policy allows, but it can no longer manage "+
					"tokens or other account settings, and it cannot be this provider's token. For reading data, a ReadNodeData token "+
					"is the usual choice; a User token that must manage tokens may set only expiration_date and refresh_allowed."+
					disable(warnUserRestricted))
		}
	}
	if w.on(warnRefreshAllowedUnset) && p.RefreshAllowed == nil {
		diags.AddAttributeWarning(pathPolicy.AtName("refresh_allowed"), "refresh_allowed is not set",
			"SolarNetwork reads an unset refresh_allowed as allowed: whoever holds a signing key derived from this token (not "+
				"the secret) can exchange it for a new one before it expires, again and again, for as long as the token lives. "+
				"Set refresh_allowed = false unless signing keys must be refreshed, or true to say they may."+disable(warnRefreshAllowedUnset))
	}
	if w.on(warnNodeIDsNotInAccount) && r.nodes != nil && len(p.NodeIDs) > 0 {
		r.checkNodeIDs(ctx, prior, p, create, disable(warnNodeIDsNotInAccount), diags)
	}
	if w.on(warnAPIPathsNegation) {
		if detail := apiPathsNegationProblem(p.APIPaths); detail != "" {
			diags.AddAttributeWarning(pathPolicy.AtName("api_paths"), "api_paths \"!\" entries do not deny what they seem to",
				detail+disable(warnAPIPathsNegation))
		}
	}
	if w.on(warnSourceIDsRedundant) {
		for _, pair := range redundantSourceIDs(p.SourceIDs) {
			diags.AddAttributeWarning(pathPolicy.AtName("source_ids"), "source_ids pattern already covered",
				fmt.Sprintf("%q is already covered by %q in the same policy: every source ID it matches, the other matches too, so it "+
					"adds nothing.", pair[0], pair[1])+disable(warnSourceIDsRedundant))
		}
	}
	if w.on(warnSourceIDsNeverMatch) {
		for _, s := range p.SourceIDs {
			if why := sourceIDNeverMatches(s); why != "" {
				diags.AddAttributeWarning(pathPolicy.AtName("source_ids"), "source_ids pattern that will not match",
					fmt.Sprintf("%q %s. SolarNetwork matches source IDs with Ant-style patterns: case-sensitive, \"/\"-separated, "+
						"with only ?, * and ** as wildcards, so this matches only source IDs that hold those characters literally.", s, why)+
						disable(warnSourceIDsNeverMatch))
			}
		}
	}
}

// checkNodeIDs compares the policy's nodes with the account's. A new token
// naming another node is refused by SolarNetwork at create: a warning says
// so at plan. A policy change is not checked by SolarNetwork at all, so a
// node it adds that the account does not own is an error here.
func (r *tokenResource) checkNodeIDs(ctx context.Context, prior *tokenModel, p *client.SecurityPolicy, create bool, disable string, diags *diag.Diagnostics) {
	ids := p.NodeIDs
	if !create {
		held, _ := prior.effective(ctx) // read without error by ModifyPlan already
		ids = nil
		for _, id := range p.NodeIDs {
			if held == nil || !slices.Contains(held.NodeIDs, id) {
				ids = append(ids, id) // only what this change adds
			}
		}
		if len(ids) == 0 {
			return
		}
	}
	foreign, err := r.nodes.NotOwned(ctx, ids)
	if err != nil {
		diags.AddAttributeWarning(pathPolicy.AtName("node_ids"), "Could not check node_ids",
			"Reading the account's nodes failed, so node_ids could not be compared with them: "+err.Error()+disable)
		return
	}
	if len(foreign) == 0 {
		return
	}
	list := make([]string, len(foreign))
	for i, id := range foreign {
		list[i] = strconv.FormatInt(id, 10)
	}
	what := "Node " + list[0] + " is"
	if len(list) > 1 {
		what = "Nodes " + strings.Join(list, ", ") + " are"
	}
	what += " not among the account's nodes (active or archived): the node does not exist or belongs to another account."
	if create {
		diags.AddAttributeWarning(pathPolicy.AtName("node_ids"), "node_ids not in the account",
			what+" SolarNetwork will refuse to create the token. Check for a mistyped node ID."+disable)
		return
	}
	diags.AddAttributeError(pathPolicy.AtName("node_ids"), "node_ids not in the account",
		what+" SolarNetwork does not check the nodes of a policy change and would store it, so the provider refuses it. "+
			"Check for a mistyped node ID."+disable)
}

// apiPathsNegationProblem explains how the "!" entries of api_paths fail to
// deny what they name, judged with the evaluator (solarnetwork-api.md
// §12.6): entries are OR-ed, and a "!" entry allows every path it does not
// match. "" when they deny what they seem to.
func apiPathsNegationProblem(apiPaths []string) string {
	var negated, allows []string
	for _, e := range apiPaths {
		if rest, ok := strings.CutPrefix(e, "!"); ok {
			negated = append(negated, rest)
		} else if e != "" {
			allows = append(allows, e)
		}
	}
	if len(negated) == 0 {
		return ""
	}
	policy := &client.SecurityPolicy{APIPaths: apiPaths}
	var problems []string
	for _, n := range negated {
		d, err := client.EvaluatePolicy(policy, client.PolicyRequest{APIPath: &n})
		if err != nil || !d.Allowed {
			continue
		}
		by := client.APIPathEntriesAllowing(apiPaths, n)
		problems = append(problems, fmt.Sprintf("\"!%s\" does not deny %s: %s allows it.", n, n, quotedList(by)))
	}
	if len(problems) == 0 && len(allows) > 0 {
		// Each "!" entry denies what it names, yet lets through every other
		// path, beyond what the allow entries name.
		problems = append(problems, fmt.Sprintf("The allow entries %s do not limit this token: \"!%s\" allows every path it does not "+
			"match, so the token may call any path but %s.", quotedList(allows), negated[0], negated[0]))
	}
	if len(problems) == 0 {
		return ""
	}
	return strings.Join(problems, " ") + " SolarNetwork allows a path as soon as one entry allows it: an entry matches, or a \"!\" entry " +
		"does not match. A \"!\" entry never takes away what another entry allows, and several \"!\" entries refuse only the paths " +
		"that match all of them. To limit a token to some paths, list only those, without \"!\"; a single \"!\" entry on its own " +
		"denies just what it matches."
}

func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// redundantSourceIDs returns [covered, coverer] pairs: patterns whose
// matches another pattern of the policy matches too. Only provable cases
// are reported: a plain source ID another pattern matches, or a pattern
// under a literal prefix another pattern takes whole with "/**".
func redundantSourceIDs(sourceIDs []string) [][2]string {
	var out [][2]string
	for _, s := range sourceIDs {
		for _, other := range sourceIDs {
			if other != s && client.SourceIDPatternCovers(other, s) {
				out = append(out, [2]string{s, other})
				break
			}
		}
	}
	return out
}

// sourceIDNeverMatches says why a pattern will match no real source ID, ""
// when it may.
func sourceIDNeverMatches(s string) string {
	switch {
	case strings.Contains(s, ".*") || strings.Contains(s, ".+"):
		return "looks like a regular expression (\".*\" or \".+\"): \".\" is a plain character there"
	case strings.HasPrefix(s, "^") || strings.HasSuffix(s, "$"):
		return "looks like a regular expression (\"^\" or \"$\" anchors): they are plain characters there"
	case strings.Contains(s, "|") || (strings.Contains(s, "[") && strings.Contains(s, "]")):
		return "looks like a regular expression (a character class or \"|\"): they are plain characters there"
	case strings.Contains(s, `\`):
		return "uses \"\\\", which is neither a separator nor an escape there"
	}
	return ""
}
