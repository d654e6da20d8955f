package provider

import (
	"slices"

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
		return desired.Clone().Normalize()
	}
	d, c, o := orEmpty(desired), orEmpty(current), orEmpty(owned)
	out := &client.SecurityPolicy{}
	for _, f := range client.PolicyFields() {
		kindFor(f.Kind).merge(f, out, c, o, d)
	}
	return out.Normalize()
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
	for _, f := range client.PolicyFields() {
		ok = kindFor(f.Kind).patch(f, &patch, c, p) && ok
	}
	return patch, ok
}

// patchValue sets a single-valued f in patch to its planned value when that
// differs from the current one, as SolarNetwork compares them; ok is false
// when the plan unsets it, a removal.
func patchValue[T any](f client.PolicyField, patch, current, planned *client.SecurityPolicy) (ok bool) {
	switch {
	case !f.IsSet(planned):
		return !f.IsSet(current)
	case !f.EqualIn(current, planned):
		*client.FieldOf[T](f, patch) = *client.FieldOf[T](f, planned)
	}
	return true
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

// intersectPolicy keeps from owned what server still holds. The expiry is
// not kept: expiration_date tracks it.
func intersectPolicy(owned, server *client.SecurityPolicy) *client.SecurityPolicy {
	s := orEmpty(server)
	out := &client.SecurityPolicy{}
	for _, f := range client.PolicyFields() {
		kindFor(f.Kind).intersect(f, out, owned, s)
	}
	return out
}

// keepServerIfOwned is the server's value of a field Terraform owns.
func keepServerIfOwned[T comparable](owned, server T) T {
	var zero T
	if owned == zero {
		return zero
	}
	return server
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
