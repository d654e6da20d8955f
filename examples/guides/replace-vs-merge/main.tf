terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {}

# Both tokens below were made with the same s10k command, so they start with
# the same policy:
#   s10k sec-tokens create -t ReadNodeData -node 100,101 -source '/REGION1/**' -agg Hour -r
# Each is imported and then updated as in the s10k manual's example, once in
# each mode.
