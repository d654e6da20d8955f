terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {}

# The nodes the dashboard reads; a test widens it to prove the plan fails.
variable "dashboard_node_ids" {
  type    = set(number)
  default = [100, 101]
}
