output "dashboard_token_id" {
  description = "The current token ID (not secret)."
  value       = solarnetwork_security_token.dashboard.id
}

# Read it with: terraform output -raw dashboard_token_secret
output "dashboard_token_secret" {
  description = "The current token secret."
  value       = solarnetwork_security_token.dashboard.secret
  sensitive   = true
}

output "dashboard_token_expires_at" {
  description = "When the current token expires; it is replaced from rotate_before ahead of this."
  value       = solarnetwork_security_token.dashboard.expires_at
}
