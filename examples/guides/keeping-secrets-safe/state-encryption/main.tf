# OpenTofu 1.7 and later only: encryption.tf encrypts this folder's state and
# plans, and Terraform has no `encryption` block. Run it with
#   export TF_VAR_state_passphrase="$(cat /run/secrets/state-passphrase)"
#   tofu init && tofu apply
terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {}

# Its secret is in state in plain text, but the state file on disk or in the
# backend is ciphertext.
resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard"

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
  }
}

output "dashboard_token_secret" {
  value     = solarnetwork_security_token.dashboard.secret
  sensitive = true
}
