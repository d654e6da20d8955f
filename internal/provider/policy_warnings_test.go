package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// "!" entries judged with the evaluator (solarnetwork-api.md §12.6).
func TestAPIPathsNegationProblem(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  string // a part of the detail; "" for none
	}{
		{[]string{"/datum/**"}, ""},
		{[]string{"!/user/**"}, ""}, // one "!" on its own denies what it matches
		{[]string{"/datum/**", "!/datum/list"}, `"!/datum/list" does not deny /datum/list: "/datum/**" allows it.`},
		{[]string{"/user/import/**", "!/user/import/jobs/*/delete"}, `"/user/import/**" allows it`},
		// SecurityTokenAuthenticationFilterTests.apiPathV2MultiWithInvertedAllowed
		{[]string{"/path/do/thing", "!/path/do/**"}, `do not limit this token: "!/path/do/**" allows every path`},
		{[]string{"!/a/**", "!/b/**"}, `"!/a/**" does not deny /a/**: "!/b/**" allows it.`},
		{[]string{"/a/**", "!/b/**"}, `The allow entries "/a/**" do not limit this token: "!/b/**" allows every path it does not match`},
	} {
		got := apiPathsNegationProblem(tc.paths)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.paths, got, tc.want)
		}
	}
}

func TestRedundantSourceIDs(t *testing.T) {
	for _, tc := range []struct {
		ids  []string
		want string
	}{
		{[]string{"/a/**", "/b/**"}, ""},
		{[]string{"/a/**", "/a/b"}, "/a/b<-/a/**"},
		{[]string{"/a/**", "/a/*/x"}, "/a/*/x<-/a/**"},
		{[]string{"/a/**", "/a/*"}, "/a/*<-/a/**"}, // and not the other way: "/a/**" reaches deeper, though "*" matches its text
		{[]string{"/A/**", "/a/b"}, ""},            // case-sensitive
		{[]string{"/a/**", "a/b"}, ""},             // "/"-rooted patterns do not match unrooted IDs
		{[]string{"/a/b?", "/a/bc"}, "/a/bc<-/a/b?"},
		{[]string{"**", "a/*"}, "a/*<-**"},
	} {
		var got []string
		for _, p := range redundantSourceIDs(tc.ids) {
			got = append(got, p[0]+"<-"+p[1])
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q: %v, want %q", tc.ids, got, tc.want)
		}
	}
}

func TestSourceIDNeverMatches(t *testing.T) {
	for s, never := range map[string]bool{
		"/meter/.*": true, "^/meter/1": true, "/meter/1$": true, "/meter/[0-9]": true, "/a|/b": true, `\meter\1`: true,
		"/meter/*": false, "/meter/**": false, "/meter/1.5": false, "/PV (roof)": false, "/meter/{id}": false,
	} {
		if got := sourceIDNeverMatches(s) != ""; got != never {
			t.Errorf("%q: never matches %v, want %v", s, got, never)
		}
	}
}

// planWarnings runs ModifyPlan and returns its diagnostics as
// "Severity summary @ path" lines.
func (r *tokenResource) planDiagnostics(t *testing.T, prior, m *tokenModel) []string {
	t.Helper()
	req := resource.ModifyPlanRequest{State: stateOf(t, prior), Plan: planOf(t, *m)}
	req.Config = tfsdk.Config{Schema: unitSchema, Raw: req.Plan.Raw}
	req.Private = emptyPrivate(req.Private)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	r.ModifyPlan(context.Background(), req, &resp)
	var out []string
	for _, d := range resp.Diagnostics {
		line := d.Severity().String() + " " + d.Summary()
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			line += " @ " + wp.Path().String()
		}
		out = append(out, line)
	}
	return out
}

func TestPolicyWarningsUnit(t *testing.T) {
	sim := simulator.New(simulator.Options{NodeIDs: []int64{1, 2}, ArchivedNodeIDs: []int64{9}})
	u := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	c, err := client.New(client.Config{URL: u, Token: id, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	r := &tokenResource{store: client.NewTokenStore(c), nodes: client.NewNodeList(c)}
	refresh := false

	user := newModel()
	user.Type = types.StringValue(client.TokenTypeUser)
	got := strings.Join(r.planDiagnostics(t, nil, &user), "\n")
	for _, want := range []string{"Warning User token without api_paths @ policy.api_paths", "Warning refresh_allowed is not set @ policy.refresh_allowed"} {
		if !strings.Contains(got, want) {
			t.Errorf("a new User token without a policy: %s\nlacks %s", got, want)
		}
	}

	data := newModel()
	data.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 9, 1010}, RefreshAllowed: &refresh,
		SourceIDs: []string{"/a/**", "/a/b", "/x/.*"}})
	got = strings.Join(r.planDiagnostics(t, nil, &data), "\n")
	want := "Warning node_ids not in the account @ policy.node_ids\n" +
		"Warning source_ids pattern already covered @ policy.source_ids\n" +
		"Warning source_ids pattern that will not match @ policy.source_ids"
	if got != want {
		t.Errorf("a new data token: %s\nwant %s", got, want)
	}

	nodeReads := func() (n int) {
		for _, q := range sim.Requests() {
			if strings.Contains(q.Path, "/nodes") {
				n++
			}
		}
		return n
	}
	if n := nodeReads(); n != 2 {
		t.Errorf("%d node list requests, want the two lists", n)
	}

	// Each warning can be turned off; the node check then reads nothing.
	r.warnings = policyWarnings{disabled: map[string]bool{}}
	for _, w := range policyWarningDocs {
		r.warnings.disabled[w.name] = true
	}
	sim.ResetRequests()
	if got := r.planDiagnostics(t, nil, &data); len(got) != 0 {
		t.Errorf("with every warning off: %v", got)
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("%d requests with the node check off", n)
	}
	r.warnings = policyWarnings{}

	// An unchanged token says nothing; a change that adds a foreign node is
	// an error, since SolarNetwork would store it unchecked.
	data.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 9}, RefreshAllowed: &refresh})
	planned, errs := r.plan(t, nil, &data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	state := r.create(t, planned)
	same := state
	if got := r.planDiagnostics(t, &state, &same); len(got) != 0 {
		t.Errorf("an unchanged token: %v", got)
	}
	changed := state
	changed.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 9, 2, 77}, RefreshAllowed: &refresh})
	if got := strings.Join(r.planDiagnostics(t, &state, &changed), "\n"); got != "Error node_ids not in the account @ policy.node_ids" {
		t.Errorf("a change adding node 77: %s", got)
	}
	changed.Policy = policyValue(t, &client.SecurityPolicy{NodeIDs: []int64{1, 9, 2}, RefreshAllowed: &refresh})
	if got := r.planDiagnostics(t, &state, &changed); len(got) != 0 {
		t.Errorf("a change adding an owned node: %v", got)
	}
	// An imported token planned as it is says nothing either, though a new
	// one like it would get two warnings.
	admin := sim.CreateToken(simulator.TypeUser, nil)
	imp := resource.ImportStateResponse{State: tfsdk.State{Schema: unitSchema, Raw: nullRaw()}}
	r.ImportState(context.Background(), resource.ImportStateRequest{ID: admin.ID}, &imp)
	var imported tokenModel
	imp.State.Get(context.Background(), &imported)
	r.store.Invalidate() // the token was made after the run's list
	imported, _ = r.read(t, imported)
	planned = imported
	if got := r.planDiagnostics(t, &imported, &planned); len(got) != 0 {
		t.Errorf("an imported token planned unchanged: %v", got)
	}

	// The nodes were read once for the whole run.
	if n := nodeReads(); n != 0 {
		t.Errorf("%d more node list requests, want the first read shared", n)
	}
}
