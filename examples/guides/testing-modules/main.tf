# A module that makes one site's dashboard token: read-only, limited to the
# site's nodes and sources, hourly data or coarser, rotated every 90 days.
terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

variable "site" {
  type        = string
  description = "The site's code, such as \"north\"; its sources are /NORTH/**."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.site))
    error_message = "site must be a lowercase code such as \"north\"."
  }
}

variable "node_ids" {
  type        = list(number)
  description = "The site's nodes."

  validation {
    condition     = length(var.node_ids) > 0
    error_message = "A dashboard token needs at least one node: without node_ids it could read every node of the account."
  }
}

resource "solarnetwork_security_token" "dashboard" {
  type = "ReadNodeData"
  name = "Dashboard: ${var.site}"

  policy {
    node_ids        = var.node_ids
    source_ids      = ["/${upper(var.site)}/**"]
    min_aggregation = "Hour"
  }

  rotation {
    lifetime      = "90d"
    rotate_before = "14d"
    overlap       = "1d"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "token_id" {
  value = solarnetwork_security_token.dashboard.id
}

output "token_secret" {
  value     = solarnetwork_security_token.dashboard.secret
  sensitive = true
}
