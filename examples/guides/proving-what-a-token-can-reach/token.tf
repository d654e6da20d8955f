# The policy is written once, as a value: the token takes it, and the
# simulations below judge it while planning, before the token exists.
locals {
  dashboard_policy = {
    node_ids        = var.dashboard_node_ids
    source_ids      = ["/meter/**"]
    min_aggregation = "Hour"
    refresh_allowed = false
  }
}

resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard"

  policy {
    node_ids        = local.dashboard_policy.node_ids
    source_ids      = local.dashboard_policy.source_ids
    min_aggregation = local.dashboard_policy.min_aggregation
    refresh_allowed = local.dashboard_policy.refresh_allowed
  }
}
