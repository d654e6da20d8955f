# Two SolarNetwork security tokens: a data token for a dashboard, restricted
# by a policy, and a User token for automation, restricted by API paths.
# Credentials come from SOLARNETWORK_URL, SOLARNETWORK_TOKEN and
# SOLARNETWORK_SECRET.

terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {}

resource "solarnetwork_security_token" "dashboard" {
  type            = "ReadNodeData"
  name            = "Dashboard"
  description     = "Read-only access for the regional energy dashboard."
  expiration_date = "2030-01-01"
  time_zone       = "Pacific/Auckland"

  policy {
    node_ids            = [100, 101]
    source_ids          = ["/REGION1/**"]
    min_aggregation     = "Hour"
    node_metadata_paths = ["/pm/public/**"]
    refresh_allowed     = true
  }
}

resource "solarnetwork_security_token" "automation" {
  type        = "User"
  name        = "Automation"
  description = "May only call the datum import API."

  policy {
    # Only what is listed. A "!" entry next to it would deny nothing:
    # SolarNetwork allows a path as soon as one entry allows it.
    api_paths       = ["/user/import/**"]
    refresh_allowed = false
  }
}

output "tokens" {
  description = "The tokens made, without their secrets."
  value = {
    for name, token in {
      dashboard  = solarnetwork_security_token.dashboard
      automation = solarnetwork_security_token.automation
      } : name => {
      id               = token.id
      type             = token.type
      status           = token.status
      expires_at       = token.expires_at
      effective_policy = token.effective_policy
    }
  }
}

output "dashboard_secret" {
  description = "Read it with: tofu output -raw dashboard_secret"
  value       = solarnetwork_security_token.dashboard.secret
  sensitive   = true
}
