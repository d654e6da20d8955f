package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The fault matrix: every API request the provider makes (a row) fails in
// every way a request can fail (a column), through the CLI. Each cell is
// its own resource, whose request alone gets the cell's fault (see
// faultRouter); the cells of a row are applied together, as a
// configuration with many tokens is, each row against its own simulator
// holding foreign tokens that look like the provider's. Then:
//   - each cell ends as its column says: an error that names its resource
//     and says what failed, or success when the provider gets past the
//     failure by itself (a rate limit's retry, a lost generate sent again);
//   - once the faults are gone, the next apply converges and the plan after
//     it is empty;
//   - the safety invariant (safetyInvariant) holds against the simulator's
//     real token list after every apply.
//
// SOLARNETWORK_FAULT_MATRIX=cells runs every cell as its own test case
// with its own simulator instead, which takes several times as long.

// matrixProvider retries once, so a failure that is to reach the resource
// must fail every attempt; request_timeout is as short as allowed.
const matrixProvider = `
  max_retries     = 1
  request_timeout = "1s"`

// matrixColumn is one way a request fails.
type matrixColumn struct {
	name  string
	fault simulator.Fault
	// recovers is true when the provider gets past a single failure by
	// itself within the apply: a rate limit is retried after its wait.
	recovers bool
	// beforeHandling is true when SolarNetwork never acted on the request.
	beforeHandling bool
	// noData answers success without the data the request returns: a
	// failure only for a request whose answer the provider reads.
	noData bool
}

// Server errors, a database error's 429, resets "after", unreadable 2xx
// answers and late answers come after SolarNetwork acted: the write happened and its answer is lost,
// the hardest case for the provider. A rate limit comes before, as
// SolarNetwork's rate limiter answers before handling.
func matrixColumns() []matrixColumn {
	return []matrixColumn{
		{name: "500", fault: simulator.Fault{Status: http.StatusInternalServerError, AfterHandling: true}},
		{name: "502", fault: simulator.Fault{Status: http.StatusBadGateway, AfterHandling: true}},
		{name: "503", fault: simulator.Fault{Status: http.StatusServiceUnavailable, AfterHandling: true}},
		{name: "429 retry-after", fault: simulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: 100 * time.Millisecond},
			recovers: true, beforeHandling: true},
		// SolarNetwork's 429 for a database error, which can follow a write
		// that committed: not the rate limiter's, so a generate is not sent
		// again as it is.
		{name: "429 DAO.00300 after", fault: simulator.Fault{Status: http.StatusTooManyRequests, Code: "DAO.00300", AfterHandling: true}},
		{name: "reset before", fault: simulator.Fault{DropConnection: true}, beforeHandling: true},
		{name: "reset after", fault: simulator.Fault{DropConnection: true, AfterHandling: true}},
		{name: "truncated 2xx", fault: simulator.Fault{TruncateBody: true, AfterHandling: true}},
		{name: "HTML 2xx", fault: simulator.Fault{Status: http.StatusOK, Body: "<html><body><h1>Welcome to the network</h1></body></html>",
			ContentType: "text/html", AfterHandling: true}},
		{name: "2xx without data", fault: simulator.Fault{Status: http.StatusOK, Body: `{"success":true}`, AfterHandling: true}, noData: true},
		// Answered only after the provider's request_timeout gave up; the
		// router stops waiting as soon as the client is gone.
		{name: "timeout", fault: simulator.Fault{Delay: time.Minute, AfterHandling: true}},
	}
}

// matrixRow is one request of the provider: the resource bodies that make
// it (before is applied first without faults, nil for a create; during is
// applied with the fault and again to converge, "" to remove the
// resource) and the rule that picks a cell's request.
type matrixRow struct {
	name   string
	before func(tag string) string
	during func(tag string) string
	pick   func(tag, id string) func(*http.Request, url.Values, []byte) bool
	// once applies the fault to one request only; otherwise every attempt
	// fails, so that a retry cannot get past it.
	once bool
	// failure is the error summary of a cell whose request failed.
	failure string
	// tainted is true when a failed cell leaves its token tainted in state.
	tainted bool
	// resent is true when the provider sends a lost request once more by
	// itself: generate, after cleaning up the token the lost one made.
	resent bool
	// readsAnswer is true when the provider needs the answer's data, so a
	// success without it is a failure.
	readsAnswer bool
}

func matrixData(tag string) string {
	return `
  type = "ReadNodeData"
  policy {
    node_ids   = [1]
    source_ids = ["/m/` + tag + `/**"]
  }`
}

func matrixUser(tag string) string {
	return `
  type        = "User"
  name        = "Matrix ` + tag + `"
  description = "Made by the fault matrix"
  policy {
    refresh_allowed = true
  }`
}

func matrixRows() []matrixRow {
	generate := func(tag, _ string) func(*http.Request, url.Values, []byte) bool {
		return requestTo(http.MethodPost, "/generate/ReadNodeData", "", "", "/m/"+tag+"/")
	}
	byToken := func(method, path string) func(tag, id string) func(*http.Request, url.Values, []byte) bool {
		return func(_, id string) func(*http.Request, url.Values, []byte) bool {
			return requestTo(method, path, "tokenId", id, "")
		}
	}
	merge := func(nodes string) func(tag string) string {
		return func(tag string) string {
			return `
  type          = "ReadNodeData"
  policy_update = "merge"
  policy {
    node_ids   = [` + nodes + `]
    source_ids = ["/m/` + tag + `/**"]
  }`
		}
	}
	return []matrixRow{
		{
			name: "generate once", during: matrixData, pick: generate, once: true, resent: true, readsAnswer: true,
		},
		{
			name: "generate every time", during: matrixData, pick: generate, readsAnswer: true,
			failure: "Could not create the security token",
		},
		{
			name: "policy after generate", during: matrixData,
			pick: func(tag, _ string) func(*http.Request, url.Values, []byte) bool {
				return requestTo(http.MethodPut, "/policy", "", "", "/m/"+tag+"/")
			},
			failure: "was created, but setting its policy failed", tainted: true, readsAnswer: true,
		},
		{
			name: "info after generate", during: matrixUser,
			pick: func(tag, _ string) func(*http.Request, url.Values, []byte) bool {
				return requestTo(http.MethodPost, "/info", "name", "Matrix "+tag, "")
			},
			failure: "was created, but setting its name and description failed", tainted: true,
		},
		{
			name: "status on update", before: matrixUser,
			during:  func(tag string) string { return matrixUser(tag) + "\n  status = \"Disabled\"" },
			pick:    byToken(http.MethodPost, "/status"),
			failure: "Could not set the status of token",
		},
		{
			name: "merge policy on update", before: merge("1"), during: merge("1, 2"),
			pick:    byToken(http.MethodPatch, "/policy"),
			failure: "Could not update the policy of token", readsAnswer: true,
		},
		{
			name: "replace policy on update", before: matrixData,
			during: func(tag string) string {
				return `
  type = "ReadNodeData"
  policy {
    node_ids        = [2, 3]
    source_ids      = ["/m/` + tag + `/**"]
    min_aggregation = "Hour"
  }`
			},
			pick:    byToken(http.MethodPut, "/policy"),
			failure: "Could not update the policy of token", readsAnswer: true,
		},
		{
			name: "delete", before: matrixData, during: func(string) string { return "" },
			pick:    byToken(http.MethodDelete, "/auth-tokens"),
			failure: "Could not delete security token",
		},
	}
}

func TestAccFaultMatrix(t *testing.T) {
	cells := os.Getenv("SOLARNETWORK_FAULT_MATRIX") == "cells"
	for _, row := range matrixRows() {
		t.Run(row.name, func(t *testing.T) {
			if !cells {
				runMatrixRow(t, row, matrixColumns())
				return
			}
			for _, col := range matrixColumns() {
				t.Run(col.name, func(t *testing.T) { runMatrixRow(t, row, []matrixColumn{col}) })
			}
		})
	}
	t.Run("list", func(t *testing.T) {
		if !cells {
			runMatrixList(t, matrixColumns())
			return
		}
		for _, col := range matrixColumns() {
			t.Run(col.name, func(t *testing.T) { runMatrixList(t, []matrixColumn{col}) })
		}
	})
}

// matrixConfig is the provider block and one resource per cell, named by
// the cell's tag; body returns "" for no resource.
func matrixConfig(fr *faultRouter, tags []string, body func(string) string) string {
	id, secret := fr.sim.AdminCredentials()
	cfg := fmt.Sprintf(`
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
%s
}
`, fr.url, id, secret, matrixProvider)
	for _, tag := range tags {
		if b := body(tag); b != "" {
			cfg += "\nresource \"solarnetwork_security_token\" \"" + tag + "\" {" + b + "\n}\n"
		}
	}
	return cfg
}

func matrixAddr(tag string) string { return "solarnetwork_security_token." + tag }

func runMatrixRow(t *testing.T, row matrixRow, cols []matrixColumn) {
	fr := testAccRoutedSimulator(t)
	sim := fr.sim
	inv := safetyInvariant{sim: sim, url: fr.url, foreign: foreignTokens(sim)}
	tags := make([]string, len(cols))
	failing := map[string]bool{} // address -> the cell's request fails
	for i, col := range cols {
		tags[i] = fmt.Sprintf("c%d", i)
		failing[matrixAddr(tags[i])] = !row.once && !col.recovers && (!col.noData || row.readsAnswer)
	}
	anyFailing := slices.Contains(slices.Collect(maps.Values(failing)), true)
	ids := map[string]string{} // address -> token id after the first apply
	recordIDs := func(s *terraform.State) error {
		for addr, v := range stateTokens(s) {
			ids[addr] = v[0]
		}
		return nil
	}
	expect := &errorExpectation{summary: words(row.failure), failing: failing, ids: ids}

	var steps []resource.TestStep
	if row.before != nil {
		steps = append(steps, resource.TestStep{
			Config: matrixConfig(fr, tags, row.before),
			Check:  resource.ComposeTestCheckFunc(recordIDs, inv.check),
		})
	}
	faulted := resource.TestStep{
		PreConfig: func() {
			sim.ResetRequests()
			for i, col := range cols {
				times := -1
				if row.once || col.recovers {
					times = 1
				}
				fr.add(&faultRule{name: tags[i], match: row.pick(tags[i], ids[matrixAddr(tags[i])]), fault: col.fault, times: times})
			}
			expect.arm(anyFailing)
		},
		Config: matrixConfig(fr, tags, row.during),
	}
	// Every cell's fault must have met its request: a cell whose request
	// never came would test nothing.
	faultsUsed := func() error {
		used := fr.clear()
		for i, col := range cols {
			n := used[tags[i]]
			if n == 0 || ((row.once || col.recovers) && n != 1) {
				return fmt.Errorf("cell %s (%s): the fault met %d requests", tags[i], col.name, n)
			}
		}
		return nil
	}
	if !anyFailing {
		// The provider got past every failure: the apply itself must be
		// clean, with nothing lost and nothing left over.
		faulted.ConfigPlanChecks = emptyPlanAfterApply
		faulted.Check = resource.ComposeTestCheckFunc(
			func(*terraform.State) error { return faultsUsed() },
			inv.check,
			matrixResent(sim, row, cols),
		)
		steps = append(steps, faulted)
	} else {
		converge := resource.TestStep{
			PreConfig: func() {
				if err := faultsUsed(); err != nil {
					t.Error(err)
				}
				if err := expect.disarm(); err != nil {
					t.Error(err)
				}
			},
			Config: matrixConfig(fr, tags, row.during),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             matrixPlanChecks(row, tags, failing),
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeTestCheckFunc(inv.check, matrixOutcome(row, tags, ids)),
		}
		steps = append(steps, faulted, converge)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		ErrorCheck:               expect.check,
		CheckDestroy:             inv.afterDestroy,
		Steps:                    steps,
	})
}

// runMatrixList fails the run's token list, read when the provider is
// configured, before anything else: nothing may change, and the token
// must not read as deleted. Each column is a step of its own, as the list
// serves every resource.
func runMatrixList(t *testing.T, cols []matrixColumn) {
	fr := testAccRoutedSimulator(t)
	sim := fr.sim
	inv := safetyInvariant{sim: sim, url: fr.url, foreign: foreignTokens(sim)}
	tags := []string{"c0"}
	before := matrixConfig(fr, tags, matrixData)
	during := matrixConfig(fr, tags, func(tag string) string { return matrixData(tag) + "\n  name = \"Renamed\"" })
	ids := map[string]string{}
	sameToken := func(s *terraform.State) error {
		for addr, v := range stateTokens(s) {
			if ids[addr] == "" {
				ids[addr] = v[0]
			} else if ids[addr] != v[0] {
				return fmt.Errorf("%s was replaced: token %s, then %s", addr, ids[addr], v[0])
			}
		}
		return nil
	}
	steps := []resource.TestStep{{Config: before, Check: resource.ComposeTestCheckFunc(sameToken, inv.check)}}
	for i, col := range cols {
		times := -1
		if col.recovers {
			times = 1
		}
		step := resource.TestStep{
			PreConfig: func() {
				if used := fr.clear(); i > 0 && used[cols[i-1].name] == 0 {
					t.Errorf("the list fault of %s met no request", cols[i-1].name)
				}
				fr.add(&faultRule{name: col.name, match: requestTo(http.MethodGet, "/auth-tokens", "", "", ""), fault: col.fault, times: times})
			},
			Config: during,
		}
		if col.recovers {
			step.ConfigPlanChecks = emptyPlanAfterApply
			step.Check = resource.ComposeTestCheckFunc(sameToken, inv.check)
		} else {
			step.ExpectError = regexp.MustCompile(words("Could not list the SolarNetwork security tokens").String() + "|" +
				words("SolarNetwork's token list is incomplete").String())
		}
		steps = append(steps, step)
	}
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			if used := fr.clear(); len(used) == 0 {
				t.Error("the last list fault met no request")
			}
		},
		Config:           during,
		ConfigPlanChecks: emptyPlanAfterApply,
		Check:            resource.ComposeTestCheckFunc(sameToken, inv.check),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             inv.afterDestroy,
		Steps:                    steps,
	})
}

// matrixResent checks, for a row whose lost request the provider sends
// again by itself, that each cell sent it exactly twice and that exactly
// the tokens SolarNetwork made for lost answers were deleted.
func matrixResent(sim *simulator.Simulator, row matrixRow, cols []matrixColumn) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if !row.resent {
			return nil
		}
		wantDeletes := 0
		for _, col := range cols {
			if !col.beforeHandling {
				wantDeletes++
			}
		}
		if n, want := sim.Count(http.MethodPost, "/generate/ReadNodeData"), 2*len(cols); n != want {
			return fmt.Errorf("%d generate requests, want %d: one lost and one resent per cell", n, want)
		}
		if n := sim.Count(http.MethodDelete, "/auth-tokens"); n != wantDeletes {
			return fmt.Errorf("%d delete requests, want %d: one per token made for a lost answer", n, wantDeletes)
		}
		return nil
	}
}

// matrixPlanChecks: after a failed create, the token is in state, tainted,
// so the plan replaces it; a cell that got past its failure plans nothing.
func matrixPlanChecks(row matrixRow, tags []string, failing map[string]bool) []plancheck.PlanCheck {
	if !row.tainted {
		return nil
	}
	var checks []plancheck.PlanCheck
	for _, tag := range tags {
		addr := matrixAddr(tag)
		if failing[addr] {
			checks = append(checks, expectTaintedReplace(addr))
		} else {
			checks = append(checks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
		}
	}
	return checks
}

// expectTaintedReplace checks that the plan replaces addr because it is
// tainted.
type expectTaintedReplace string

func (addr expectTaintedReplace) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	tainted := false
	if req.Plan.PriorState != nil && req.Plan.PriorState.Values != nil && req.Plan.PriorState.Values.RootModule != nil {
		for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
			if r.Address == string(addr) {
				tainted = r.Tainted
			}
		}
	}
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == string(addr) {
			if !tainted || !rc.Change.Actions.Replace() {
				resp.Error = fmt.Errorf("%s: tainted %v, planned %v; want a tainted token replaced", addr, tainted, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the plan, want a tainted token replaced", addr)
}

// matrixOutcome checks the converged state: an update keeps each token (a
// failed update must not lead to a new token), a delete leaves none.
func matrixOutcome(row matrixRow, tags []string, ids map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		tokens := stateTokens(s)
		if row.during(tags[0]) == "" {
			if len(tokens) != 0 {
				return fmt.Errorf("state still holds %v", tokens)
			}
			return nil
		}
		if len(tokens) != len(tags) {
			return fmt.Errorf("state holds %d tokens, want %d", len(tokens), len(tags))
		}
		for addr, id := range ids {
			if tokens[addr][0] != id {
				return fmt.Errorf("%s: token %s was replaced by %s", addr, id, tokens[addr][0])
			}
		}
		return nil
	}
}

// errorExpectation checks the error of the faulted apply, resource by
// resource: every failing cell's resource has an error with the row's
// summary, and no other resource has one.
type errorExpectation struct {
	summary *regexp.Regexp
	failing map[string]bool
	// ids names the resources of an error without a source location (a
	// resource removed from the configuration) by their token IDs.
	ids map[string]string

	mu       sync.Mutex
	armed    bool
	errored  bool
	problems []string
}

func (e *errorExpectation) arm(on bool) {
	e.mu.Lock()
	e.armed, e.errored, e.problems = on, false, nil
	e.mu.Unlock()
}

// disarm ends the faulted step; it reports an apply that did not fail.
func (e *errorExpectation) disarm() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	armed := e.armed
	e.armed = false
	if armed && !e.errored {
		return fmt.Errorf("the faulted apply did not fail")
	}
	return nil
}

var (
	diagnosticStart = regexp.MustCompile(`(?m)^\s*Error: `)
	diagnosticWith  = regexp.MustCompile(`with (solarnetwork_security_token\.[a-z0-9_]+)`)
)

// check is the test case's ErrorCheck.
func (e *errorExpectation) check(err error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.armed {
		return err
	}
	e.errored = true
	text := err.Error()
	byAddr := map[string]string{}
	var unattributed []string
	for _, block := range diagnosticStart.Split(text, -1)[1:] {
		summary := strings.Join(strings.Fields(strings.SplitN(block, "\n\n", 2)[0]), " ")
		addr := ""
		if m := diagnosticWith.FindStringSubmatch(block); m != nil {
			addr = m[1]
		}
		for a, id := range e.ids {
			if addr == "" && id != "" && strings.Contains(summary, id) {
				addr = a
			}
		}
		if addr == "" {
			unattributed = append(unattributed, summary)
			continue
		}
		byAddr[addr] += summary + "; "
	}
	var problems []string
	for addr, fails := range e.failing {
		got, ok := byAddr[addr]
		switch {
		case fails && !e.summary.MatchString(got):
			problems = append(problems, fmt.Sprintf("%s: error %q, want one matching %q", addr, got, e.summary))
		case !fails && ok:
			problems = append(problems, fmt.Sprintf("%s got past its failure, but has error %q", addr, got))
		}
	}
	if len(unattributed) > 0 {
		problems = append(problems, fmt.Sprintf("errors of no resource: %q", unattributed))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("the faulted apply failed otherwise than expected:\n  %s\n\n%w", strings.Join(problems, "\n  "), err)
	}
	return nil
}
