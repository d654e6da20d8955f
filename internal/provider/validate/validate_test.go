package validate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Each validator accepts what SolarNetwork accepts and refuses, with the
// attribute named, what it would refuse or silently misread.
func TestValidatorsUnit(t *testing.T) {
	validators := map[string]validator.String{
		"source":    SourceIDPattern(),
		"metadata":  MetadataPathPattern(),
		"api":       APIPathPattern(),
		"not blank": NotBlank(),
		"date":      ExpirationDate(),
		"zone":      TimeZone(),
		"duration":  Duration(time.Minute, 168*time.Hour),
		"days":      DaysDuration(time.Minute),
		"days or 0": DaysDuration(0),
		"regex":     Regex(),
		"token ID":  TokenID(),
	}
	cases := []struct {
		validator string
		value     string
		ok        bool
	}{
		{"source", "/REGION1/**", true}, {"source", "a?c/*", true}, {"source", "/a//b", false}, {"source", "/a/", false},
		{"source", " /a", false}, {"source", "  ", false},
		{"metadata", "/pm/public/**", true}, {"metadata", "/m/*", true}, {"metadata", "pm/public", false}, {"metadata", "/m/", false},
		{"api", "/user/auth-tokens/**", true}, {"api", "!/datum/**", true}, {"api", "user/x", false},
		{"api", "/api/v1/sec/datum/**", false}, {"api", "!/a//b", false},
		{"not blank", "x", true}, {"not blank", " ", false},
		{"date", "2027-10-30", true}, {"date", "2027-10-30T12:45", true}, {"date", "2027-10-30T12:45:00+13:00", true},
		{"date", "30/10/2027", false}, {"date", "2027-13-01", false},
		{"zone", "Pacific/Auckland", true}, {"zone", "UTC", true}, {"zone", "-05:00", true}, {"zone", "Mars/Olympus", false}, {"zone", "+25:00", false},
		{"duration", "30m", true}, {"duration", "168h", true}, {"duration", "169h", false}, {"duration", "30s", false}, {"duration", "soon", false},
		{"days", "30d", true}, {"days", "1d12h", true}, {"days", "1m", true}, {"days", "59s", false}, {"days", "-1d", false}, {"days", "1w", false},
		{"days or 0", "0s", true}, {"days or 0", "90m", true}, {"days or 0", "soon", false},
		{"regex", "^Dash.*$", true}, {"regex", "(", false},
		{"token ID", "hNAdH.aXHaEqFossMwT8", true}, {"token ID", "hNAdH/aXHaEqFossMwT8", false}, {"token ID", "short", false},
	}
	for _, c := range cases {
		v := validators[c.validator]
		req := validator.StringRequest{Path: path.Root("policy").AtName("x"), ConfigValue: types.StringValue(c.value)}
		resp := validator.StringResponse{}
		v.ValidateString(context.Background(), req, &resp)
		if resp.Diagnostics.HasError() == c.ok {
			t.Errorf("%s validator on %q: errors %v, want ok=%v", c.validator, c.value, resp.Diagnostics, c.ok)
		}
		for _, d := range resp.Diagnostics.Errors() {
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(req.Path) {
				t.Errorf("%s validator on %q: error not at the attribute", c.validator, c.value)
			}
		}
		if v.Description(context.Background()) == "" || v.MarkdownDescription(context.Background()) == "" {
			t.Errorf("%s validator has no description", c.validator)
		}
		// Null and unknown values are left to Terraform.
		for _, skip := range []types.String{types.StringNull(), types.StringUnknown()} {
			resp := validator.StringResponse{}
			v.ValidateString(context.Background(), validator.StringRequest{Path: req.Path, ConfigValue: skip}, &resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%s validator refused %v", c.validator, skip)
			}
		}
	}
}

// A metadata path without its leading "/" gets a hint that matches how
// SolarNetwork names metadata leaves: /m/<key>, /pm/<property>/<key>, /t.
func TestMetadataPathHints(t *testing.T) {
	t.Parallel()
	check := MetadataPathPattern().(stringCheck).check
	for in, want := range map[string]string{
		"pm/public":   `"pm/public" must start with "/": write "/pm/public"`,
		"m/public/*":  `write "/m/public/*"`,
		"t":           `write "/t"`,
		"**/public":   `write "/**/public"`,
		"public/*":    `"/m/public/*" for an info key, "/pm/public/*" for a property's info`,
		"/pm//x":      `empty path segment`,
		" /m/public ": `leading or trailing spaces`,
	} {
		detail := check(in)
		if detail == "" || !strings.Contains(detail, want) {
			t.Errorf("%q: %q, want %s", in, detail, want)
		}
	}
	for _, ok := range []string{"/pm/public/**", "/m/a", "/t"} {
		if detail := check(ok); detail != "" {
			t.Errorf("%q refused: %s", ok, detail)
		}
	}
}

// A pattern is an element of a set, whose path reads poorly: the error's
// summary names the set.
func TestPatternErrorNamesTheSet(t *testing.T) {
	elem := path.Root("policy").AtName("source_ids").AtSetValue(types.StringValue("/a//b"))
	req := validator.StringRequest{Path: elem, ConfigValue: types.StringValue("/a//b")}
	var resp validator.StringResponse
	SourceIDPattern().ValidateString(context.Background(), req, &resp)
	if errs := resp.Diagnostics.Errors(); len(errs) != 1 || errs[0].Summary() != "Invalid pattern in policy.source_ids" {
		t.Errorf("errors %v", errs)
	}
}
