package simulator

import (
	"net/http"
	"slices"
)

// nodesPath is SolarUser's node listing (NodesController), under
// userContext + secPrefix (solarnetwork-api.md §13).
const nodesPath = "/nodes"

// nodeJSON is the part of a UserNode the simulator knows: the node ID, when
// it joined the account, its owner and its privacy flag. Name and
// description are left out, as SolarNetwork leaves out nulls.
type nodeJSON struct {
	ID                    int64  `json:"id"`
	Created               string `json:"created"`
	UserID                int64  `json:"userId"`
	RequiresAuthorization bool   `json:"requiresAuthorization"`
}

// nodeResults is the FilterResults page getMyNodes answers with.
type nodeResults struct {
	TotalResults        int        `json:"totalResults"`
	StartingOffset      int        `json:"startingOffset"`
	ReturnedResultCount int        `json:"returnedResultCount"`
	Results             []nodeJSON `json:"results"`
}

// listNodes answers GET /nodes: the account's nodes that are not archived.
func (s *Simulator) listNodes(w http.ResponseWriter, q *apiRequest) {
	nodes := s.userNodes(q, false)
	writeOK(w, nodeResults{TotalResults: len(nodes), ReturnedResultCount: len(nodes), Results: nodes})
}

// listArchivedNodes answers GET /nodes/archived with a bare array.
func (s *Simulator) listArchivedNodes(w http.ResponseWriter, q *apiRequest) {
	writeOK(w, s.userNodes(q, true))
}

// userNodes returns the account's nodes that are (or are not) archived, in
// ID order (the simulator creates them all at once). A caller whose policy
// names nodes sees only those (NodesControllerWebTests
// *_policyOverlapReturnedWithRestrictedToken).
func (s *Simulator) userNodes(q *apiRequest, archived bool) []nodeJSON {
	var allowed []int64
	if p := q.caller().Policy; p != nil {
		allowed = p.NodeIDs
	}
	out := []nodeJSON{}
	for _, id := range s.ownedNodes {
		if s.archivedNodes[id] != archived || (len(allowed) > 0 && !slices.Contains(allowed, id)) {
			continue
		}
		out = append(out, nodeJSON{ID: id, Created: formatCreated(s.nodesCreated), UserID: s.userID, RequiresAuthorization: false})
	}
	return out
}
