# A token replaced every 30 days: it expires 30 days after it is made, the
# first plan in its last 7 days replaces it, and the old token keeps working
# for 2 more days while its users switch to the new secret.
resource "solarnetwork_security_token" "rotating" {
  type = "ReadNodeData"
  name = "Dashboard (rotating)"

  policy {
    node_ids   = [100, 101]
    source_ids = ["/REGION1/**"]
  }

  rotation {
    lifetime      = "30d"
    rotate_before = "7d"
    overlap       = "2d"
  }

  # Make the new token before the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}
