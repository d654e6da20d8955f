package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// guardedModel is what the guardrails look at in a planned or read token;
// planned is its effective policy (nil: unrestricted), rotation its
// rotation block parsed (nil: none, or not known), created the instant its
// lifetime counts from.
func guardedModel(m *tokenModel, planned *client.SecurityPolicy, rotation *rotationSettings, created time.Time) guardedToken {
	t := guardedToken{tokenType: m.Type.ValueString(), created: created}
	if planned != nil {
		t.apiPaths = len(planned.APIPaths) > 0
		t.expiry = planned.NotAfter
	}
	if rotation != nil {
		t.lifetime = &rotation.lifetime
	}
	return t
}

// planGuardrails checks a new token, or a change to what a rule is about
// (type, expiry, rotation, api_paths), against the provider's guardrails.
// A token left as it is, even one that breaks a rule, is not refused here:
// Read reports it.
func (r *tokenResource) planGuardrails(in *tokenPlanInputs, planned *client.SecurityPolicy, diags *diag.Diagnostics) {
	if r.guardrails == nil {
		return
	}
	prior, plan, created := in.prior, in.plan, in.now
	if prior != nil {
		before := guardedModel(prior, in.priorPolicy, in.priorRotation, time.Time{})
		after := guardedModel(plan, planned, in.rotation, time.Time{})
		sameExpiry := sameDuration(before.lifetime, after.lifetime) && (after.lifetime != nil || sameInstant(before.expiry, after.expiry))
		if before.tokenType == after.tokenType && before.apiPaths == after.apiPaths && sameExpiry {
			return
		}
		if c, err := time.Parse(time.RFC3339Nano, prior.Created.ValueString()); err == nil {
			created = c
		}
	}
	subject := "The new token"
	if prior != nil {
		subject = "Token " + prior.tokenLabel()
	} else if name := plan.Name.ValueString(); name != "" {
		subject += " " + strconv.Quote(name)
	}
	r.guardrails.report(r.guardrails.check(guardedModel(plan, planned, in.rotation, created)), subject, true, diags)
}

// readGuardrails warns about a token in state that breaks a rule.
func (r *tokenResource) readGuardrails(ctx context.Context, state *tokenModel, rotation *rotationSettings, diags *diag.Diagnostics) {
	if r.guardrails == nil {
		return
	}
	created, err := time.Parse(time.RFC3339Nano, state.Created.ValueString())
	if err != nil {
		return
	}
	policy, _ := state.effective(ctx)
	r.guardrails.report(r.guardrails.check(guardedModel(state, policy, rotation, created)), "Token "+state.tokenLabel(), false, diags)
}

func sameInstant(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

func sameDuration(a, b *time.Duration) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// ephemeralBreaches files breaches under the ephemeral resource's own
// attributes: its expiry is expires_in.
func ephemeralBreaches(breaches []guardrailBreach) []guardrailBreach {
	for i := range breaches {
		if breaches[i].attr.Equal(pathExpirationDate) {
			breaches[i].attr = path.Root("expires_in")
			breaches[i].detail = strings.Replace(breaches[i].detail, "Set an earlier expiration_date, or use a rotation block.", "Set a shorter expires_in.", 1)
		}
	}
	return breaches
}
