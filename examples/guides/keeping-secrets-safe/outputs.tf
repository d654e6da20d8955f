output "dashboard_token_id" {
  description = "The dashboard's token ID (not secret)."
  value       = solarnetwork_security_token.dashboard.id
}

# Shown as (sensitive value) in plans and `terraform output`; read it on
# purpose with: terraform output -raw dashboard_token_secret
output "dashboard_token_secret" {
  description = "The dashboard's token secret."
  value       = solarnetwork_security_token.dashboard.secret
  sensitive   = true
}
