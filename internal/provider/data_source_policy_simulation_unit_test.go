package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

var simulationRequestTypes = map[string]attr.Type{
	"node_id": types.Int64Type, "source_id": types.StringType, "aggregation": types.StringType,
	"location_precision": types.StringType, "node_metadata_path": types.StringType,
	"user_metadata_path": types.StringType, "api_path": types.StringType, "token_type": types.StringType,
}

// simulationRequest is one element of requests, as Terraform sends it:
// every attribute present, those not given null.
func simulationRequest(nodeID int64, strs map[string]string) attr.Value {
	attrs := map[string]attr.Value{"node_id": types.Int64Null()}
	if nodeID != 0 {
		attrs["node_id"] = types.Int64Value(nodeID)
	}
	for name := range simulationRequestTypes {
		if name != "node_id" {
			attrs[name] = types.StringNull()
		}
	}
	for name, v := range strs {
		attrs[name] = types.StringValue(v)
	}
	return types.ObjectValueMust(simulationRequestTypes, attrs)
}

func simulationConfig(policy types.Object, tokenID string, requests ...attr.Value) policySimulationModel {
	m := policySimulationModel{Policy: policy, TokenID: types.StringNull(),
		Requests:   types.ListValueMust(types.ObjectType{AttrTypes: simulationRequestTypes}, requests),
		Results:    types.ListNull(types.ObjectType{AttrTypes: decisionAttrTypes}),
		AllAllowed: types.BoolNull()}
	if tokenID != "" {
		m.TokenID = types.StringValue(tokenID)
	}
	return m
}

// simulationResults are the answers as "allowed" or the denying attributes.
func simulationResults(m policySimulationModel) []string {
	var out []string
	for _, e := range m.Results.Elements() {
		attrs := e.(types.Object).Attributes()
		if attrs["allowed"].(types.Bool).ValueBool() {
			out = append(out, "allowed")
			continue
		}
		var names []string
		for _, n := range attrs["denied_by"].(types.List).Elements() {
			names = append(names, n.(types.String).ValueString())
		}
		out = append(out, strings.Join(names, "+"))
	}
	return out
}

// The data source judges each request in order by a literal policy, by no
// policy at all, or by the policy and type SolarNetwork holds for a token
// of the account, read from the run's one list.
func TestPolicySimulationDataSourceUnit(t *testing.T) {
	r, sim := unitResource(t)
	d := &policySimulationDataSource{store: r.store}
	for _, c := range []struct {
		name     string
		cfg      policySimulationModel
		want     []string
		allAllow bool
	}{
		{"literal policy", simulationConfig(policyObject(&client.SecurityPolicy{NodeIDs: []int64{1}, MinAggregation: "Hour"}), "",
			simulationRequest(1, map[string]string{"aggregation": "Day"}),
			simulationRequest(2, nil),
			simulationRequest(0, map[string]string{"aggregation": "Minute"})),
			[]string{"allowed", "node_ids", "min_aggregation"}, false},
		{"no policy restricts nothing", simulationConfig(types.ObjectNull(policyAttrTypes), "",
			simulationRequest(7, map[string]string{"api_path": "/datum/list", "source_id": "/a/b"})),
			[]string{"allowed"}, true},
		{"api paths OR-ed", simulationConfig(policyObject(&client.SecurityPolicy{APIPaths: []string{"/datum/**", "!/datum/list"}}), "",
			simulationRequest(0, map[string]string{"api_path": "/datum/list"}),
			simulationRequest(0, map[string]string{"api_path": "/user/info"})),
			[]string{"allowed", "allowed"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, errs := readDataSource(t, d, c.cfg)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if res := simulationResults(got); !slices.Equal(res, c.want) || got.AllAllowed.ValueBool() != c.allAllow {
				t.Errorf("results %q all_allowed %v, want %q %v", res, got.AllAllowed, c.want, c.allAllow)
			}
		})
	}

	t.Run("by token id, with its type", func(t *testing.T) {
		user := sim.CreateToken(simulator.TypeUser, &simulator.Policy{NodeIDs: []int64{1}})
		sim.ResetRequests()
		got, errs := readDataSource(t, d, simulationConfig(types.ObjectNull(policyAttrTypes), user.ID,
			simulationRequest(0, map[string]string{"user_metadata_path": "/m/a"}),
			simulationRequest(0, map[string]string{"user_metadata_path": "/m/a", "token_type": client.TokenTypeReadNodeData}),
			simulationRequest(2, nil)))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		want := []string{"allowed", "user_metadata_paths", "node_ids"}
		if res := simulationResults(got); !slices.Equal(res, want) || got.AllAllowed.ValueBool() {
			t.Errorf("results %q all_allowed %v, want %q false", res, got.AllAllowed, want)
		}
		if n := sim.Count("GET", "/auth-tokens"); n != 1 {
			t.Errorf("%d list requests, want the run's one", n)
		}
	})
}

// A token the account lacks, a list that fails, a policy or request
// SolarNetwork cannot judge: each is an error and no answer is given.
func TestPolicySimulationDataSourceErrorsUnit(t *testing.T) {
	r, _ := unitResource(t)
	d := &policySimulationDataSource{store: r.store}
	anything := simulationRequest(1, nil)
	for _, c := range []struct {
		name string
		cfg  policySimulationModel
		want []string
	}{
		{"token not in the account", simulationConfig(types.ObjectNull(policyAttrTypes), "no-such-token-000000", anything),
			[]string{"Security token not found"}},
		{"a level SolarNetwork does not have", simulationConfig(policyObject(&client.SecurityPolicy{MinAggregation: "Daily"}), "", anything),
			[]string{"Invalid request"}},
		{"each request at fault", simulationConfig(types.ObjectNull(policyAttrTypes), "",
			simulationRequest(0, map[string]string{"aggregation": "Daily"}), anything,
			simulationRequest(0, map[string]string{"location_precision": "Street address"})),
			[]string{"Invalid request", "Invalid request"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, errs := readDataSource(t, d, c.cfg); !slices.Equal(errs, c.want) {
				t.Errorf("errors %q, want %q", errs, c.want)
			}
		})
	}

	t.Run("list fails", func(t *testing.T) {
		fresh, sim2 := unitResource(t)
		sim2.InjectFault(simulator.Fault{Method: "GET", Path: "/auth-tokens", Status: 403, Times: -1})
		admin, _ := sim2.AdminCredentials()
		_, errs := readDataSource(t, &policySimulationDataSource{store: fresh.store},
			simulationConfig(types.ObjectNull(policyAttrTypes), admin, anything))
		if len(errs) != 1 || !strings.HasPrefix(errs[0], "Could not read security token ") {
			t.Errorf("errors %q", errs)
		}
	})
}
