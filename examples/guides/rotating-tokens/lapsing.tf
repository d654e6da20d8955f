# Tokens that Terraform does not rotate (made by hand, or by another
# configuration) lapse silently. Fail the checks of every plan, in CI for
# example, two weeks before any of them expires.
data "solarnetwork_security_tokens" "lapsing" {
  expires_within = "14d"
}

check "no_token_lapses_within_two_weeks" {
  assert {
    condition     = length(data.solarnetwork_security_tokens.lapsing.tokens) == 0
    error_message = "Tokens expire within 14 days: ${join(", ", [for t in data.solarnetwork_security_tokens.lapsing.tokens : "${t.id} (${coalesce(t.name, "unnamed")}) at ${t.expires_at}"])}."
  }
}
