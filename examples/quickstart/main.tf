# Two SolarNetwork security tokens: a data token for a dashboard, restricted
# by a policy, and a User token for automation, restricted by API paths. The
# dashboard's secret is kept in state as a sensitive value; the automation
# token's reaches state only encrypted to an age public key.
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

  # A throwaway demo key: make your own with age-keygen and put its public
  # key (age-keygen -y key.txt) or an SSH public key here. Decrypt with
  #   tofu output -raw automation_encrypted_secret | age -d -i key.txt
  secret_recipients = ["age1rx9vn6pv74tu938trafkzxxcs86a0anunhlm3jdhrze3rs5rre7qh98hmr"]

  policy {
    # Only what is listed. A "!" entry next to it would deny nothing:
    # SolarNetwork allows a path as soon as one entry allows it.
    # The plan warns "User token restricted by api_paths": any restriction
    # keeps a User token from managing tokens. That is the point here; a
    # token meant to be a provider's credential would set no api_paths.
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

output "automation_encrypted_secret" {
  description = "The automation token's secret, encrypted with age: not sensitive."
  value       = solarnetwork_security_token.automation.encrypted_secret
}
