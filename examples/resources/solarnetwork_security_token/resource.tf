# A data token like `s10k sec-tokens create -t ReadNodeData -node 100,101 -source '/REGION1/**' -agg Hour -r`.
resource "solarnetwork_security_token" "reporting" {
  type        = "ReadNodeData"
  name        = "Reporting: region 1"
  description = "Allow access to region 1 for reporting team."

  expiration_date = "2027-10-30T12:45"
  time_zone       = "Pacific/Auckland"

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
    refresh_allowed = true
  }
}

# Merge mode, like `s10k sec-tokens update` without --replace: Terraform adds
# these restrictions and keeps ones added elsewhere.
resource "solarnetwork_security_token" "shared" {
  type          = "ReadNodeData"
  policy_update = "merge"

  policy {
    source_ids = ["/REGION2/**"]
  }
}

# A User token that may only call the datum import API.
resource "solarnetwork_security_token" "importer" {
  type   = "User"
  name   = "Importer"
  status = "Active"

  policy {
    api_paths = ["/user/import/**"]
  }
}
