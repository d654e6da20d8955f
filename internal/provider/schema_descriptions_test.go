package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// describable is what every schema, attribute and block of the framework has.
type describable interface {
	GetDescription() string
	GetMarkdownDescription() string
}

// Every schema, attribute and block has a Markdown description, which is
// what registries, language servers and tfplugindocs show.
func TestEverySchemaElementHasAMarkdownDescription(t *testing.T) {
	var pr provider.SchemaResponse
	(&solarNetworkProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &pr)
	check := func(where string, d describable) {
		if d.GetMarkdownDescription() == "" {
			t.Errorf("%s has no MarkdownDescription (Description %q)", where, d.GetDescription())
		}
	}
	check("provider", pr.Schema)
	for name, a := range pr.Schema.Attributes {
		check("provider."+name, a)
	}
	r := tokenResourceSchema()
	check("resource", r)
	for name, a := range r.Attributes {
		check("resource."+name, a)
	}
	for name, b := range r.Blocks {
		check("resource."+name, b)
		for inner, a := range b.GetNestedObject().GetAttributes() {
			check("resource."+name+"."+inner, a)
		}
	}
	for name, a := range resourcePolicyAttributes(true) {
		check("resource.effective_policy."+name, a)
	}
	e := tokenEphemeralSchema()
	check("ephemeral resource", e)
	for name, a := range e.Attributes {
		check("ephemeral."+name, a)
	}
	for name, b := range e.Blocks {
		check("ephemeral."+name, b)
		for inner, a := range b.GetNestedObject().GetAttributes() {
			check("ephemeral."+name+"."+inner, a)
		}
	}
	for label, s := range map[string]interface {
		describable
	}{"data source solarnetwork_security_token": tokenDataSourceSchema(), "data source solarnetwork_security_tokens": tokensDataSourceSchema()} {
		check(label, s)
	}
	for name, a := range tokenDataSourceSchema().Attributes {
		check("data source token."+name, a)
	}
	for name, a := range tokensDataSourceSchema().Attributes {
		check("data source tokens."+name, a)
	}
	for name, a := range dataSourcePolicyAttributes() {
		check("data source policy."+name, a)
	}
}

// An attribute a block requires when present is optional in the schema
// (the framework would require the block otherwise) and says "Required."
// first; the generated docs list it under the block's "Required:", and only
// such attributes.
func TestDocsListBlockRequiredAttributesAsRequired(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "resources", "security_token.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for name, b := range tokenResourceSchema().Blocks {
		start := strings.Index(doc, "### Nested Schema for `"+name+"`")
		if start < 0 {
			t.Errorf("the docs have no nested schema for %s", name)
			continue
		}
		section := doc[start:]
		if end := strings.Index(section[1:], "<a id="); end >= 0 {
			section = section[:end+1]
		}
		var required string
		if _, after, ok := strings.Cut(section, "\nRequired:\n"); ok {
			required, _, _ = strings.Cut(after, "\nOptional:\n")
		}
		for inner, a := range b.GetNestedObject().GetAttributes() {
			wantRequired := strings.HasPrefix(a.GetMarkdownDescription(), "Required.")
			if listed := strings.Contains(required, "- `"+inner+"` "); listed != wantRequired {
				t.Errorf("%s.%s: under Required: %v, want %v", name, inner, listed, wantRequired)
			}
		}
	}
}
