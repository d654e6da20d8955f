# One token, by ID: a User token made with
#   s10k sec-tokens create -t User -m Automation -A '/user/import/**'
# Write the configuration to match the token (or let `terraform plan
# -generate-config-out=generated.tf` draft it), then plan and apply.
import {
  to = solarnetwork_security_token.automation
  id = "Wq3RzY8dKc0pLm5TbV2n"
}

resource "solarnetwork_security_token" "automation" {
  type = "User"
  name = "Automation"

  policy {
    api_paths = ["/user/import/**"]
  }
}
