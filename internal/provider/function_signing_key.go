package provider

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// signingKeyFunction is provider::solarnetwork::signing_key(secret, date): the
// SNWS2 signing key of a token secret for one UTC date. A device or dashboard
// given the key instead of the secret can sign requests for seven days, and
// longer by refreshing it unless the token's policy sets refreshAllowed false.
type signingKeyFunction struct{}

var _ function.Function = signingKeyFunction{}

func newSigningKeyFunction() function.Function { return signingKeyFunction{} }

func (signingKeyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "signing_key"
}

func (signingKeyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The SNWS2 signing key of a token secret for one UTC date",
		MarkdownDescription: "Derives the SNWS2 signing key (64 lower-case hexadecimal characters) from a security " +
			"token's secret for a UTC date. SolarNetwork accepts requests signed with it that are dated that day or " +
			"one of the six days after.\n\n" +
			"Whether a dashboard or device given the key instead of the secret loses access within a week depends " +
			"on the token's `refresh_allowed`. With `refresh_allowed = false` it does, unless a later apply hands it " +
			"a new key. Unset or `true`, SolarNetwork lets the key's holder fetch a key for a later date itself from " +
			"SolarQuery's `/auth-tokens/refresh/v2`, signed with the key it holds, again and again for as long as the " +
			"token is active and unexpired: the key then gives lasting access, as the secret does.\n\n" +
			"The result is a credential: treat it as a secret. Terraform and OpenTofu mark the result sensitive when " +
			"the `secret` argument is sensitive, as the `secret` attribute of `solarnetwork_security_token` is; wrap " +
			"a secret that is not in `sensitive()`. Provider functions need Terraform 1.8 or OpenTofu 1.7 and later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "secret",
				MarkdownDescription: "The token's secret, such as `solarnetwork_security_token.example.secret`. " +
					"Function parameters cannot be declared sensitive: pass a sensitive value so that the result is too.",
			},
			function.StringParameter{
				Name: "date",
				MarkdownDescription: "The UTC date the key is for, such as `\"2026-11-28\"`, or an RFC 3339 timestamp " +
					"such as `plantimestamp()` or `\"2026-11-28T09:30:00+13:00\"`, of which the UTC date is used.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (signingKeyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var secret, date string
	resp.Error = req.Arguments.Get(ctx, &secret, &date)
	if resp.Error != nil {
		return
	}
	if secret == "" {
		resp.Error = function.NewArgumentFuncError(0, "secret must not be empty: pass the token's secret")
		return
	}
	day, err := signingDate(date)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, hex.EncodeToString(client.SigningKey(secret, day)))
}

// signingDate reads a date or an RFC 3339 timestamp. Only the UTC day
// matters; a local date-time without an offset is refused because its day
// would depend on a zone the function cannot know.
func signingDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("date %q is neither a date such as \"2026-11-28\" nor an RFC 3339 timestamp "+
		"with an offset such as \"2026-11-28T09:30:00Z\"", s)
}
