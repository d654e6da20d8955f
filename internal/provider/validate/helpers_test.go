package validate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// validateString runs a string validator on an attribute value and returns
// its error detail, "" when it accepts the value.
func validateString(v validator.String, attr, value string) string {
	req := validator.StringRequest{Path: path.Root(attr), ConfigValue: types.StringValue(value)}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	return resp.Diagnostics.Errors()[0].Detail()
}

// simulatorRoundTrip sends p as the client does, lets the simulator read it
// as SolarNetwork would, and reads the simulator's answer back as the client
// does.
func simulatorRoundTrip(t *testing.T, p client.SecurityPolicy) client.SecurityPolicy {
	t.Helper()
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var held simulator.Policy
	if err := json.Unmarshal(body, &held); err != nil {
		t.Fatalf("SolarNetwork refuses the client's policy %s: %v", body, err)
	}
	out, err := json.Marshal(held)
	if err != nil {
		t.Fatal(err)
	}
	var back client.SecurityPolicy
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("the client cannot read SolarNetwork's policy %s: %v", out, err)
	}
	return back
}
