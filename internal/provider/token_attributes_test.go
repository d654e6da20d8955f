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

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// Every attribute is created, changed and cleared, and the simulator holds
// exactly what the configuration says at each step.
func TestAccSecurityToken_everyAttribute(t *testing.T) {
	sim := testAccSimulator(t)
	full := `
  type            = "ReadNodeData"
  name            = "All of it"
  description     = "Every attribute set"
  status          = "Disabled"
  expiration_date = "2030-01-01T08:30"
  time_zone       = "Pacific/Auckland"
  policy {
    node_ids            = [3, 1, 2]
    source_ids          = ["/a/**", "/b/*"]
    aggregations        = ["Day", "Month"]
    location_precisions = ["Block", "Region"]
    node_metadata_paths = ["/pm/public/**"]
    user_metadata_paths = ["/m/public/*"]
    api_paths           = ["/datum/**", "!/datum/reading"]
    refresh_allowed     = false
  }`
	changed := `
  type            = "ReadNodeData"
  name            = "Changed"
  description     = "Changed too"
  status          = "Active"
  expiration_date = "2031-06-15"
  policy {
    node_ids               = [4]
    source_ids             = ["/c/**"]
    min_aggregation        = "Hour"
    min_location_precision = "PostalCode"
    node_metadata_paths    = ["/m/*"]
    user_metadata_paths    = ["/pm/x/**"]
    api_paths              = ["/datum/list"]
    refresh_allowed        = true
  }`
	cleared := `
  type = "ReadNodeData"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           tokenConfig(sim, full),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					// 08:30 on 1 January in Auckland (NZDT, +13).
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2029-12-31T19:30:00Z")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expired"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("node_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(1), knownvalue.Int64Exact(2), knownvalue.Int64Exact(3)})),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("refresh_allowed"), knownvalue.Bool(false)),
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					p := tok.Policy
					switch {
					case tok.Status != "Disabled" || tok.Name != "All of it" || tok.Description != "Every attribute set":
						return fmt.Errorf("token %+v", tok)
					case p == nil || p.NotAfter == nil || !p.NotAfter.Equal(time.Date(2029, 12, 31, 19, 30, 0, 0, time.UTC)):
						return fmt.Errorf("notAfter %+v", p)
					case p.RefreshAllowed == nil || *p.RefreshAllowed:
						return fmt.Errorf("refreshAllowed %v", p.RefreshAllowed)
					}
					if err := equalInt64s(p.NodeIDs, []int64{1, 2, 3}); err != nil {
						return err
					}
					for what, pair := range map[string][2][]string{
						"sources":    {p.SourceIDs, {"/a/**", "/b/*"}},
						"aggs":       {p.Aggregations, {"Day", "Month"}},
						"precisions": {p.LocationPrecisions, {"Block", "Region"}},
						"node meta":  {p.NodeMetadataPaths, {"/pm/public/**"}},
						"user meta":  {p.UserMetadataPaths, {"/m/public/*"}},
						"api paths":  {p.APIPaths, {"/datum/**", "!/datum/reading"}},
					} {
						if err := sameElements(what, pair[0], pair[1]); err != nil {
							return err
						}
					}
					return nil
				}),
			},
			{
				PreConfig:        sim.ResetRequests,
				Config:           tokenConfig(sim, changed),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2031-06-15T00:00:00Z")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy").AtMapKey("aggregations"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					simToken(sim, func(tok simulator.Token) error {
						p := tok.Policy
						if tok.Status != "Active" || tok.Name != "Changed" || p.MinAggregation != "Hour" || p.MinLocationPrecision != "PostalCode" ||
							p.RefreshAllowed == nil || !*p.RefreshAllowed || len(p.Aggregations) != 0 {
							return fmt.Errorf("token %+v policy %+v", tok, p)
						}
						return equalInt64s(p.NodeIDs, []int64{4})
					}),
					// One call per changed part: info, status, policy.
					expectCalls(sim, map[string]int{"POST /info": 1, "POST /status": 1, "PUT /policy": 1, "PATCH /policy": 0, "POST /generate": 0}),
				),
			},
			{
				Config:           tokenConfig(sim, cleared),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("effective_policy"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
				},
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.Name != "" || tok.Description != "" || (tok.Policy != nil && !isEmptySimPolicy(tok.Policy)) {
						return fmt.Errorf("not cleared: %+v policy %+v", tok, tok.Policy)
					}
					return nil
				}),
			},
		},
	})
}

func isEmptySimPolicy(p *simulator.Policy) bool {
	return len(p.NodeIDs) == 0 && len(p.SourceIDs) == 0 && p.MinAggregation == "" && len(p.Aggregations) == 0 &&
		p.MinLocationPrecision == "" && len(p.LocationPrecisions) == 0 && len(p.NodeMetadataPaths) == 0 &&
		len(p.UserMetadataPaths) == 0 && len(p.APIPaths) == 0 && p.NotAfter == nil && p.RefreshAllowed == nil
}

func TestAccSecurityToken_typeChangeReplaces(t *testing.T) {
	sim := testAccSimulator(t)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:           tokenConfig(sim, `type = "ReadNodeData"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources[tokenAddr].Primary.ID
					return nil
				},
			},
			{
				Config: tokenConfig(sim, `type = "User"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					simToken(sim, func(tok simulator.Token) error {
						if tok.Type != "User" || tok.ID == firstID {
							return fmt.Errorf("token %s type %s, want a new User token", tok.ID, tok.Type)
						}
						if _, found := sim.Token(firstID); found {
							return fmt.Errorf("the replaced token %s still exists", firstID)
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccSecurityToken_statusToggle(t *testing.T) {
	sim := testAccSimulator(t)
	var id string
	step := func(status string) resource.TestStep {
		return resource.TestStep{
			Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\nstatus = \""+status+"\""),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: simToken(sim, func(tok simulator.Token) error {
				if id == "" {
					id = tok.ID
				}
				if tok.ID != id || tok.Status != status {
					return fmt.Errorf("token %s status %s, want %s status %s in place", tok.ID, tok.Status, id, status)
				}
				return nil
			}),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps:                    []resource.TestStep{step("Active"), step("Disabled"), step("Active")},
	})
}

// The same instant written differently is no change on SolarNetwork.
func TestAccSecurityToken_expirationSameInstant(t *testing.T) {
	sim := testAccSimulator(t)
	step := func(exp string) resource.TestStep {
		return resource.TestStep{
			PreConfig:        sim.ResetRequests,
			Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+exp),
			ConfigPlanChecks: emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2029-10-29T11:00:00Z")),
			},
		}
	}
	first := step(`expiration_date = "2029-10-30"` + "\n" + `time_zone = "Pacific/Auckland"`)
	offset := step(`expiration_date = "2029-10-30T00:00:00+13:00"`)
	offset.Check = expectCalls(sim, map[string]int{"PUT /policy": 0, "PATCH /policy": 0, "POST /generate": 0})
	utc := step(`expiration_date = "2029-10-29T11:00"` + "\n" + `time_zone = "UTC"`)
	utc.Check = offset.Check
	fixed := step(`expiration_date = "2029-10-29T06:00"` + "\n" + `time_zone = "-05:00"`)
	fixed.Check = offset.Check
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			first, offset, utc, fixed,
			{
				// A different instant is a policy change.
				PreConfig:        sim.ResetRequests,
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`expiration_date = "2029-10-30"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2029-10-30T00:00:00Z")),
				},
				Check: expectCalls(sim, map[string]int{"PUT /policy": 1}),
			},
		},
	})
}

// A new token whose expiry has passed is refused at plan time unless
// allow_expired is set; then it reads as expired.
func TestAccSecurityToken_expired(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				Config:      tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`expiration_date = "2020-01-01"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error: Expiry in the past.*expiration_date.*2020-01-01T00:00:00Z.*set\s+allow_expired\s+=\s+true`),
			},
			{
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`expiration_date = "2020-01-01"`+"\n"+`allow_expired = true`),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expired"), knownvalue.Bool(true)),
				},
			},
			{
				// An existing token keeps its past expiry without the opt-in...
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`expiration_date = "2020-01-01"`),
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				// ...and may move it to another past instant (with a warning).
				Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`expiration_date = "2021-01-01"`),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2021-01-01T00:00:00Z")),
				},
			},
		},
	})
}

var _ = regexp.MustCompile

// Replacing a merge-mode token makes the new one with the configured
// policy only: restrictions added elsewhere belonged to the old token.
func TestAccSecurityToken_typeChangeInMergeMode(t *testing.T) {
	sim := testAccSimulator(t)
	rec := &idRecorder{}
	cfg := func(tokenType string) string {
		return tokenConfig(sim, `
  type          = "`+tokenType+`"
  policy_update = "merge"
  policy { api_paths = ["/datum/**"] }`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg("ReadNodeData"), ConfigPlanChecks: emptyPlanAfterApply, Check: rec.record},
			{
				PreConfig: func() {
					mustEdit(t, sim.MergePolicy(rec.id, &simulator.Policy{SourceIDs: []string{"/theirs/**"}}))
				},
				Config:           cfg("User"),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: simToken(sim, func(tok simulator.Token) error {
					if tok.ID == rec.id || tok.Type != "User" || len(tok.Policy.SourceIDs) != 0 {
						return fmt.Errorf("token %s type %s policy %+v", tok.ID, tok.Type, tok.Policy)
					}
					return nil
				}),
			},
		},
	})
}
