# Rotated-out tokens stay in SolarNetwork, expired. List them to delete them
# by hand (in the SolarUser web app) when you no longer need
# them for audit.
data "solarnetwork_security_tokens" "data_tokens" {
  type = "ReadNodeData"
}

output "expired_token_ids" {
  description = "Data tokens that have expired."
  value       = [for token in data.solarnetwork_security_tokens.data_tokens.tokens : token.id if token.expired]
}
