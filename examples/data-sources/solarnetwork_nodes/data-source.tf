data "solarnetwork_nodes" "all" {}

# A token for every active node of the account, without typing node IDs.
resource "solarnetwork_security_token" "fleet" {
  type = "ReadNodeData"
  name = "Fleet dashboard"

  policy {
    node_ids        = data.solarnetwork_nodes.all.ids
    source_ids      = ["/meter/**"]
    refresh_allowed = false
  }
}

# Each node's name, or its ID when it has none.
output "node_names" {
  value = { for n in data.solarnetwork_nodes.all.nodes : tostring(n.id) => coalesce(n.name, "node ${n.id}") if !n.archived }
}
