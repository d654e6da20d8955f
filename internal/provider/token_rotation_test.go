package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// rotatingToken is the test resource with a rotation block of lifetime 1h,
// due 15m before expiry, and the extra arguments given.
func rotatingToken(sim *simulator.Simulator, extra string) string {
	return tokenConfig(sim, `
  type = "ReadNodeData"
  name = "Rotating"
  policy { node_ids = [1] }
  rotation {
    lifetime      = "1h"
    rotate_before = "15m"
`+extra)
}

// expiresAt checks a token's expiry in SolarNetwork; zero want means none.
func expiresAt(sim *simulator.Simulator, id func() string, want func() time.Time) resource.TestCheckFunc {
	return func(*terraform.State) error {
		tok, ok := sim.Token(id())
		switch {
		case !ok:
			return fmt.Errorf("token %s is not in SolarNetwork", id())
		case tok.Policy == nil || tok.Policy.NotAfter == nil:
			return fmt.Errorf("token %s has no expiry, want %s", id(), want())
		case !tok.Policy.NotAfter.Equal(want()):
			return fmt.Errorf("token %s expires at %s, want %s", id(), tok.Policy.NotAfter.Format(time.RFC3339Nano), want().Format(time.RFC3339Nano))
		}
		return nil
	}
}

// onlyLeft checks, at the end, that the tokens left besides the admin's are
// exactly those named, each as check says.
func onlyLeft(sim *simulator.Simulator, ids func() []string, check func(simulator.Token) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		want := map[string]bool{}
		for _, id := range ids() {
			want[id] = true
		}
		for _, tok := range nonAdminTokens(sim) {
			if !want[tok.ID] {
				return fmt.Errorf("token %s is left after destroy", tok.ID)
			}
			if err := check(tok); err != nil {
				return fmt.Errorf("token %s: %w", tok.ID, err)
			}
			delete(want, tok.ID)
		}
		for id := range want {
			return fmt.Errorf("token %s should have been left in SolarNetwork", id)
		}
		return nil
	}
}

// A rotating token with create_before_destroy and an overlap, moved through
// its life by the clock: before its rotation window nothing changes; inside
// it the plan replaces the token, with a warning, and the old token keeps
// working for the overlap, then expires; once the new token has expired
// itself, the next plan replaces it too.
func TestAccSecurityToken_rotation(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	cfg := rotatingToken(sim, `    overlap       = "5m"
  }
  lifecycle { create_before_destroy = true }`)
	h := &tokenHistory{}
	t0 := clock.Now()
	var t1 time.Time // when the first rotation ran
	at := func(d time.Duration) func() time.Time { return func() time.Time { return t0.Add(d) } }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy: onlyLeft(sim, func() []string { return h.ids[:1] }, func(tok simulator.Token) error {
			if !tok.Policy.Expired(clock.Now()) {
				return fmt.Errorf("the rotated-out token has not expired")
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				// A new token: its expiry is its creation plus lifetime,
				// known only after apply.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("expires_at")),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("ready_for_rotation"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(1)})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact(expiration.FormatInstant(t0.Add(time.Hour)))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("ready_for_rotation"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("delete")),
				},
				Check: resource.ComposeTestCheckFunc(h.record, expiresAt(sim, h.last, at(time.Hour))),
			},
			{
				// 40 minutes on: 5 minutes before the window opens.
				PreConfig: func() { clock.Advance(40 * time.Minute); env.diags.Reset() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, env.diags.expectNone(`due for rotation|expired`),
					resource.TestCheckResourceAttr(tokenAddr, "ready_for_rotation", "false")),
			},
			{
				// 50 minutes on: inside the window. The plan replaces the
				// token and says why; the old one expires 5m after the apply.
				PreConfig: func() { clock.Advance(10 * time.Minute); t1 = clock.Now(); env.diags.Reset() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreateBeforeDestroy),
						plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("id")),
						plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("expires_at")),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("ready_for_rotation"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(1)})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					h.record,
					func(*terraform.State) error {
						if len(h.ids) != 2 {
							return fmt.Errorf("token IDs %v: the token was not replaced", h.ids)
						}
						return nil
					},
					env.diags.expect("plan", `Token \S+ is due for rotation: Token \S+ \("Rotating"\) expires at `+
						regexp.QuoteMeta(expiration.FormatInstant(t0.Add(time.Hour)))+` \(in 10m\), and rotate_before = "15m" made it due for rotation from `+
						regexp.QuoteMeta(expiration.FormatInstant(t0.Add(45*time.Minute)))+`\. This plan replaces it .* expiry moves to overlap = "5m"`),
					// The new token lives an hour from now; the old one 5 more minutes.
					expiresAt(sim, h.last, func() time.Time { return t1.Add(time.Hour) }),
					expiresAt(sim, func() string { return h.ids[0] }, func() time.Time { return t1.Add(5 * time.Minute) }),
					func(*terraform.State) error {
						if err := env.signsIn(h.ids[0], h.secrets[0]); err != nil {
							return fmt.Errorf("the old token stopped working during the overlap: %w", err)
						}
						return env.signsIn(h.ids[1], h.secrets[1])
					},
					resource.TestCheckResourceAttr(tokenAddr, "ready_for_rotation", "false"),
				),
			},
			{
				// 10 minutes after the rotation: the overlap is over. The
				// old token has expired and no longer works; the new one
				// is not due yet, so nothing changes.
				PreConfig: func() { clock.Advance(10 * time.Minute); env.diags.Reset() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					h.record,
					func(*terraform.State) error {
						if len(h.ids) != 2 {
							return fmt.Errorf("token IDs %v: replaced again", h.ids)
						}
						if err := env.signsIn(h.ids[0], h.secrets[0]); err == nil {
							return fmt.Errorf("the rotated-out token %s still works after its overlap", h.ids[0])
						}
						return env.signsIn(h.ids[1], h.secrets[1])
					},
				),
			},
			{
				// Two hours later, with no apply in between: the new token
				// has expired. Refresh says so, and the plan replaces it.
				// Expired, it has nothing to overlap, so it is deleted.
				PreConfig: func() { clock.Advance(2 * time.Hour); env.diags.Reset() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionCreateBeforeDestroy),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					h.record,
					env.diags.expectLater("read", func() string {
						return `Token \S+ has expired: Security token \S+ \("Rotating"\) expired at ` +
							regexp.QuoteMeta(expiration.FormatInstant(t1.Add(time.Hour))) + ` \(1h10m ago\) .* rotation is set, so the plan replaces it`
					}),
					env.diags.expect("plan", `is due for rotation: .* expired at .* The old token is deleted`),
					func(*terraform.State) error {
						if len(h.ids) != 3 {
							return fmt.Errorf("token IDs %v: the expired token was not replaced", h.ids)
						}
						if _, ok := sim.Token(h.ids[1]); ok {
							return fmt.Errorf("the expired token %s was not deleted", h.ids[1])
						}
						return nil
					},
				),
			},
		},
	})
}

// Without create_before_destroy the old token goes first, and still gets
// its overlap: its expiry moves to the overlap, and the new one follows.
func TestAccSecurityToken_rotationDestroyBeforeCreate(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	cfg := rotatingToken(sim, `    overlap       = "5m"
  }`)
	h := &tokenHistory{}
	var t1 time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             onlyLeft(sim, func() []string { return h.ids[:1] }, func(simulator.Token) error { return nil }),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: h.record},
			{
				PreConfig: func() { clock.Advance(50 * time.Minute); t1 = clock.Now() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record,
					expiresAt(sim, func() string { return h.ids[0] }, func() time.Time { return t1.Add(5 * time.Minute) }),
					expiresAt(sim, h.last, func() time.Time { return t1.Add(time.Hour) }),
				),
			},
		},
	})
}

// A replacement for any other reason than rotation (here a type change,
// likewise -replace) removes the old token at once, overlap or not: a
// forced replacement is what a leaked secret needs.
func TestAccSecurityToken_replacementNotDueHasNoOverlap(t *testing.T) {
	env := testAccClocked(t)
	sim := env.sim
	cfg := func(tokenType string) string {
		return tokenConfig(sim, `
  type = "`+tokenType+`"
  rotation {
    lifetime      = "30d"
    rotate_before = "7d"
    overlap       = "1d"
  }
  lifecycle { create_before_destroy = true }`)
	}
	h := &tokenHistory{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg("ReadNodeData"), ConfigPlanChecks: emptyPlanAfterApply, Check: h.record},
			{
				Config:           cfg("User"),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(h.record, func(*terraform.State) error {
					if _, ok := sim.Token(h.ids[0]); ok || len(h.ids) != 2 {
						return fmt.Errorf("tokens %v: the replaced token %s still exists", h.ids, h.ids[0])
					}
					return nil
				}),
			},
		},
	})
}

// on_destroy = "disable" keeps a destroyed token in SolarNetwork, disabled;
// with rotation and no overlap, a rotated-out token is disabled at once.
func TestAccSecurityToken_onDestroyDisable(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	cfg := rotatingToken(sim, `  }
  on_destroy = "disable"
  lifecycle { create_before_destroy = true }`)
	h := &tokenHistory{}
	disabled := func(id func() string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			tok, ok := sim.Token(id())
			if !ok || tok.Status != simulator.StatusDisabled {
				return fmt.Errorf("token %s: found %v, status %q, want it kept and disabled", id(), ok, tok.Status)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy: onlyLeft(sim, func() []string { return h.ids }, func(tok simulator.Token) error {
			if tok.Status != simulator.StatusDisabled {
				return fmt.Errorf("status %s, want Disabled", tok.Status)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(h.record, resource.TestCheckResourceAttr(tokenAddr, "on_destroy", "disable")),
			},
			{
				// Inside the window: replaced, and the old token disabled.
				PreConfig:        func() { clock.Advance(50 * time.Minute); env.diags.Reset() },
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(h.record,
					disabled(func() string { return h.ids[0] }),
					env.diags.expect("plan", `is due for rotation: .* The old token is disabled, not deleted \(on_destroy = "disable"\)`),
					func(*terraform.State) error {
						if len(h.ids) != 2 {
							return fmt.Errorf("token IDs %v: not replaced", h.ids)
						}
						return nil
					}),
			},
			{
				// Destroying it: the plan warns, and the token stays, disabled.
				PreConfig: env.diags.Reset,
				Config:    providerConfig(sim),
				Check: resource.ComposeTestCheckFunc(
					disabled(func() string { return h.ids[1] }),
					env.diags.expect("plan", `Token \S+ is disabled, not deleted: on_destroy = "disable": destroying token`),
				),
			},
		},
	})
}

// Destroying a token that is due for rotation, with an overlap, leaves it
// to expire within the overlap instead of deleting it; the plan says so.
func TestAccSecurityToken_destroyDueTokenWithOverlap(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	h := &tokenHistory{}
	var t1 time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             onlyLeft(sim, func() []string { return h.ids }, func(simulator.Token) error { return nil }),
		Steps: []resource.TestStep{
			{Config: rotatingToken(sim, `    overlap = "5m"
  }`), ConfigPlanChecks: emptyPlanAfterApply, Check: h.record},
			{
				PreConfig: func() { clock.Advance(50 * time.Minute); t1 = clock.Now(); env.diags.Reset() },
				Config:    providerConfig(sim),
				Check: resource.ComposeTestCheckFunc(
					env.diags.expect("plan", `Token \S+ is left to expire, not deleted: Token \S+ \("Rotating"\) was due for rotation`),
					expiresAt(sim, func() string { return h.ids[0] }, func() time.Time { return t1.Add(5 * time.Minute) }),
				),
			},
		},
	})
}

// Changing lifetime moves the current token's expiry in place, counted
// from its creation; a lifetime that puts it in its window replaces it.
func TestAccSecurityToken_rotationLifetimeChange(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	t0 := clock.Now()
	cfg := func(lifetime, before string) string {
		return tokenConfig(sim, `
  type = "ReadNodeData"
  rotation {
    lifetime      = "`+lifetime+`"
    rotate_before = "`+before+`"
  }`)
	}
	h := &tokenHistory{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg("30d", "7d"), ConfigPlanChecks: emptyPlanAfterApply, Check: h.record},
			{
				PreConfig: func() { clock.Advance(24 * time.Hour) },
				Config:    cfg("60d", "7d"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact(expiration.FormatInstant(t0.Add(60*24*time.Hour)))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, expiresAt(sim, h.last, func() time.Time { return t0.Add(60 * 24 * time.Hour) })),
			},
			{
				// A day old, a lifetime of 1d12h is due 12h before expiry: now.
				Config: cfg("1d12h", "12h"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(h.record, func(*terraform.State) error {
					if len(h.ids) != 2 {
						return fmt.Errorf("token IDs %v: not replaced", h.ids)
					}
					return nil
				}),
			},
		},
	})
}

// In merge mode rotation owns the expiry, as expiration_date would: a
// restriction added elsewhere is kept, an expiry changed elsewhere is put
// back, and the replacement made by rotation has the configured policy only.
func TestAccSecurityToken_rotationMergeMode(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	t0 := clock.Now()
	cfg := tokenConfig(sim, `
  type          = "ReadNodeData"
  policy_update = "merge"
  policy { node_ids = [1] }
  rotation {
    lifetime      = "1h"
    rotate_before = "15m"
  }
  lifecycle { create_before_destroy = true }`)
	h := &tokenHistory{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: h.record},
			{
				PreConfig: func() {
					later := t0.Add(24 * time.Hour)
					mustEdit(t, sim.MergePolicy(h.last(), &simulator.Policy{SourceIDs: []string{"/theirs/**"}, NotAfter: &later}))
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact(expiration.FormatInstant(t0.Add(time.Hour)))),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("source_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("/theirs/**")})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expiresAt(sim, h.last, func() time.Time { return t0.Add(time.Hour) }),
			},
			{
				PreConfig:        func() { clock.Advance(50 * time.Minute) },
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(h.record, simToken(sim, func(tok simulator.Token) error {
					if len(h.ids) != 2 || len(tok.Policy.SourceIDs) != 0 {
						return fmt.Errorf("tokens %v, policy %+v: want a replacement with the configured policy only", h.ids, tok.Policy)
					}
					return nil
				})),
			},
		},
	})
}

// The rotating-tokens guide's example, moved through a rotation: 24 days on,
// the token is replaced, the consumer is handed the new credentials in the
// same apply, and the old token works for the 2 days of overlap.
func TestAccExamples_rotatingTokensGuideRotates(t *testing.T) {
	env := testAccClocked(t)
	sim, clock := env.sim, env.clock
	cfg := providerConfig(sim) + readExample(t, "../../examples/guides/rotating-tokens")
	const addr, consumer = "solarnetwork_security_token.dashboard", "terraform_data.dashboard_credentials"
	var ids, secrets, consumerIDs []string
	record := func(s *terraform.State) error {
		tok, ok := s.RootModule().Resources[addr]
		c, ok2 := s.RootModule().Resources[consumer]
		if !ok || !ok2 {
			return fmt.Errorf("%s or %s not in state", addr, consumer)
		}
		ids, secrets = append(ids, tok.Primary.ID), append(secrets, tok.Primary.Attributes["secret"])
		consumerIDs = append(consumerIDs, c.Primary.ID)
		return nil
	}
	var t1 time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.providers,
		CheckDestroy:             onlyLeft(sim, func() []string { return ids[:1] }, func(simulator.Token) error { return nil }),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: record},
			{
				PreConfig: func() { clock.Advance(24 * 24 * time.Hour); t1 = clock.Now() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
						plancheck.ExpectResourceAction(consumer, plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(record,
					func(*terraform.State) error {
						if ids[0] == ids[1] || consumerIDs[0] == consumerIDs[1] {
							return fmt.Errorf("tokens %v, consumer runs %v: want both replaced", ids, consumerIDs)
						}
						for i := range ids {
							if err := env.signsIn(ids[i], secrets[i]); err != nil {
								return fmt.Errorf("token %s: %w", ids[i], err)
							}
						}
						return nil
					},
					expiresAt(sim, func() string { return ids[0] }, func() time.Time { return t1.Add(48 * time.Hour) }),
					expiresAt(sim, func() string { return ids[1] }, func() time.Time { return t1.Add(30 * 24 * time.Hour) }),
				),
			},
		},
	})
}
