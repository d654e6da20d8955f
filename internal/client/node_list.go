package client

import (
	"context"
	"sync"
)

// NodeList reads the account's nodes once and shares them: one unit of work
// (a Terraform run) judges every policy against the same list. A failure
// is shared too, so it costs one read, not one per policy.
type NodeList struct {
	client *Client

	mu     sync.Mutex // held while loading, so concurrent readers share one read
	loaded bool
	nodes  []Node
	err    error
}

// NewNodeList returns a list reading through c.
func NewNodeList(c *Client) *NodeList {
	return &NodeList{client: c}
}

// Nodes returns the account's nodes, active and archived, reading them on
// first use.
func (l *NodeList) Nodes(ctx context.Context) ([]Node, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.loaded {
		nodes, err := l.client.ListNodes(ctx)
		if err != nil && ctx.Err() != nil {
			return nil, err // a cancelled caller says nothing about the list
		}
		l.nodes, l.err, l.loaded = nodes, err, true
	}
	if l.err != nil {
		return nil, l.err
	}
	return append([]Node(nil), l.nodes...), nil
}

// NotOwned returns which of ids are not nodes of the account (archived nodes
// count as the account's, as SolarNetwork's generate accepts them).
func (l *NodeList) NotOwned(ctx context.Context, ids []int64) ([]int64, error) {
	nodes, err := l.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	owned := make(map[int64]bool, len(nodes))
	for _, n := range nodes {
		owned[n.ID] = true
	}
	var out []int64
	for _, id := range ids {
		if !owned[id] {
			out = append(out, id)
		}
	}
	return out, nil
}
