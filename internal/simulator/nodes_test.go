package simulator

import "testing"

const nodesURL = "/solaruser/api/v1/sec/nodes"

// The account's nodes come in two lists, shaped as NodesController answers
// (solarnetwork-api.md §13): active ones in a filter-results page, archived
// ones as a bare array.
func TestListNodes(t *testing.T) {
	h := newHarness(t, Options{NodeIDs: []int64{7, 3}, ArchivedNodeIDs: []int64{9}, OtherNodeIDs: []int64{500}})
	created := `"created":"2025-09-29 03:52:13.248687Z","userId":123,"requiresAuthorization":false`
	status, _, body := h.do(call{method: "GET", path: nodesURL})
	expect(t, status, body, 200, `{"success":true,"data":{"totalResults":2,"startingOffset":0,"returnedResultCount":2,"results":[`+
		`{"id":3,`+created+`},{"id":7,`+created+`}]}}`)
	status, _, body = h.do(call{method: "GET", path: nodesURL + "/"})
	if status != 200 {
		t.Errorf("trailing slash: %d %s", status, body)
	}
	status, _, body = h.do(call{method: "GET", path: nodesURL + "/archived"})
	expect(t, status, body, 200, `{"success":true,"data":[{"id":9,`+created+`}]}`)

	// A restricted token sees only the nodes its policy names.
	restricted := Token{ID: "restrictedTokenID000", Type: TypeUser, Secret: "s", Policy: &Policy{NodeIDs: []int64{7, 9}}}
	h.putToken(restricted)
	status, _, body = h.do(call{method: "GET", path: nodesURL, sp: h.as(restricted)})
	if status != 200 || body != `{"success":true,"data":{"totalResults":1,"startingOffset":0,"returnedResultCount":1,"results":[{"id":7,`+created+`}]}}` {
		t.Errorf("restricted list: %d %s", status, body)
	}

	// No archived node: an empty array, not a missing one.
	h = newHarness(t, Options{NodeIDs: []int64{1}})
	status, _, body = h.do(call{method: "GET", path: nodesURL + "/archived"})
	expect(t, status, body, 200, `{"success":true,"data":[]}`)
	status, _, _ = h.do(call{method: "POST", path: nodesURL})
	if status != 405 {
		t.Errorf("POST /nodes: %d, want 405", status)
	}
}

// Generate checks that the account owns a node, not that it is active
// (DaoUserBiz.generateUserAuthToken reads the node with userNodeDao.get,
// which does not filter archived ones).
func TestGenerateAcceptsArchivedNode(t *testing.T) {
	h := newHarness(t, Options{NodeIDs: []int64{1}, ArchivedNodeIDs: []int64{9}})
	status, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json", body: `{"nodeIds":[1,9]}`})
	if status != 200 {
		t.Errorf("archived node refused: %d %s", status, body)
	}
	status, _, body = h.do(call{method: "POST", path: tokensURL + "/generate/ReadNodeData", contentType: "application/json", body: `{"nodeIds":[10]}`})
	expect(t, status, body, 403, `{"success":false,"message":"UNKNOWN_OBJECT"}`)
}
