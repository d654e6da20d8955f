package provider

import (
	"slices"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// Values of policy_update.
const (
	policyUpdateReplace = "replace"
	policyUpdateMerge   = "merge"
)

// planPolicy returns the policy, expiry included, that SolarNetwork will hold
// after apply.
//
// With replace, Terraform owns the whole policy: the result is desired.
// With merge, Terraform owns only what it configured: restrictions added
// elsewhere stay, and what Terraform owned before (owned) but the
// configuration dropped is removed. A scalar is overwritten when configured,
// cleared when owned and dropped, otherwise kept.
func planPolicy(mode string, desired, current, owned *client.SecurityPolicy) *client.SecurityPolicy {
	if mode != policyUpdateMerge {
		return normalizePolicy(clonePolicy(desired))
	}
	d, c, o := orEmpty(desired), orEmpty(current), orEmpty(owned)
	out := &client.SecurityPolicy{
		NodeIDs:            mergeSet(c.NodeIDs, o.NodeIDs, d.NodeIDs),
		SourceIDs:          mergeSet(c.SourceIDs, o.SourceIDs, d.SourceIDs),
		Aggregations:       mergeSet(c.Aggregations, o.Aggregations, d.Aggregations),
		LocationPrecisions: mergeSet(c.LocationPrecisions, o.LocationPrecisions, d.LocationPrecisions),
		NodeMetadataPaths:  mergeSet(c.NodeMetadataPaths, o.NodeMetadataPaths, d.NodeMetadataPaths),
		UserMetadataPaths:  mergeSet(c.UserMetadataPaths, o.UserMetadataPaths, d.UserMetadataPaths),
		APIPaths:           mergeSet(c.APIPaths, o.APIPaths, d.APIPaths),

		MinAggregation:       mergeScalar(c.MinAggregation, o.MinAggregation, d.MinAggregation),
		MinLocationPrecision: mergeScalar(c.MinLocationPrecision, o.MinLocationPrecision, d.MinLocationPrecision),
		NotAfter:             mergeScalar(c.NotAfter, o.NotAfter, d.NotAfter),
		RefreshAllowed:       mergeScalar(c.RefreshAllowed, o.RefreshAllowed, d.RefreshAllowed),
	}
	return normalizePolicy(out)
}

// mergeSet is (current − (owned − desired)) ∪ desired.
func mergeSet[T comparable](current, owned, desired []T) []T {
	var out []T
	for _, v := range current {
		if slices.Contains(owned, v) && !slices.Contains(desired, v) {
			continue
		}
		out = appendUnique(out, v)
	}
	for _, v := range desired {
		out = appendUnique(out, v)
	}
	return out
}

func mergeScalar[T comparable](current, owned, desired T) T {
	var zero T
	switch {
	case desired != zero:
		return desired
	case owned != zero:
		return zero
	default:
		return current
	}
}

// policyPatch returns what a PATCH must add to current to reach planned, or
// ok=false when planned removes something, which only a PUT can do.
func policyPatch(current, planned *client.SecurityPolicy) (patch client.SecurityPolicy, ok bool) {
	c, p := orEmpty(current), orEmpty(planned)
	ok = true
	add := func(cur, want []string) []string {
		a, removes := setAdditions(cur, want)
		ok = ok && !removes
		return a
	}
	patch.SourceIDs = add(c.SourceIDs, p.SourceIDs)
	patch.Aggregations = add(c.Aggregations, p.Aggregations)
	patch.LocationPrecisions = add(c.LocationPrecisions, p.LocationPrecisions)
	patch.NodeMetadataPaths = add(c.NodeMetadataPaths, p.NodeMetadataPaths)
	patch.UserMetadataPaths = add(c.UserMetadataPaths, p.UserMetadataPaths)
	patch.APIPaths = add(c.APIPaths, p.APIPaths)
	var nodeRemoves bool
	patch.NodeIDs, nodeRemoves = setAdditions(c.NodeIDs, p.NodeIDs)
	ok = ok && !nodeRemoves
	setScalar := func(cur, want string) string {
		if cur != "" && want == "" {
			ok = false
		}
		if cur != want {
			return want
		}
		return ""
	}
	patch.MinAggregation = setScalar(c.MinAggregation, p.MinAggregation)
	patch.MinLocationPrecision = setScalar(c.MinLocationPrecision, p.MinLocationPrecision)
	switch {
	case c.NotAfter != nil && p.NotAfter == nil:
		ok = false
	case p.NotAfter != nil && (c.NotAfter == nil || !c.NotAfter.Equal(*p.NotAfter)):
		patch.NotAfter = p.NotAfter
	}
	switch {
	case c.RefreshAllowed != nil && p.RefreshAllowed == nil:
		ok = false
	case p.RefreshAllowed != nil && (c.RefreshAllowed == nil || *c.RefreshAllowed != *p.RefreshAllowed):
		patch.RefreshAllowed = p.RefreshAllowed
	}
	return patch, ok
}

// setAdditions returns what want has that cur lacks, and whether cur has
// something want lacks.
func setAdditions[T comparable](cur, want []T) (add []T, removes bool) {
	for _, v := range cur {
		if !slices.Contains(want, v) {
			removes = true
		}
	}
	for _, v := range want {
		if !slices.Contains(cur, v) {
			add = append(add, v)
		}
	}
	return add, removes
}

// normalizePolicy mirrors SolarNetwork's storage: node ids sorted, a min
// level hides its explicit list, {} is no policy.
func normalizePolicy(p *client.SecurityPolicy) *client.SecurityPolicy {
	if p.IsEmpty() {
		return nil
	}
	p.NodeIDs = client.SortedNodeIDs(p.NodeIDs)
	if len(p.NodeIDs) == 0 {
		p.NodeIDs = nil
	}
	if p.MinAggregation != "" {
		p.Aggregations = nil
	}
	if p.MinLocationPrecision != "" {
		p.LocationPrecisions = nil
	}
	if p.NotAfter != nil {
		t := p.NotAfter.UTC().Truncate(time.Millisecond)
		p.NotAfter = &t
	}
	return p
}

func clonePolicy(p *client.SecurityPolicy) *client.SecurityPolicy {
	if p == nil {
		return &client.SecurityPolicy{}
	}
	q := *p
	q.NodeIDs = slices.Clone(p.NodeIDs)
	q.SourceIDs = slices.Clone(p.SourceIDs)
	q.Aggregations = slices.Clone(p.Aggregations)
	q.LocationPrecisions = slices.Clone(p.LocationPrecisions)
	q.NodeMetadataPaths = slices.Clone(p.NodeMetadataPaths)
	q.UserMetadataPaths = slices.Clone(p.UserMetadataPaths)
	q.APIPaths = slices.Clone(p.APIPaths)
	return &q
}

func orEmpty(p *client.SecurityPolicy) *client.SecurityPolicy {
	if p == nil {
		return &client.SecurityPolicy{}
	}
	return p
}

func appendUnique[T comparable](s []T, v T) []T {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// intersectPolicy keeps from owned what server still holds.
func intersectPolicy(owned, server *client.SecurityPolicy) *client.SecurityPolicy {
	s := orEmpty(server)
	out := &client.SecurityPolicy{
		NodeIDs:            keepPresent(owned.NodeIDs, s.NodeIDs),
		SourceIDs:          keepPresent(owned.SourceIDs, s.SourceIDs),
		Aggregations:       keepPresent(owned.Aggregations, s.Aggregations),
		LocationPrecisions: keepPresent(owned.LocationPrecisions, s.LocationPrecisions),
		NodeMetadataPaths:  keepPresent(owned.NodeMetadataPaths, s.NodeMetadataPaths),
		UserMetadataPaths:  keepPresent(owned.UserMetadataPaths, s.UserMetadataPaths),
		APIPaths:           keepPresent(owned.APIPaths, s.APIPaths),
	}
	if owned.MinAggregation != "" {
		out.MinAggregation = s.MinAggregation
	}
	if owned.MinLocationPrecision != "" {
		out.MinLocationPrecision = s.MinLocationPrecision
	}
	if owned.RefreshAllowed != nil {
		out.RefreshAllowed = s.RefreshAllowed
	}
	return out
}

// keepPresent returns the values of owned that server still has.
func keepPresent[T comparable](owned, server []T) []T {
	var out []T
	for _, v := range owned {
		if slices.Contains(server, v) {
			out = append(out, v)
		}
	}
	return out
}
