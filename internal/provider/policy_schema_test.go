package provider

import (
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Every policy field but the expiry is an attribute with descriptions, and
// every schema that shows a policy has exactly those attributes.
func TestPolicyAttributesCoverFields(t *testing.T) {
	docs := policyAttributeDocs()
	var want, outside []string
	for _, f := range client.PolicyFields() {
		if kindFor(f.Kind).attrType() == nil {
			if _, ok := docs[f.JSON]; ok {
				t.Errorf("%s has docs but is not in the policy object", f.JSON)
			}
			outside = append(outside, f.JSON)
			continue
		}
		a, ok := docs[f.JSON]
		if !ok || a.configDesc == "" || a.readDesc == "" {
			t.Errorf("policy field %s has no descriptions in policyAttributeDocs", f.JSON)
		}
		delete(docs, f.JSON)
		want = append(want, attributeName(f.JSON))
	}
	for name := range docs {
		t.Errorf("policyAttributeDocs has %s, which is not a field of client.PolicyFields", name)
	}
	// Only the expiry, which is expiration_date, stays out of the object:
	// a kind without a Terraform type cannot drop a field unnoticed.
	if !slices.Equal(outside, []string{"notAfter"}) {
		t.Errorf("fields outside the policy object: %v, want only notAfter", outside)
	}
	slices.Sort(want)
	for schema, attrs := range map[string][]string{
		"policy object type":             slices.Sorted(maps.Keys(policyAttrTypes)),
		"resource policy":                slices.Sorted(maps.Keys(resourcePolicyAttributes(false))),
		"resource effective_policy":      slices.Sorted(maps.Keys(resourcePolicyAttributes(true))),
		"data source policy":             slices.Sorted(maps.Keys(dataSourcePolicyAttributes())),
		"ephemeral resource policy":      slices.Sorted(maps.Keys(ephemeralPolicyAttributes())),
		"resource schema's policy block": slices.Sorted(maps.Keys(tokenResourceSchema().Blocks["policy"].Type().(interface{ AttributeTypes() map[string]attr.Type }).AttributeTypes())),
	} {
		if !slices.Equal(attrs, want) {
			t.Errorf("%s has %v, want %v", schema, attrs, want)
		}
	}
}

func TestAttributeName(t *testing.T) {
	for in, want := range map[string]string{"nodeIds": "node_ids", "minLocationPrecision": "min_location_precision", "apiPaths": "api_paths"} {
		if got := attributeName(in); got != want {
			t.Errorf("attributeName(%q) = %q, want %q", in, got, want)
		}
	}
}
