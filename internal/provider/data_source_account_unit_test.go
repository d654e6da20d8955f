package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// unitClient is a client of a new simulator of these options, with the
// simulator's admin credentials and no retries.
func unitClient(t *testing.T, opts simulator.Options) (*client.Client, *simulator.Simulator) {
	t.Helper()
	sim := simulator.New(opts)
	u := sim.Start()
	t.Cleanup(sim.Close)
	id, secret := sim.AdminCredentials()
	retries := 0
	c, err := client.New(client.Config{URL: u, Token: id, Secret: secret, Now: opts.Now, After: passedNow, MaxRetries: &retries})
	if err != nil {
		t.Fatal(err)
	}
	return c, sim
}

func int64SetOf(s types.Set) []int64 {
	var out []int64
	for _, v := range elementsOf[types.Int64](s) {
		out = append(out, v.ValueInt64())
	}
	slices.Sort(out)
	return out
}

// solarnetwork_nodes lists the account's nodes in ID order, active and
// archived apart, with SolarNetwork's absent names as null; a failed list
// is an error.
func TestNodesDataSourceUnit(t *testing.T) {
	now := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	c, _ := unitClient(t, simulator.Options{NodeIDs: []int64{5, 3}, ArchivedNodeIDs: []int64{9}, Now: func() time.Time { return now }})
	d := &nodesDataSource{nodes: client.NewNodeList(c)}
	empty := nodesDataSourceModel{IDs: types.SetNull(types.Int64Type), ArchivedIDs: types.SetNull(types.Int64Type)}
	got, errs := readDataSource(t, d, empty)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ids, archived := int64SetOf(got.IDs), int64SetOf(got.ArchivedIDs); !slices.Equal(ids, []int64{3, 5}) || !slices.Equal(archived, []int64{9}) {
		t.Errorf("ids %v archived_ids %v, want [3 5] [9]", ids, archived)
	}
	var listed []string
	for _, n := range got.Nodes {
		listed = append(listed, n.ID.String()+" "+n.Archived.String())
		if !n.Name.IsNull() || !n.Description.IsNull() || n.Private.ValueBool() || n.Created.ValueString() != expiration.FormatCreated(now) {
			t.Errorf("node %v: %+v", n.ID, n)
		}
	}
	if want := []string{"3 false", "5 false", "9 true"}; !slices.Equal(listed, want) {
		t.Errorf("nodes %q, want %q", listed, want)
	}

	failing, failingSim := unitClient(t, simulator.Options{})
	failingSim.InjectFault(simulator.Fault{Method: "GET", Path: "/nodes", Status: 500, Times: -1})
	if _, errs := readDataSource(t, &nodesDataSource{nodes: client.NewNodeList(failing)}, empty); len(errs) != 1 ||
		errs[0] != "Could not list the account's nodes" {
		t.Errorf("errors %q", errs)
	}
}

// solarnetwork_caller is the token the provider signs with, its type and
// its owner, from whoami; a refused whoami is an error.
func TestCallerDataSourceUnit(t *testing.T) {
	c, sim := unitClient(t, simulator.Options{UserID: 456})
	d := &callerDataSource{store: client.NewTokenStore(c)}
	empty := callerDataSourceModel{TokenID: types.StringNull(), Type: types.StringNull(), UserID: types.Int64Null()}
	got, errs := readDataSource(t, d, empty)
	admin, _ := sim.AdminCredentials()
	if len(errs) > 0 || got.TokenID.ValueString() != admin || got.Type.ValueString() != client.TokenTypeUser || got.UserID.ValueInt64() != 456 {
		t.Errorf("caller %+v %v, want %s User 456", got, errs, admin)
	}

	sim.InjectFault(simulator.Fault{Method: "GET", Path: "/whoami", Status: 403, Times: -1})
	if _, errs := readDataSource(t, d, empty); len(errs) != 1 || !strings.HasPrefix(errs[0], "Could not ask SolarNetwork who the provider's credentials are") {
		t.Errorf("errors %q", errs)
	}
}
