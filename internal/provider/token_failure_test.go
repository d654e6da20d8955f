package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// A create whose /info step fails keeps the token and its secret in state
// with an error; the next apply completes the job and nothing is orphaned.
func TestAccSecurityToken_createFailsPartWay(t *testing.T) {
	sim := testAccSimulator(t)
	cfg := tokenConfig(sim, `
  type        = "ReadNodeData"
  name        = "Half made"
  description = "The /info call is refused the first time"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// A refusal: a 500 would be retried.
					sim.InjectFault(simulator.Fault{Method: "POST", Path: "/info", Status: 422})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Token \S{20} was created, but setting its name and description\s+failed.*kept\s+in\s+state,\s+marked\s+tainted`),
			},
			{
				PreConfig: func() {
					// The half-made token is in state, not orphaned.
					if n := len(nonAdminTokens(sim)); n != 1 {
						t.Errorf("%d tokens after the failed create, want 1", n)
					}
				},
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(*terraform.State) error {
					toks := nonAdminTokens(sim)
					if len(toks) != 1 || toks[0].Name != "Half made" {
						return fmt.Errorf("tokens after re-apply: %+v", toks)
					}
					return nil
				},
			},
		},
	})
}

// A generate that reaches SolarNetwork but gets no answer leaves a token
// whose secret is lost: the provider deletes it and generates once more.
func TestAccSecurityToken_generateNoAnswer(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				sim.InjectFault(simulator.Fault{Method: "POST", Path: "/generate/ReadNodeData", DropConnection: true, AfterHandling: true})
				sim.ResetRequests()
			},
			Config:           tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`policy { node_ids = [7] }`),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: resource.ComposeTestCheckFunc(
				func(s *terraform.State) error {
					toks := nonAdminTokens(sim)
					if len(toks) != 1 {
						return fmt.Errorf("%d tokens, want 1: the unanswered one must be deleted", len(toks))
					}
					rs := s.RootModule().Resources[tokenAddr].Primary
					if rs.ID != toks[0].ID || rs.Attributes["secret"] != toks[0].Secret {
						return fmt.Errorf("state holds %s, SolarNetwork %s; or the secret differs", rs.ID, toks[0].ID)
					}
					return nil
				},
				expectCalls(sim, map[string]int{"POST /generate/ReadNodeData": 2, "DELETE /auth-tokens": 1}),
			),
		}},
	})
}

// Refreshing many tokens costs one list request per CLI run, not one per token.
func TestAccSecurityToken_refreshManyTokensOneList(t *testing.T) {
	sim := testAccSimulator(t)
	const n = 100
	cfg := providerConfig(sim) + fmt.Sprintf(`
resource "solarnetwork_security_token" "many" {
  count = %d
  type  = "ReadNodeData"
  policy { node_ids = [count.index + 1] }
}`, n)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:    sim.ResetRequests,
				RefreshState: true,
				Check: func(*terraform.State) error {
					lists, all := sim.Count("GET", "/auth-tokens"), len(sim.Requests())
					t.Logf("refreshing %d tokens: %d requests, %d of them list calls", n, all, lists)
					if lists != 1 || all != 1 {
						return fmt.Errorf("refreshing %d tokens made %d requests (%d lists), want exactly 1 list", n, all, lists)
					}
					return nil
				},
			},
		},
	})
}

// An update whose second call fails records the first one; the next apply
// sends only what is still missing.
func TestAccSecurityToken_updateFailsPartWay(t *testing.T) {
	sim := testAccSimulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkDestroyed(sim),
		Steps: []resource.TestStep{
			{Config: tokenConfig(sim, `type = "ReadNodeData"`), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					sim.InjectFault(simulator.Fault{Method: "POST", Path: "/status", Status: 422})
				},
				Config:      tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`name = "renamed"`+"\n"+`status = "Disabled"`),
				ExpectError: regexp.MustCompile(`Could not set the status of token`),
			},
			{
				PreConfig: sim.ResetRequests,
				Config:    tokenConfig(sim, `type = "ReadNodeData"`+"\n"+`name = "renamed"`+"\n"+`status = "Disabled"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectCalls(sim, map[string]int{"POST /info": 0, "POST /status": 1}),
					simToken(sim, func(tok simulator.Token) error {
						if tok.Name != "renamed" || tok.Status != "Disabled" {
							return fmt.Errorf("token %+v", tok)
						}
						return nil
					}),
				),
			},
		},
	})
}
