package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func TestListNodes(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{NodeIDs: []int64{5, 2}, ArchivedNodeIDs: []int64{9}}, nil)
	nodes, err := env.client.ListNodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, n := range nodes {
		ids = append(ids, n.ID)
		if n.Archived != (n.ID == 9) || n.Created.IsZero() {
			t.Errorf("node %+v", n)
		}
	}
	if !slices.Equal(ids, []int64{2, 5, 9}) {
		t.Errorf("nodes %v, want active 2, 5 then archived 9", ids)
	}
}

// SolarNetwork's UserNode also carries a name, a description and the
// privacy flag; the simulator's nodes have none of them set.
func TestListNodesFields(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: "/nodes", Status: http.StatusOK,
		Body: `{"success":true,"data":{"totalResults":1,"startingOffset":0,"returnedResultCount":1,"results":[` +
			`{"id":100,"created":"2019-03-01 10:00:00.5Z","userId":123,"name":"Roof","description":"North array","requiresAuthorization":true,` +
			`"user":{"id":123},"node":{"id":100}}]}}`})
	nodes, err := env.client.ListNodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || nodes[0].ID != 100 || nodes[0].Name != "Roof" || nodes[0].Description != "North array" || !nodes[0].Private ||
		nodes[0].Archived || nodes[0].Created.Format("2006-01-02T15:04:05.000Z") != "2019-03-01T10:00:00.500Z" {
		t.Errorf("nodes %+v", nodes)
	}
}

// An answer without the list is refused rather than read as an account
// without nodes: every node of a policy would then look foreign.
func TestListNodesRefusesMissingList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ path, body string }{
		{"/nodes", `{"success":true,"data":{"totalResults":0}}`},
		{"/nodes/archived", `{"success":true}`},
		{"/nodes/archived", `{"success":true,"data":[{"created":"2019-03-01 10:00:00Z"}]}`},
	} {
		env := newEnv(t, simulator.Options{}, nil)
		env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: tc.path, Status: http.StatusOK, Body: tc.body})
		_, err := env.client.ListNodes(context.Background())
		var unreadable *UnreadableResponseError
		if !errors.As(err, &unreadable) {
			t.Errorf("%s %s: %v, want an unreadable answer", tc.path, tc.body, err)
		}
	}
}

// One read per list, shared by every caller, failures included.
func TestNodeListReadsOnce(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{NodeIDs: []int64{1, 2}, ArchivedNodeIDs: []int64{3}}, nil)
	list := NewNodeList(env.client)
	for range 3 {
		foreign, err := list.NotOwned(context.Background(), []int64{1, 3, 4})
		if err != nil || !slices.Equal(foreign, []int64{4}) {
			t.Fatalf("NotOwned: %v %v, want [4] (an archived node is the account's)", foreign, err)
		}
	}
	if n := len(env.sim.Requests()); n != 2 {
		t.Errorf("%d requests, want the two lists once", n)
	}

	env = newEnv(t, simulator.Options{}, func(c *Config) { c.MaxRetries = intPtr(0) })
	env.sim.InjectFault(simulator.Fault{Method: http.MethodGet, Path: "/nodes", Status: http.StatusInternalServerError})
	list = NewNodeList(env.client)
	for range 2 {
		if _, err := list.Nodes(context.Background()); err == nil {
			t.Fatal("a failed read succeeded")
		}
	}
	if n := len(env.sim.Requests()); n != 1 {
		t.Errorf("%d requests, want the failure shared", n)
	}
}
