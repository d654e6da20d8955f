package simulator

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestRowRewriteLosesOverlappingWrite: as in SolarNetwork, a write reads
// the row unlocked and writes the whole row back, so a write that read the
// row before another wrote it puts back what that one changed; the overlap
// is recorded.
func TestRowRewriteLosesOverlappingWrite(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{NodeIDs: []int64{1}})
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	h.sim.beforeRowWrite = func(string) {
		first := false
		once.Do(func() { first = true })
		if first { // the policy write has read the row and waits to write it
			close(held)
			<-release
		}
	}
	done := make(chan int, 1)
	go func() {
		status, _, _ := h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {tok.ID}},
			contentType: "application/json", body: `{"nodeIds":[2]}`})
		done <- status
	}()
	<-held
	status, _, body := h.do(call{method: "POST", path: tokensURL + "/info",
		query: url.Values{"tokenId": {tok.ID}, "name": {"Renamed"}}})
	expect(t, status, body, 200, `{"success":true}`)
	if got, _ := h.sim.Token(tok.ID); got.Name != "Renamed" {
		t.Fatalf("name %q after the info write", got.Name)
	}
	close(release)
	if status := <-done; status != 200 {
		t.Fatalf("policy write: %d", status)
	}
	got, _ := h.sim.Token(tok.ID)
	if got.Name != "" || got.Policy == nil || !slices.Equal(got.Policy.NodeIDs, []int64{2}) {
		t.Errorf("token %+v: want the policy write's whole row, the name lost", got)
	}
	want := []WriteOverlap{{TokenID: tok.ID, Earlier: "PUT " + tokensURL + "/policy", Later: "POST " + tokensURL + "/info"}}
	if o := h.sim.OverlappingWrites(); !slices.Equal(o, want) {
		t.Errorf("overlaps %+v, want %+v", o, want)
	}
	h.sim.ResetRequests()
	if o := h.sim.OverlappingWrites(); len(o) != 0 {
		t.Errorf("overlaps after ResetRequests: %+v", o)
	}
}

// TestRowRewriteSequentialWrites: writes one after another each keep what
// the one before wrote, and none overlaps; a write that changes nothing
// writes nothing.
func TestRowRewriteSequentialWrites(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, nil)
	writes := 0
	h.sim.beforeRowWrite = func(string) { writes++ }
	q := func(kv ...string) url.Values {
		v := url.Values{"tokenId": {tok.ID}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	form := "application/x-www-form-urlencoded"
	h.do(call{method: "POST", path: tokensURL + "/status", contentType: form, body: q("status", StatusDisabled).Encode()})
	h.do(call{method: "POST", path: tokensURL + "/info", contentType: form, body: q("name", "N", "description", "D").Encode()})
	h.do(call{method: "PATCH", path: tokensURL + "/policy", query: q(), contentType: "application/json", body: `{"nodeIds":[3]}`})
	h.do(call{method: "POST", path: tokensURL + "/status", query: q("status", StatusDisabled)})
	got, _ := h.sim.Token(tok.ID)
	if got.Status != StatusDisabled || got.Name != "N" || got.Description != "D" || got.Policy == nil || !slices.Equal(got.Policy.NodeIDs, []int64{3}) {
		t.Errorf("token %+v", got)
	}
	if writes != 3 {
		t.Errorf("%d row writes, want 3: the last status changed nothing", writes)
	}
	if o := h.sim.OverlappingWrites(); len(o) != 0 {
		t.Errorf("overlaps %+v", o)
	}
}

// TestRowRewriteFromStaleCopy: a server that still holds a copy of the token
// from before its latest write (Fault.StaleRow) writes the whole row back
// from that copy, undoing the write in between without any overlap; its
// answer shows the row it wrote.
func TestRowRewriteFromStaleCopy(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{NodeIDs: []int64{1}})
	status, _, body := h.do(call{method: "POST", path: tokensURL + "/status",
		query: url.Values{"tokenId": {tok.ID}, "status": {StatusDisabled}}})
	expect(t, status, body, 200, `{"success":true}`)

	h.sim.InjectFault(Fault{Method: "PUT", Path: "/policy", StaleRow: 1})
	status, _, body = h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {tok.ID}},
		contentType: "application/json", body: `{"nodeIds":[2]}`})
	if status != 200 || !strings.Contains(body, `"status":"Active"`) || !strings.Contains(body, `"nodeIds":[2]`) {
		t.Fatalf("policy write from a stale copy: %d %s", status, body)
	}
	got, _ := h.sim.Token(tok.ID)
	if got.Status != StatusActive || !slices.Equal(got.Policy.NodeIDs, []int64{2}) {
		t.Errorf("token %+v: want the stale copy's status with the new policy", got)
	}
	if o := h.sim.OverlappingWrites(); len(o) != 0 {
		t.Errorf("overlaps %+v: the writes were one after another", o)
	}

	// The fault used up, the next write reads the row as it is.
	status, _, body = h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {tok.ID}},
		contentType: "application/json", body: `{"nodeIds":[3]}`})
	if status != 200 || !strings.Contains(body, `"status":"Active"`) || !strings.Contains(body, `"nodeIds":[3]`) {
		t.Errorf("next write: %d %s", status, body)
	}
}

// TestRowRewriteSetOrder: DaoUserBiz writes a policy only when it is not
// equal to the stored one, and BasicSecurityPolicy's sets compare as sets:
// a policy that differs only in the order of its values writes nothing,
// and the answer shows the stored order.
func TestRowRewriteSetOrder(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{SourceIDs: []string{"/a/**", "/b/**"}, APIPaths: []string{"/x", "/y"}})
	writes := 0
	h.sim.beforeRowWrite = func(string) { writes++ }
	status, _, body := h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {tok.ID}},
		contentType: "application/json", body: `{"sourceIds":["/b/**","/a/**"],"apiPaths":["/y","/x"]}`})
	if status != 200 || !strings.Contains(body, `"sourceIds":["/a/**","/b/**"]`) || !strings.Contains(body, `"apiPaths":["/x","/y"]`) {
		t.Errorf("answer %d %s, want the stored order", status, body)
	}
	if writes != 0 {
		t.Errorf("%d row writes, want none", writes)
	}
	status, _, body = h.do(call{method: "PUT", path: tokensURL + "/policy", query: url.Values{"tokenId": {tok.ID}},
		contentType: "application/json", body: `{"sourceIds":["/b/**"],"apiPaths":["/y","/x"]}`})
	if status != 200 || !strings.Contains(body, `"sourceIds":["/b/**"]`) || writes != 1 {
		t.Errorf("a real change: %d %s, %d writes", status, body, writes)
	}
}
