package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Each validator accepts what SolarNetwork accepts and refuses, with the
// attribute named, what it would refuse or silently misread.
func TestValidatorsUnit(t *testing.T) {
	validators := map[string]validator.String{
		"source":    sourceIDPattern(),
		"metadata":  metadataPathPattern(),
		"api":       apiPathPattern(),
		"not blank": notBlankValidator{},
		"date":      expirationDateValidator{},
		"zone":      timeZoneValidator{},
		"duration":  durationValidator{min: time.Minute, max: 168 * time.Hour},
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

// Errors from SolarNetwork and from the first list become diagnostics
// that name the cause and what to do; no credential reaches them.
func TestDiagnosticsUnit(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&client.RestrictedCredentialError{TokenID: "T", Fields: []string{"nodeIds", "apiPaths"}}, "policy.node_ids, policy.api_paths"},
		{&client.IncompleteListError{Reason: "no data"}, "rather than take the missing tokens as deleted"},
		{&client.APIError{StatusCode: 401, Message: "Expired token"}, "expired"},
		{&client.TransportError{Method: "POST", Path: "/x", Sent: true, Err: errors.New("reset")}, "may or may not have taken effect"},
	}
	for _, c := range cases {
		var diags diag.Diagnostics
		addCredentialError(&diags, c.err)
		if !diags.HasError() {
			t.Errorf("%v: no error", c.err)
			continue
		}
		text := diags.Errors()[0].Summary() + " " + diags.Errors()[0].Detail()
		if !strings.Contains(text, c.want) {
			t.Errorf("%v: %q lacks %q", c.err, text, c.want)
		}
	}
}
