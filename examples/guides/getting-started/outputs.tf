output "dashboard_token_id" {
  description = "The token ID to configure in the dashboard."
  value       = solarnetwork_security_token.dashboard.id
}

output "dashboard_token_secret" {
  description = "Read it with: terraform output -raw dashboard_token_secret"
  value       = solarnetwork_security_token.dashboard.secret
  sensitive   = true
}
