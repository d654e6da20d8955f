# Changing this value (for example to today's date) replaces the token: the
# new token, with a new ID and secret, is created before the old one is
# deleted.
variable "dashboard_token_rotation" {
  description = "Change to rotate the dashboard token."
  type        = string
  default     = "2026-11-01"
}

resource "terraform_data" "dashboard_token_rotation" {
  input = var.dashboard_token_rotation
}

resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard (rotated ${var.dashboard_token_rotation})"

  policy {
    node_ids        = [100, 101]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
  }

  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.dashboard_token_rotation]
  }
}
