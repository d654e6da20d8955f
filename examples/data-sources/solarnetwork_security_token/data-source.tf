# A token made outside Terraform, e.g. with `s10k sec-tokens create`.
data "solarnetwork_security_token" "reporting" {
  id = "BvJ5Qk8MnY2-pTz.Xa_3"
}

# Null when the token is unrestricted or not limited to certain nodes.
output "reporting_token_nodes" {
  value = try(data.solarnetwork_security_token.reporting.policy.node_ids, null)
}

output "reporting_token_expires_at" {
  value = data.solarnetwork_security_token.reporting.expires_at
}
