package provider

import (
	"strings"
	"sync"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

// policyAttribute is one attribute of a policy object: a field of
// client.PolicyFields (which decides its name, type, conversion and
// planning) with what only Terraform needs, its descriptions and validators.
// The expiry is not one: it is expiration_date/expires_at on the token.
type policyAttribute struct {
	field client.PolicyField
	kind  policyKind
	name  string
	typ   attr.Type
	// configDesc describes the attribute as written; readDesc as read back,
	// where null means the policy does not make that restriction.
	configDesc, readDesc string
	setValidators        []validator.Set
	stringValidators     []validator.String
}

// policyAttributeDocs are the descriptions and validators of each policy
// field, by its SolarNetwork name. TestPolicyAttributesCoverFields fails
// when a field of client.PolicyFields has none.
func policyAttributeDocs() map[string]policyAttribute {
	aggregations := codeList(client.AggregationNames())
	precisions := codeList(client.LocationPrecisionNames())
	stringSet := func(v ...validator.String) []validator.Set {
		return []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(v...)}
	}
	return map[string]policyAttribute{
		"nodeIds": {
			configDesc: "Node IDs the token may read, whole numbers from 1. Each must be a node of the provider's account " +
				"when the token is created: SolarNetwork refuses a token for a node that does not exist or belongs to another account " +
				"(an archived node of the account is accepted). The plan compares them with the account's nodes: a warning for a new token, " +
				"an error for a change to an existing one, which SolarNetwork would store unchecked.",
			readDesc:      "Node IDs the token may read. Null when the token is not limited to certain nodes.",
			setValidators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueNumbersAre(nodeIDValidator{})},
		},
		"sourceIds": {
			configDesc:    "Source IDs the token may read; wildcards `?`, `*` (within a segment) and `**` (any segments) are allowed, e.g. `/REGION1/**`.",
			readDesc:      "Source IDs the token may read; wildcards `?`, `*` (within a segment) and `**` (any segments) are allowed, e.g. `/REGION1/**`. Null when the token is not limited to certain sources.",
			setValidators: stringSet(validate.SourceIDPattern()),
		},
		"minAggregation": {
			configDesc: "The finest aggregation the token may read; every coarser one is allowed too. One of " + aggregations + ". Conflicts with `aggregations`.",
			readDesc:   "The finest aggregation the token may read; every coarser one is allowed too. One of " + aggregations + ". Null when unset.",
			stringValidators: []validator.String{stringvalidator.OneOf(client.AggregationNames()...),
				stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("aggregations"))},
		},
		"aggregations": {
			configDesc:    "The exact aggregations the token may read, each one of " + aggregations + ". Conflicts with `min_aggregation`.",
			readDesc:      "The exact aggregations the token may read, each one of " + aggregations + ". Null when unset, and always null when `min_aggregation` is set.",
			setValidators: stringSet(stringvalidator.OneOf(client.AggregationNames()...)),
		},
		"minLocationPrecision": {
			configDesc: "The most precise location the token may see; every coarser precision is allowed too. One of " + precisions + ". Conflicts with `location_precisions`. SolarNetwork stores location precisions but does not enforce them today: no request is refused or narrowed by them (nothing in solarnetwork-central reads them but `SecurityUtils.policyIsUnrestricted`).",
			readDesc:   "The most precise location the token may see; every coarser precision is allowed too. One of " + precisions + ". Null when unset.",
			stringValidators: []validator.String{stringvalidator.OneOf(client.LocationPrecisionNames()...),
				stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("location_precisions"))},
		},
		"locationPrecisions": {
			configDesc:    "The exact location precisions the token may see, each one of " + precisions + ". Conflicts with `min_location_precision`. SolarNetwork stores location precisions but does not enforce them today: no request is refused or narrowed by them (nothing in solarnetwork-central reads them but `SecurityUtils.policyIsUnrestricted`).",
			readDesc:      "The exact location precisions the token may see, each one of " + precisions + ". Null when unset, and always null when `min_location_precision` is set.",
			setValidators: stringSet(stringvalidator.OneOf(client.LocationPrecisionNames()...)),
		},
		"nodeMetadataPaths": {
			configDesc:    "Node metadata paths the token may read, starting with `/`, e.g. `/pm/public/**`.",
			readDesc:      "Node metadata paths the token may read, starting with `/`, e.g. `/pm/public/**`. Null when unset.",
			setValidators: stringSet(validate.MetadataPathPattern()),
		},
		"userMetadataPaths": {
			configDesc:    "User metadata paths the token may read, starting with `/`, e.g. `/m/public/*`. SolarNetwork does not filter user metadata by these paths today: a `ReadNodeData` token with any of them reads all of the user's metadata, and one without them none (solarnetwork-central `AuthorizationSupport.requireUserReadAccess`).",
			readDesc:      "User metadata paths the token may read, starting with `/`, e.g. `/m/public/*`. Null when unset.",
			setValidators: stringSet(validate.MetadataPathPattern()),
		},
		"apiPaths": {
			configDesc: "API paths the token may call, relative to `/api/v1/sec` and starting with `/`, e.g. `/user/auth-tokens/**`. Works for both token types. " +
				"SolarNetwork allows a path when **any** entry matches it, and an entry starting with `!` matches every path it does not name: so a `!` entry never takes away what another entry allows (`[\"/datum/**\", \"!/datum/list\"]` still allows `/datum/list`), and a `!` entry alone allows everything else (SolarNetwork `SecurityTokenAuthenticationFilter.isValidApiPath`). Check a policy with `policy_allows`.",
			readDesc:      "API paths the token may call, relative to `/api/v1/sec` and starting with `/`, e.g. `/user/auth-tokens/**`; any matching entry allows a path, and a `!` entry matches every path it does not name. Null when unset.",
			setValidators: stringSet(validate.APIPathPattern()),
		},
		"refreshAllowed": {
			configDesc: "Whether the holder of a signing key of the token may fetch a fresh one from SolarQuery's `/auth-tokens/refresh/v2` (the s10k `-r` option sets `true`). SolarNetwork refuses that only when this is `false`: unset allows it, so a signing key keeps working for as long as its holder refreshes it. Set `false` for signing keys that stop working within a week (see the `signing_key` function). Omit it to leave it unset (the plan warns; `refresh_allowed_unset` in the provider's `disabled_warnings` turns that off).",
			readDesc:   "Whether the holder of a signing key of the token may fetch a fresh one (the s10k `-r` option sets `true`). SolarNetwork refuses that only when this is `false`: null (unset) allows it.",
		},
	}
}

// policyAttributes lists the policy object's attributes in
// client.PolicyFields order, with their docs.
var policyAttributes = sync.OnceValue(func() []policyAttribute {
	docs := policyAttributeDocs()
	var out []policyAttribute
	for _, f := range client.PolicyFields() {
		kind := kindFor(f.Kind)
		if kind.attrType() == nil {
			continue
		}
		a := docs[f.JSON]
		a.field, a.kind, a.name, a.typ = f, kind, attributeName(f.JSON), kind.attrType()
		out = append(out, a)
	}
	return out
})

// attributeName is a SolarNetwork field name in Terraform's snake case:
// nodeIds is node_ids.
func attributeName(field string) string {
	var b strings.Builder
	for _, r := range field {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// policyAttrTypes is the policy object's type.
var policyAttrTypes = func() map[string]attr.Type {
	out := map[string]attr.Type{}
	for _, a := range policyAttributes() {
		out[a.name] = a.typ
	}
	return out
}()

// resourcePolicyAttributes builds the resource's policy (configurable,
// validated) or effective_policy (computed).
func resourcePolicyAttributes(computed bool) map[string]rschema.Attribute {
	out := map[string]rschema.Attribute{}
	for _, f := range policyAttributes() {
		desc, optional := f.configDesc, !computed
		if computed {
			desc = f.readDesc
		}
		switch t := f.typ.(type) {
		case types.SetType:
			a := rschema.SetAttribute{ElementType: t.ElemType, Optional: optional, Computed: computed, MarkdownDescription: desc}
			if optional {
				a.Validators = f.setValidators
			}
			out[f.name] = a
		case basetypes.BoolType:
			out[f.name] = rschema.BoolAttribute{Optional: optional, Computed: computed, MarkdownDescription: desc}
		default:
			a := rschema.StringAttribute{Optional: optional, Computed: computed, MarkdownDescription: desc}
			if optional {
				a.Validators = f.stringValidators
			}
			out[f.name] = a
		}
	}
	return out
}

// dataSourcePolicyAttributes builds the data sources' computed policy.
func dataSourcePolicyAttributes() map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for _, f := range policyAttributes() {
		switch t := f.typ.(type) {
		case types.SetType:
			out[f.name] = dschema.SetAttribute{ElementType: t.ElemType, Computed: true, MarkdownDescription: f.readDesc}
		case basetypes.BoolType:
			out[f.name] = dschema.BoolAttribute{Computed: true, MarkdownDescription: f.readDesc}
		default:
			out[f.name] = dschema.StringAttribute{Computed: true, MarkdownDescription: f.readDesc}
		}
	}
	return out
}

// ephemeralPolicyAttributes builds the ephemeral resource's configurable policy.
func ephemeralPolicyAttributes() map[string]eschema.Attribute {
	out := map[string]eschema.Attribute{}
	for _, f := range policyAttributes() {
		switch t := f.typ.(type) {
		case types.SetType:
			out[f.name] = eschema.SetAttribute{ElementType: t.ElemType, Optional: true, MarkdownDescription: f.configDesc, Validators: f.setValidators}
		case basetypes.BoolType:
			out[f.name] = eschema.BoolAttribute{Optional: true, MarkdownDescription: f.configDesc}
		default:
			out[f.name] = eschema.StringAttribute{Optional: true, MarkdownDescription: f.configDesc, Validators: f.stringValidators}
		}
	}
	return out
}
