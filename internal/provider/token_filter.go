package provider

import (
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// tokenFilter is the configured filters of solarnetwork_security_tokens,
// parsed. Nil fields do not filter; filters combine with AND.
type tokenFilter struct {
	ids                   map[string]bool
	tokenType, status     *string
	expired, neverExpires *bool
	expiresBefore, readAt time.Time // expiresBefore zero: no expires_within
	nameRegex             *regexp.Regexp
}

// tokenFilterOf reads the filters of a configuration; now is the instant
// expires_within counts from.
func tokenFilterOf(m *tokensDataSourceModel, ids map[string]bool, now time.Time) (f tokenFilter, diags diag.Diagnostics) {
	f.ids, f.readAt = ids, now
	if !m.Type.IsNull() {
		v := m.Type.ValueString()
		f.tokenType = &v
	}
	if !m.Status.IsNull() {
		v := m.Status.ValueString()
		f.status = &v
	}
	if !m.Expired.IsNull() {
		v := m.Expired.ValueBool()
		f.expired = &v
	}
	if !m.NeverExpires.IsNull() {
		v := m.NeverExpires.ValueBool()
		f.neverExpires = &v
	}
	if !m.ExpiresWithin.IsNull() {
		d, err := duration.Parse(m.ExpiresWithin.ValueString())
		if err != nil { // the validator has said so already
			diags.AddAttributeError(path.Root("expires_within"), "Invalid duration", err.Error()+".")
			return f, diags
		}
		f.expiresBefore = now.Add(d)
	}
	if !m.NameRegex.IsNull() {
		re, err := regexp.Compile(m.NameRegex.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid regular expression", err.Error())
			return f, diags
		}
		f.nameRegex = re
	}
	return f, diags
}

func (f *tokenFilter) matches(t *client.SecurityToken) bool {
	var expiry *time.Time
	if t.Policy != nil {
		expiry = t.Policy.NotAfter
	}
	switch {
	case f.ids != nil && !f.ids[t.ID],
		f.tokenType != nil && t.Type != *f.tokenType,
		f.status != nil && t.Status != *f.status,
		f.expired != nil && t.Expired != *f.expired,
		f.neverExpires != nil && (expiry == nil) != *f.neverExpires,
		f.nameRegex != nil && (t.Name == "" || !f.nameRegex.MatchString(t.Name)):
		return false
	case !f.expiresBefore.IsZero():
		return expiry != nil && !t.Expired && expiry.After(f.readAt) && !expiry.After(f.expiresBefore)
	}
	return true
}
