package provider

import (
	"context"
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
