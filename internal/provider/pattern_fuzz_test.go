package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzPatternValidators: a pattern the plan accepts is one SolarNetwork
// reads as written: not blank, no spaces at either end that it would match
// literally, no empty path segment, and the prefix each kind needs.
func FuzzPatternValidators(f *testing.F) {
	for _, seed := range []string{"/REGION1/**", "a?c/*", "/a//b", "/m/public/*", "pm/public", "!/datum/**",
		"/api/v1/sec/x", " /a", "/a/", "!", "/", "\t", "/**/x/**"} {
		f.Add(seed)
	}
	kinds := map[string]validator.String{"source": sourceIDPattern(), "metadata": metadataPathPattern(), "api": apiPathPattern()}
	f.Fuzz(func(t *testing.T, s string) {
		for kind, v := range kinds {
			resp := validator.StringResponse{}
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("policy").AtName(kind), ConfigValue: types.StringValue(s)}, &resp)
			if resp.Diagnostics.HasError() {
				continue
			}
			body := strings.TrimPrefix(s, "!")
			switch {
			case strings.TrimSpace(s) == "" || strings.TrimSpace(s) != s:
				t.Errorf("%s accepted %q: blank or padded", kind, s)
			case strings.Contains(s, "//"):
				t.Errorf("%s accepted %q: empty path segment", kind, s)
			case len(body) > 1 && strings.HasSuffix(body, "/"):
				t.Errorf("%s accepted %q: ends with an empty segment", kind, s)
			case kind == "metadata" && !strings.HasPrefix(s, "/"):
				t.Errorf("metadata accepted %q without a leading /", s)
			case kind == "api" && (!strings.HasPrefix(body, "/") || strings.HasPrefix(body, "/api/")):
				t.Errorf("api accepted %q, which is not relative to /api/v1/sec", s)
			}
		}
	})
}
