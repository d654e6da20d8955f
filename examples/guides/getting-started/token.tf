# A data token for a dashboard: it may read two nodes' region 1 sources, at
# hourly or coarser aggregation, until the end of 2027 (Auckland time). Its
# signing keys cannot be refreshed: left unset, SolarNetwork would allow it.
resource "solarnetwork_security_token" "dashboard" {
  type        = "ReadNodeData"
  name        = "Dashboard"
  description = "Read-only access for the regional energy dashboard."

  expiration_date = "2028-01-01"
  time_zone       = "Pacific/Auckland"

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
    refresh_allowed = false
  }
}
