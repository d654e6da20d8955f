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
	addSet := func(cur, want []string) []string {
		for _, v := range cur {
			if !slices.Contains(want, v) {
				ok = false
			}
		}
		var add []string
		for _, v := range want {
			if !slices.Contains(cur, v) {
				add = append(add, v)
			}
		}
		return add
	}
	patch.SourceIDs = addSet(c.SourceIDs, p.SourceIDs)
	patch.Aggregations = addSet(c.Aggregations, p.Aggregations)
	patch.LocationPrecisions = addSet(c.LocationPrecisions, p.LocationPrecisions)
	patch.NodeMetadataPaths = addSet(c.NodeMetadataPaths, p.NodeMetadataPaths)
	patch.UserMetadataPaths = addSet(c.UserMetadataPaths, p.UserMetadataPaths)
	patch.APIPaths = addSet(c.APIPaths, p.APIPaths)
	for _, v := range c.NodeIDs {
		if !slices.Contains(p.NodeIDs, v) {
			ok = false
		}
	}
	for _, v := range p.NodeIDs {
		if !slices.Contains(c.NodeIDs, v) {
			patch.NodeIDs = append(patch.NodeIDs, v)
		}
	}
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
	keepStr := func(o, s []string) []string {
		var out []string
		for _, v := range o {
			if slices.Contains(s, v) {
				out = append(out, v)
			}
		}
		return out
	}
	out := &client.SecurityPolicy{
		SourceIDs:          keepStr(owned.SourceIDs, s.SourceIDs),
		Aggregations:       keepStr(owned.Aggregations, s.Aggregations),
		LocationPrecisions: keepStr(owned.LocationPrecisions, s.LocationPrecisions),
		NodeMetadataPaths:  keepStr(owned.NodeMetadataPaths, s.NodeMetadataPaths),
		UserMetadataPaths:  keepStr(owned.UserMetadataPaths, s.UserMetadataPaths),
		APIPaths:           keepStr(owned.APIPaths, s.APIPaths),
	}
	for _, id := range owned.NodeIDs {
		if slices.Contains(s.NodeIDs, id) {
			out.NodeIDs = append(out.NodeIDs, id)
		}
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
