# Provider functions are called through the provider's local name in
# required_providers.
terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

# A dashboard token that must reach its two nodes' hourly data and nothing
# else: the plan fails when the policy grants more or less.
resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard"

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/meter/**"]
    min_aggregation = "Hour"
    api_paths       = ["/datum/**"]
  }

  lifecycle {
    postcondition {
      condition     = provider::solarnetwork::policy_allows(self.effective_policy, { node_id = 100, source_id = "/meter/1", aggregation = "Hour", api_path = "/datum/list" }).allowed
      error_message = "The dashboard token must read node 100's hourly meter data."
    }
    postcondition {
      condition     = !provider::solarnetwork::policy_allows(self.effective_policy, { node_id = 102 }).allowed
      error_message = "The dashboard token must not read node 102."
    }
  }
}

# Why a request is refused: ["min_aggregation"].
output "raw_data_denied_by" {
  value = provider::solarnetwork::policy_allows(solarnetwork_security_token.dashboard.effective_policy, { aggregation = "None" }).denied_by
}
