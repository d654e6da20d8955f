# Every token of the account, the provider's own included.
data "solarnetwork_security_tokens" "all" {}

# Disabled data tokens: filters combine with AND.
data "solarnetwork_security_tokens" "disabled_data" {
  type   = "ReadNodeData"
  status = "Disabled"
}

# Look tokens up by ID; an ID with no token is left out instead of failing.
data "solarnetwork_security_tokens" "known" {
  ids = ["BvJ5Qk8MnY2-pTz.Xa_3", "a9Zx-3kLmN0pQrStUvWy"]
}

output "expired_token_ids" {
  value = [for t in data.solarnetwork_security_tokens.all.tokens : t.id if t.expired]
}

output "missing_token_ids" {
  value = setsubtract(["BvJ5Qk8MnY2-pTz.Xa_3", "a9Zx-3kLmN0pQrStUvWy"], data.solarnetwork_security_tokens.known.tokens[*].id)
}
