package client

import (
	"fmt"
	"strings"
	"testing"
)

// A kind added to PolicyFieldKind without a row in policyKinds fails here,
// and every field's Go type is the one its kind works on.
func TestEveryKindHasBehaviour(t *testing.T) {
	for _, k := range PolicyFieldKinds() {
		if policyKinds[k] == nil {
			t.Errorf("kind %d has no row in policyKinds", k)
		}
	}
	for _, f := range PolicyFields() {
		if !f.Kind.behaviour().holds(f) {
			t.Errorf("%s is kind %d, whose Go type its field does not have", f.JSON, f.Kind)
		}
	}
}

// A field of a kind nothing knows is not silently dropped from the JSON,
// equality or emptiness: every use stops with the kind's number.
func TestUnknownKindPanics(t *testing.T) {
	f := PolicyField{JSON: "future", Kind: kindCount, ptr: func(p *SecurityPolicy) any { return &p.NodeIDs }}
	for name, use := range map[string]func(){
		"IsSet":   func() { f.IsSet(&SecurityPolicy{}) },
		"EqualIn": func() { f.EqualIn(&SecurityPolicy{}, &SecurityPolicy{}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, fmt.Sprintf("kind %d has no behaviour", kindCount)) {
					t.Errorf("recovered %q", msg)
				}
			}()
			use()
		})
	}
}
