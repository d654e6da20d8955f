package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// A kind the client adds without a row in the provider's policyKinds fails
// here, not as a field silently missing from every schema.
func TestEveryKindHasProviderBehaviour(t *testing.T) {
	for _, k := range client.PolicyFieldKinds() {
		if _, ok := policyKinds[k]; !ok {
			t.Errorf("client kind %d has no row in policyKinds", k)
		}
	}
	if len(policyKinds) != len(client.PolicyFieldKinds()) {
		t.Errorf("policyKinds has %d rows for %d kinds", len(policyKinds), len(client.PolicyFieldKinds()))
	}
	unknown := client.PolicyFieldKind(len(client.PolicyFieldKinds()))
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, fmt.Sprintf("kind %d has no behaviour", unknown)) {
			t.Errorf("kindFor(%d) recovered %q", unknown, msg)
		}
	}()
	kindFor(unknown)
}

// Every min level that hides a list refuses a merge configuring that list
// while the token has the level, naming both attributes.
func TestCheckHiddenListsReadsTheTable(t *testing.T) {
	pairs := 0
	for _, level := range client.PolicyFields() {
		list, ok := client.PolicyFieldNamed(level.Hides)
		if !ok {
			continue
		}
		pairs++
		desired, planned := &client.SecurityPolicy{}, &client.SecurityPolicy{}
		*client.FieldOf[[]string](list, desired) = []string{"x"}
		*client.FieldOf[string](level, planned) = "Coarse"
		var diags diag.Diagnostics
		checkHiddenLists(desired, planned, &diags)
		levelName, listName := attributeName(level.JSON), attributeName(list.JSON)
		if len(diags) != 1 {
			t.Fatalf("%s hiding %s: %v", attributeName(level.JSON), attributeName(list.JSON), diags)
		}
		if diags[0].Summary() != "Conflicts with "+levelName+" on the token" ||
			!strings.Contains(diags[0].Detail(), levelName+` = "Coarse"`) || !strings.Contains(diags[0].Detail(), "explicit "+listName+" list") {
			t.Errorf("%s hiding %s: %v", levelName, listName, diags)
		}
		if p, ok := diags[0].(diag.DiagnosticWithPath); !ok || p.Path().String() != "policy."+listName {
			t.Errorf("%s: diagnostic not on policy.%s: %v", levelName, listName, diags[0])
		}
		diags = nil
		checkHiddenLists(desired, &client.SecurityPolicy{}, &diags)
		if diags.HasError() {
			t.Errorf("%s unset on the token, but refused: %v", levelName, diags)
		}
	}
	if pairs != 2 {
		t.Errorf("%d min levels hide a list, want 2 (aggregations, location precisions)", pairs)
	}
}
