package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// policyAllowsFunction is provider::solarnetwork::policy_allows(policy,
// request): whether SolarNetwork serves a request under a policy, judged by
// SolarNetwork's own rules (client.EvaluatePolicy).
type policyAllowsFunction struct{}

var _ function.Function = policyAllowsFunction{}

func newPolicyAllowsFunction() function.Function { return policyAllowsFunction{} }

func (policyAllowsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "policy_allows"
}

// policySimulationRules is the part of the docs the function and the data
// source share.
const policySimulationRules = "`allowed` means SolarNetwork serves the request exactly as asked. Where it would narrow or " +
	"rewrite the request instead of refusing it (a finer aggregation than `min_aggregation` is raised to it; a source ID " +
	"pattern wider than the policy's is replaced by the policy's IDs it matches) `allowed` is false as well. `denied_by` " +
	"names the policy attributes that refuse or narrow it, empty when allowed.\n\n" +
	"The rules are SolarNetwork's own: `node_ids` must hold the node; a source ID must equal a policy source ID or match " +
	"one of its patterns, and a requested pattern must equal a policy pattern or be one a policy pattern could begin with; " +
	"`min_aggregation` compares aggregation levels (`HourOfDay` is as fine as `Hour`), `aggregations` must hold the " +
	"aggregation; a node metadata path (such as `/pm/info/name`) must match one of `node_metadata_paths`; " +
	"`api_paths` entries are OR-ed, and an entry starting with `!` allows every path it does not match, so " +
	"`[\"/datum/**\", \"!/datum/list\"]` still allows `/datum/list`. Two behaviours may surprise: SolarNetwork does not " +
	"enforce location precisions, so `location_precision` is never denied; and it does not filter user metadata by " +
	"`user_metadata_paths`, it only requires a `ReadNodeData` token to have some, so `user_metadata_path` is denied " +
	"only when the token is a data token (the default `token_type`) with no `user_metadata_paths`. Matching is " +
	"case-sensitive and `/`-separated. The expiry and `refresh_allowed` are not judged."

const requestDescription = "The request, an object with any of: `node_id` (number), `source_id`, `aggregation` (a name " +
	"such as `\"Hour\"`), `location_precision`, `node_metadata_path`, `user_metadata_path`, `api_path` (relative to " +
	"`/api/v1/sec`, as `api_paths` is, such as `\"/datum/list\"`) and `token_type` (`\"User\"` or `\"ReadNodeData\"`, the " +
	"default; it matters only for `user_metadata_path`). Only what the request names is judged: to ask about " +
	"unaggregated data, name `aggregation = \"None\"`, since SolarNetwork raises a request without an aggregation to " +
	"`min_aggregation` and an `aggregations` list refuses it."

func (policyAllowsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether SolarNetwork serves a request under a token policy",
		MarkdownDescription: "Judges one request against a security token policy the way SolarNetwork does, so that a " +
			"`check` block, a `postcondition` or a `tofu test`/`terraform test` file can prove what a token can and " +
			"cannot reach. Returns `{ allowed = bool, denied_by = list(string) }`.\n\n" + policySimulationRules +
			"\n\nProvider functions need Terraform 1.8 or OpenTofu 1.7 and later; with Terraform 1.5 use the " +
			"`solarnetwork_policy_simulation` data source.",
		Parameters: []function.Parameter{
			function.DynamicParameter{
				Name: "policy",
				MarkdownDescription: "The policy: an object with the attribute names of `effective_policy`, such as " +
					"`solarnetwork_security_token.example.effective_policy` as is, or a literal with some of them. Absent " +
					"and null attributes are unset. `effective_policy` is null for a token without a policy, and a null cannot " +
					"be passed to this argument: for such a token pass `{}`, a policy that restricts nothing, or use the " +
					"`solarnetwork_policy_simulation` data source, which takes a null policy or a `token_id`.",
			},
			function.DynamicParameter{Name: "request", MarkdownDescription: requestDescription},
		},
		Return: function.ObjectReturn{AttributeTypes: decisionAttrTypes},
	}
}

func (policyAllowsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var policyArg, requestArg types.Dynamic
	resp.Error = req.Arguments.Get(ctx, &policyArg, &requestArg)
	if resp.Error != nil {
		return
	}
	policyAttrs, err := attrsOf(policyArg, "policy")
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	policy, err := policyFromAttributes(policyAttrs)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	requestAttrs, err := attrsOf(requestArg, "request")
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	request, err := requestFromAttributes(requestAttrs, "request")
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	decision, err := client.EvaluatePolicy(policy, request)
	if err != nil {
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, decisionObject(decision))
}
