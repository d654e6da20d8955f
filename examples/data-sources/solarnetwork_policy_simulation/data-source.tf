resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard"

  policy {
    node_ids   = [100, 101]
    source_ids = ["/meter/**"]
    api_paths  = ["/datum/**", "!/datum/list"]
  }
}

data "solarnetwork_policy_simulation" "dashboard" {
  policy = solarnetwork_security_token.dashboard.effective_policy
  requests = [
    { node_id = 100, source_id = "/meter/1" },
    { node_id = 102 },
    # The "!" entry does not take /datum/list away: "/datum/**" allows it.
    { api_path = "/datum/list" },
  ]
}

# A check block warns on every plan when the token reaches too much.
check "dashboard_cannot_read_node_102" {
  assert {
    condition     = !data.solarnetwork_policy_simulation.dashboard.results[1].allowed
    error_message = "The dashboard token can read node 102."
  }
}

output "all_allowed" {
  value = data.solarnetwork_policy_simulation.dashboard.all_allowed # false: node 102 is refused
}
