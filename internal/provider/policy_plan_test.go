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
