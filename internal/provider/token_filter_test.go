package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Each expiry filter keeps exactly the tokens its description promises,
// judged against the read's instant.
func TestTokenFilterExpiry(t *testing.T) {
	now := time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *client.SecurityPolicy {
		e := now.Add(d)
		return &client.SecurityPolicy{NotAfter: &e}
	}
	tokens := []client.SecurityToken{
		{ID: "never", Name: "Dashboard"},
		{ID: "gone", Name: "ci-old", Policy: at(-time.Hour), Expired: true},
		{ID: "soon", Name: "ci-runner", Policy: at(6 * 24 * time.Hour)},
		{ID: "edge", Policy: at(7 * 24 * time.Hour)}, // exactly at the end of expires_within = 7d
		{ID: "later", Name: "Device 7", Policy: at(30 * 24 * time.Hour)},
	}
	b := func(v bool) types.Bool { return types.BoolValue(v) }
	s := func(v string) types.String { return types.StringValue(v) }
	for _, tc := range []struct {
		name string
		m    tokensDataSourceModel
		want []string
	}{
		{"no filter", tokensDataSourceModel{}, []string{"never", "gone", "soon", "edge", "later"}},
		{"expired", tokensDataSourceModel{Expired: b(true)}, []string{"gone"}},
		{"not expired", tokensDataSourceModel{Expired: b(false)}, []string{"never", "soon", "edge", "later"}},
		{"never expires", tokensDataSourceModel{NeverExpires: b(true)}, []string{"never"}},
		{"has an expiry", tokensDataSourceModel{NeverExpires: b(false)}, []string{"gone", "soon", "edge", "later"}},
		{"within a week", tokensDataSourceModel{ExpiresWithin: s("7d")}, []string{"soon", "edge"}},
		{"within 6d23h", tokensDataSourceModel{ExpiresWithin: s("6d23h")}, []string{"soon"}},
		{"name regex", tokensDataSourceModel{NameRegex: s("^ci-")}, []string{"gone", "soon"}},
		{"regex matching the empty name", tokensDataSourceModel{NameRegex: s(".*")}, []string{"never", "gone", "soon", "later"}},
		{"AND", tokensDataSourceModel{NameRegex: s("ci"), Expired: b(false)}, []string{"soon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, diags := tokenFilterOf(&tc.m, nil, now)
			if diags.HasError() {
				t.Fatal(diags)
			}
			var got []string
			for i := range tokens {
				if f.matches(&tokens[i]) {
					got = append(got, tokens[i].ID)
				}
			}
			if err := equalStrings("tokens", got, tc.want); err != nil {
				t.Error(err)
			}
		})
	}
	if _, diags := tokenFilterOf(&tokensDataSourceModel{NameRegex: s("(")}, nil, now); !diags.HasError() {
		t.Error("a malformed regular expression was accepted")
	}
}

// Over the real CLI, on the shared clock: a check on expires_within picks up
// a token once the clock comes within the window of its expiry.
func TestAccSecurityTokensDataSource_expiryFilters(t *testing.T) {
	env := testAccClocked(t)
	now := env.clock.Now()
	expiry := func(d time.Duration) *simulator.Policy {
		e := now.Add(d).Truncate(time.Millisecond)
		return &simulator.Policy{NotAfter: &e}
	}
	soon := env.sim.CreateToken(simulator.TypeReadNodeData, expiry(20*24*time.Hour))
	if err := env.sim.SetInfo(soon.ID, "ci-runner", ""); err != nil {
		t.Fatal(err)
	}
	later := env.sim.CreateToken(simulator.TypeReadNodeData, expiry(90*24*time.Hour))
	config := providerConfig(env.sim) + `
data "solarnetwork_security_tokens" "lapsing" {
  expires_within = "14d"
}
data "solarnetwork_security_tokens" "ci" {
  name_regex    = "^ci-"
  never_expires = false
}
data "solarnetwork_security_tokens" "expired" {
  expired = true
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectTokenIDs("lapsing"),
					expectTokenIDs("ci", soon.ID),
					expectTokenIDs("expired"),
				},
			},
			{
				PreConfig: func() { env.clock.Advance(7 * 24 * time.Hour) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectTokenIDs("lapsing", soon.ID),
				},
			},
			{
				PreConfig: func() { env.clock.Advance(14 * 24 * time.Hour) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectTokenIDs("lapsing"),
					expectTokenIDs("expired", soon.ID),
				},
			},
			{
				PreConfig: func() { env.clock.Advance(60 * 24 * time.Hour) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectTokenIDs("lapsing", later.ID),
				},
			},
		},
	})
}
