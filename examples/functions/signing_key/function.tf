# Provider functions are called through the provider's local name in
# required_providers.
terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

# A dashboard gets a signing key instead of the token's secret: SolarNetwork
# accepts it for requests dated today and the six days after. With
# refresh_allowed = false the dashboard cannot fetch a new key itself, so it
# loses access within a week unless a later apply hands it one. (Unset,
# refresh_allowed lets the key's holder refresh it for as long as the token
# lives.)
resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard"

  policy {
    node_ids        = [100, 101]
    min_aggregation = "Hour"
    refresh_allowed = false
  }
}

output "dashboard_token" {
  value = solarnetwork_security_token.dashboard.id
}

# Sensitive because the secret is; the key is a credential too.
output "dashboard_signing_key" {
  value     = provider::solarnetwork::signing_key(solarnetwork_security_token.dashboard.secret, plantimestamp())
  sensitive = true
}
