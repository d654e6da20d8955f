package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// nodesPath is SolarUser's listing of the account's nodes (NodesController).
const nodesPath = "/solaruser/api/v1/sec/nodes"

// Node is one node of the caller's account, as SolarUser lists it.
type Node struct {
	ID int64
	// Created is when the node joined the account.
	Created     time.Time
	Name        string
	Description string
	// Private is SolarNetwork's requiresAuthorization: the node's data can
	// only be read with a token.
	Private bool
	// Archived nodes are hidden in SolarNetwork's lists, yet a new token
	// may still name them.
	Archived bool
}

type nodeJSON struct {
	ID                    *int64 `json:"id"`
	Created               string `json:"created"`
	Name                  string `json:"name"`
	Description           string `json:"description"`
	RequiresAuthorization bool   `json:"requiresAuthorization"`
}

// ListNodes returns the account's nodes, active ones first, then the
// archived ones: two requests, since SolarNetwork lists them apart.
func (c *Client) ListNodes(ctx context.Context) ([]Node, error) {
	var page struct {
		Results json.RawMessage `json:"results"`
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: nodesPath, idempotent: true}, &page); err != nil {
		return nil, err
	}
	active, err := decodeNodes(nodesPath, page.Results, false)
	if err != nil {
		return nil, err
	}
	var data json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: nodesPath + "/archived", idempotent: true}, &data); err != nil {
		return nil, err
	}
	archived, err := decodeNodes(nodesPath+"/archived", data, true)
	if err != nil {
		return nil, err
	}
	return append(active, archived...), nil
}

// decodeNodes reads a JSON array of nodes. A missing array is refused: it
// would read as an account without nodes.
func decodeNodes(path string, data json.RawMessage, archived bool) ([]Node, error) {
	unreadable := func(reason string) error {
		return &UnreadableResponseError{Method: http.MethodGet, Path: path, StatusCode: http.StatusOK, ContentType: "application/json",
			Reason: reason, Excerpt: bodyExcerpt(data, "application/json")}
	}
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '[' {
		return nil, unreadable("the answer has no list of nodes (missing, null or not an array)")
	}
	var list []nodeJSON
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, unreadable("the node list does not have the expected shape: " + err.Error())
	}
	nodes := make([]Node, 0, len(list))
	for _, n := range list {
		if n.ID == nil {
			return nil, unreadable("a node has no id")
		}
		created, err := ParseCreated(n.Created)
		if err != nil {
			return nil, unreadable(err.Error())
		}
		nodes = append(nodes, Node{ID: *n.ID, Created: created, Name: n.Name, Description: n.Description,
			Private: n.RequiresAuthorization, Archived: archived})
	}
	return nodes, nil
}
