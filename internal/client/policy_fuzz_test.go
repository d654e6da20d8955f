package client

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzPolicyJSON: any policy the client reads from SolarNetwork, written
// back as the client sends it, reads as the same policy. A policy that
// changed on the way would make Terraform plan a change it can never apply.
func FuzzPolicyJSON(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"nodeIds":[100,101],"sourceIds":["/REGION1/**"],"minAggregation":"Hour","refreshAllowed":true}`,
		`{"aggregations":["Day","Hour"],"locationPrecisions":["Block"],"notAfter":1924992000000}`,
		`{"minAggregation":"Day","aggregations":["Hour"]}`, `{"nodeIds":[1,1,2],"apiPaths":["!/a/**"]}`,
		`{"nodeMetadataPaths":["/pm/**"],"userMetadataPaths":["/m/*"],"refreshAllowed":false,"notAfter":-1}`,
		`{"nodeIds":null,"sourceIds":[]}`, `{"unknown":[1,{"x":2}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var first SecurityPolicy
		if json.Unmarshal(data, &first) != nil {
			return
		}
		wire, err := json.Marshal(first)
		if err != nil {
			t.Fatalf("%s: marshal: %v", data, err)
		}
		var second SecurityPolicy
		if err := json.Unmarshal(wire, &second); err != nil {
			t.Fatalf("%s: the client cannot read what it sends, %s: %v", data, wire, err)
		}
		if !PoliciesEqual(&first, &second) {
			t.Errorf("%s read as %+v, sent as %s, read back as %+v", data, first, wire, second)
		}
		if !slices.Equal(first.RestrictingFields(), second.RestrictingFields()) {
			t.Errorf("%s: restricted by %v, after a round trip by %v", data, first.RestrictingFields(), second.RestrictingFields())
		}
	})
}
