package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// The safety invariant, checked against the simulator's real token list
// rather than against what the provider says:
//   - every token the provider created is in state with its secret, or is
//     deleted: no token that is not foreign is missing from state;
//   - no token the provider did not create is deleted: every foreign token
//     survives;
//   - no resource is in state unless its token really exists;
//   - every secret in state is the token's real secret: it signs a request
//     that SolarNetwork's security filter accepts.
type safetyInvariant struct {
	sim *simulator.Simulator
	// url is where the provider reaches sim, when not sim.URL().
	url string
	// foreign are tokens made outside Terraform; they must survive.
	foreign []string
	// imported, when true, allows resources without a secret in state.
	imported bool
}

// foreignTokens makes tokens outside Terraform that look as much as
// possible like the ones the provider makes: both types, the same policies,
// and one with an expiry within the hour, as a generate's marker has.
func foreignTokens(sim *simulator.Simulator) []string {
	soon := time.Now().Add(30 * time.Minute)
	refresh := true
	var ids []string
	for _, p := range []simulator.Policy{
		{NodeIDs: []int64{1}, SourceIDs: []string{"/m/**"}},
		{NodeIDs: []int64{1}, SourceIDs: []string{"/m/**"}, NotAfter: &soon},
	} {
		ids = append(ids, sim.CreateToken(simulator.TypeReadNodeData, &p).ID)
	}
	for _, p := range []simulator.Policy{
		{RefreshAllowed: &refresh},
		{RefreshAllowed: &refresh, NotAfter: &soon},
	} {
		ids = append(ids, sim.CreateToken(simulator.TypeUser, &p).ID)
	}
	return ids
}

// stateTokens returns the token ID and secret of every token resource in
// state, by resource address.
func stateTokens(s *terraform.State) map[string][2]string {
	out := map[string][2]string{}
	if s == nil || s.RootModule() == nil {
		return out
	}
	for addr, rs := range s.RootModule().Resources {
		if rs.Type != "solarnetwork_security_token" || rs.Primary == nil {
			continue
		}
		out[addr] = [2]string{rs.Primary.ID, rs.Primary.Attributes["secret"]}
	}
	return out
}

// check verifies the invariant for state s.
func (inv safetyInvariant) check(s *terraform.State) error {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	admin, _ := inv.sim.AdminCredentials()
	held := map[string]simulator.Token{}
	for _, tok := range inv.sim.Tokens() {
		held[tok.ID] = tok
	}
	inState := map[string]string{} // token id -> address
	for addr, v := range stateTokens(s) {
		id, secret := v[0], v[1]
		if other, dup := inState[id]; dup {
			fail("token %s is in state twice, as %s and %s", id, other, addr)
		}
		inState[id] = addr
		tok, ok := held[id]
		switch {
		case !ok:
			fail("%s is in state, but its token %s does not exist", addr, id)
		case slices.Contains(inv.foreign, id):
			fail("%s holds token %s, which was made outside Terraform", addr, id)
		case secret == "" && !inv.imported:
			fail("%s (token %s) has no secret in state: it is lost", addr, id)
		case secret != "":
			if err := secretWorks(inv.apiURL(), tok, secret); err != nil {
				fail("%s: the secret in state for token %s does not work: %v", addr, id, err)
			}
		}
	}
	for id, tok := range held {
		if id == admin || slices.Contains(inv.foreign, id) {
			continue
		}
		if _, ok := inState[id]; !ok {
			fail("token %s (%s, policy %s) exists but is in no resource's state: an orphan", id, tok.Type, policyJSON(tok.Policy))
		}
	}
	for _, id := range inv.foreign {
		if _, ok := held[id]; !ok {
			fail("token %s, made outside Terraform, was deleted", id)
		}
	}
	if _, ok := held[admin]; !ok {
		fail("the provider's own token %s was deleted", admin)
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("safety invariant broken:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// afterDestroy verifies that after destroy only the provider's own token
// and the foreign ones are left.
func (inv safetyInvariant) afterDestroy(*terraform.State) error {
	return inv.check(nil)
}

func (inv safetyInvariant) apiURL() string {
	if inv.url != "" {
		return inv.url
	}
	return inv.sim.URL()
}

// secretWorks checks that secret is tok's secret, and signs a request with
// it when the token can still authenticate (Active, not expired, not
// limited by api_paths). SolarNetwork's security filter checks the
// signature before the role: a ReadNodeData token is then refused SolarUser
// with "Access Denied", which still proves the secret.
func secretWorks(url string, tok simulator.Token, secret string) error {
	if secret != tok.Secret {
		return fmt.Errorf("it is not the token's secret")
	}
	if tok.Status != simulator.StatusActive || tok.Policy.Expired(time.Now().Add(time.Minute)) || (tok.Policy != nil && len(tok.Policy.APIPaths) > 0) {
		return nil
	}
	none := 0
	c, err := client.New(client.Config{URL: url, Token: tok.ID, Secret: secret, MaxRetries: &none})
	if err != nil {
		return err
	}
	id, err := c.WhoAmI(context.Background())
	switch {
	case err == nil && id.Token == tok.ID:
		return nil
	case err == nil:
		return fmt.Errorf("whoami answered for %s", id.Token)
	case tok.Type == simulator.TypeReadNodeData && client.IsRoleDenied(err):
		return nil
	default:
		return fmt.Errorf("a request signed with it: %w", err)
	}
}

func policyJSON(p *simulator.Policy) string {
	if p == nil {
		return "null"
	}
	data, err := p.MarshalJSON()
	if err != nil {
		return err.Error()
	}
	return string(data)
}

// words matches text in a CLI error, where the CLI may wrap a line at any
// space.
func words(text string) *regexp.Regexp {
	parts := strings.Fields(text)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}
