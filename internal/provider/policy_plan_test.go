package provider

import (
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

func boolPtr(b bool) *bool { return &b }

func TestPlanPolicyReplaceIsDesired(t *testing.T) {
	current := &client.SecurityPolicy{NodeIDs: []int64{1, 2}, SourceIDs: []string{"/a/**"}}
	desired := &client.SecurityPolicy{NodeIDs: []int64{3}}
	got := planPolicy(policyUpdateReplace, desired, current, nil)
	if !client.PoliciesEqual(got, desired) {
		t.Errorf("replace planned %+v, want %+v", got, desired)
	}
	if planPolicy(policyUpdateReplace, nil, current, nil) != nil {
		t.Error("replace with no policy must plan no policy")
	}
}

// The manual's merge example: existing restrictions stay, new ones are added.
func TestPlanPolicyMergeManualExample(t *testing.T) {
	current := &client.SecurityPolicy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: boolPtr(true)}
	desired := &client.SecurityPolicy{NodeIDs: []int64{107, 164}, SourceIDs: []string{"/REGION2/**"}}
	got := planPolicy(policyUpdateMerge, desired, current, nil)
	want := &client.SecurityPolicy{NodeIDs: []int64{100, 101, 107, 164}, SourceIDs: []string{"/REGION1/**", "/REGION2/**"}, MinAggregation: "Hour", RefreshAllowed: boolPtr(true)}
	if !client.PoliciesEqual(got, want) {
		t.Errorf("merge planned %+v, want %+v", got, want)
	}
	patch, additive := policyPatch(current, got)
	if !additive {
		t.Fatal("pure additions must go out as a merge")
	}
	if !client.PoliciesEqual(&patch, desired) {
		t.Errorf("patch %+v, want the additions %+v", patch, desired)
	}
}

func TestPlanPolicyMergeRemovesOnlyWhatWasOwned(t *testing.T) {
	expiry := time.Date(2027, 10, 30, 0, 0, 0, 0, time.UTC)
	current := &client.SecurityPolicy{
		NodeIDs: []int64{1, 2, 9}, SourceIDs: []string{"/mine/**", "/theirs/**"},
		MinAggregation: "Hour", NotAfter: &expiry, RefreshAllowed: boolPtr(true),
	}
	// Terraform owned node 1 and 2, /mine/** and the min aggregation.
	owned := &client.SecurityPolicy{NodeIDs: []int64{1, 2}, SourceIDs: []string{"/mine/**"}, MinAggregation: "Hour"}
	// The configuration drops node 2, /mine/** and the min aggregation.
	desired := &client.SecurityPolicy{NodeIDs: []int64{1}}
	got := planPolicy(policyUpdateMerge, desired, current, owned)
	want := &client.SecurityPolicy{NodeIDs: []int64{1, 9}, SourceIDs: []string{"/theirs/**"}, NotAfter: &expiry, RefreshAllowed: boolPtr(true)}
	if !client.PoliciesEqual(got, want) {
		t.Errorf("merge planned %+v, want %+v", got, want)
	}
	if _, additive := policyPatch(current, got); additive {
		t.Error("a plan that removes must go out as a replace")
	}
}

func TestPlanPolicyMergeScalars(t *testing.T) {
	current := &client.SecurityPolicy{MinAggregation: "Hour", RefreshAllowed: boolPtr(true)}
	got := planPolicy(policyUpdateMerge, &client.SecurityPolicy{MinAggregation: "Day", RefreshAllowed: boolPtr(false)}, current, nil)
	if got.MinAggregation != "Day" || got.RefreshAllowed == nil || *got.RefreshAllowed {
		t.Errorf("configured scalars must override: %+v", got)
	}
	// Owned and dropped: cleared. Not owned: kept.
	got = planPolicy(policyUpdateMerge, nil, current, &client.SecurityPolicy{MinAggregation: "Hour"})
	if got.MinAggregation != "" || got.RefreshAllowed == nil || !*got.RefreshAllowed {
		t.Errorf("owned scalar must clear, unowned stay: %+v", got)
	}
}

func TestPolicyPatchNoChange(t *testing.T) {
	p := &client.SecurityPolicy{NodeIDs: []int64{1}, SourceIDs: []string{"a"}}
	patch, additive := policyPatch(p, p)
	if !additive || !patch.IsEmpty() {
		t.Errorf("identical policies: patch %+v additive %v", patch, additive)
	}
}

// Read in merge mode keeps only what Terraform owned and is still there.
func TestIntersectPolicy(t *testing.T) {
	owned := &client.SecurityPolicy{NodeIDs: []int64{1, 2}, SourceIDs: []string{"/a/**"}, MinAggregation: "Hour", RefreshAllowed: boolPtr(true)}
	server := &client.SecurityPolicy{NodeIDs: []int64{2, 9}, SourceIDs: []string{"/b/**"}, MinAggregation: "Day"}
	got := intersectPolicy(owned, server)
	want := &client.SecurityPolicy{NodeIDs: []int64{2}, MinAggregation: "Day"}
	if !client.PoliciesEqual(got, want) {
		t.Errorf("intersect %+v, want %+v", got, want)
	}
	if !intersectPolicy(owned, nil).IsEmpty() {
		t.Error("nothing owned survives a removed policy")
	}
}

// A single value goes out in a PATCH when it changes; unsetting it is a
// removal, which only a PUT can do.
func TestPolicyPatchSingleValues(t *testing.T) {
	yes, no := true, false
	at := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	later := at.Add(time.Hour)
	for _, c := range []struct {
		name             string
		current, planned client.SecurityPolicy
		want             client.SecurityPolicy
		ok               bool
	}{
		{"level set", client.SecurityPolicy{}, client.SecurityPolicy{MinAggregation: "Hour"}, client.SecurityPolicy{MinAggregation: "Hour"}, true},
		{"level changed", client.SecurityPolicy{MinAggregation: "Day"}, client.SecurityPolicy{MinAggregation: "Hour"}, client.SecurityPolicy{MinAggregation: "Hour"}, true},
		{"level kept", client.SecurityPolicy{MinAggregation: "Hour"}, client.SecurityPolicy{MinAggregation: "Hour"}, client.SecurityPolicy{}, true},
		{"level unset", client.SecurityPolicy{MinAggregation: "Hour"}, client.SecurityPolicy{}, client.SecurityPolicy{}, false},
		{"flag changed", client.SecurityPolicy{RefreshAllowed: &yes}, client.SecurityPolicy{RefreshAllowed: &no}, client.SecurityPolicy{RefreshAllowed: &no}, true},
		{"flag kept", client.SecurityPolicy{RefreshAllowed: &no}, client.SecurityPolicy{RefreshAllowed: &no}, client.SecurityPolicy{}, true},
		{"flag unset", client.SecurityPolicy{RefreshAllowed: &no}, client.SecurityPolicy{}, client.SecurityPolicy{}, false},
		{"expiry moved", client.SecurityPolicy{NotAfter: &at}, client.SecurityPolicy{NotAfter: &later}, client.SecurityPolicy{NotAfter: &later}, true},
		{"expiry kept", client.SecurityPolicy{NotAfter: &at}, client.SecurityPolicy{NotAfter: &at}, client.SecurityPolicy{}, true},
		{"expiry unset", client.SecurityPolicy{NotAfter: &at}, client.SecurityPolicy{}, client.SecurityPolicy{}, false},
	} {
		patch, ok := policyPatch(&c.current, &c.planned)
		if ok != c.ok || (ok && !client.PoliciesEqual(&patch, &c.want)) {
			t.Errorf("%s: patch %+v ok=%v, want %+v ok=%v", c.name, patch, ok, c.want, c.ok)
		}
	}
}
