# The dashboard's data token lives 30 days. From 7 days before it expires,
# every plan replaces it: the new token is made first, and the old one then
# keeps working for 2 days (its expiry moves to 2 days after the apply) while
# the dashboard switches over. Run apply at least daily, for example from a
# scheduled CI job, so the replacement happens early in those 7 days.
resource "solarnetwork_security_token" "dashboard" {
  type        = "ReadNodeData"
  name        = "Dashboard"
  description = "Read-only access for the regional energy dashboard; rotated every 30 days."

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
  }

  rotation {
    lifetime      = "30d"
    rotate_before = "7d"
    overlap       = "2d"
  }

  lifecycle {
    create_before_destroy = true
  }
}
