package validate

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Seeds: testdata/fuzz/FuzzPatternValidators. Each pattern validator is run
// on the same value; what one accepts must be a pattern SolarNetwork holds
// exactly as written.
func FuzzPatternValidators(f *testing.F) {
	patterns := []struct {
		attr string
		v    validator.String
		// prefix every accepted value starts with, after an optional "!".
		prefix string
		negate bool
		policy func(string) client.SecurityPolicy
		field  func(client.SecurityPolicy) []string
	}{
		{
			attr: "source_ids", v: SourceIDPattern(),
			policy: func(s string) client.SecurityPolicy { return client.SecurityPolicy{SourceIDs: []string{s}} },
			field:  func(p client.SecurityPolicy) []string { return p.SourceIDs },
		},
		{
			attr: "node_metadata_paths", v: MetadataPathPattern(), prefix: "/",
			policy: func(s string) client.SecurityPolicy { return client.SecurityPolicy{NodeMetadataPaths: []string{s}} },
			field:  func(p client.SecurityPolicy) []string { return p.NodeMetadataPaths },
		},
		{
			attr: "api_paths", v: APIPathPattern(), prefix: "/", negate: true,
			policy: func(s string) client.SecurityPolicy { return client.SecurityPolicy{APIPaths: []string{s}} },
			field:  func(p client.SecurityPolicy) []string { return p.APIPaths },
		},
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		for _, p := range patterns {
			if msg := validateString(p.v, p.attr, s); msg != "" {
				continue
			}
			if s == "" || strings.TrimSpace(s) != s {
				t.Errorf("%s accepts %q: blank or with outer spaces", p.attr, s)
			}
			if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
				t.Errorf("%s accepts %q, which has a control character at byte %d", p.attr, s, i)
			}
			rest := s
			if p.negate {
				rest = strings.TrimPrefix(s, "!")
			}
			if !strings.HasPrefix(rest, p.prefix) || strings.Contains(rest, "//") || (len(rest) > 1 && strings.HasSuffix(rest, "/")) {
				t.Errorf("%s accepts %q: not a path pattern of non-empty segments starting %q", p.attr, s, p.prefix)
			}
			if p.attr == "api_paths" && strings.HasPrefix(rest, "/api/") {
				t.Errorf("api_paths accepts %q, which is not relative to /api/v1/sec", s)
			}
			held := simulatorRoundTrip(t, p.policy(s))
			if got := p.field(held); !slices.Equal(got, []string{s}) {
				t.Errorf("%s accepts %q, but SolarNetwork holds %q", p.attr, s, got)
			}
		}
	})
}
