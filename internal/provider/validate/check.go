package validate

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck is a string validator made of what it accepts, the summary
// of its error, and a check that says what is wrong with a value ("" when
// nothing is). Null and unknown values are left to Terraform.
type stringCheck struct {
	description, summary string
	// inSet is for the elements of a set, which have no readable path of
	// their own: the summary then names the set.
	inSet bool
	check func(string) string
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if detail := v.check(req.ConfigValue.ValueString()); detail != "" {
		summary := v.summary
		if v.inSet {
			summary += " in " + req.Path.ParentPath().String()
		}
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

// errorText is what a parser's error says, "" for none.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
