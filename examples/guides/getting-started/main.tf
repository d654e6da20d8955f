terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

# Credentials come from the environment:
#   export SOLARNETWORK_TOKEN=...   # a User token with an unrestricted policy
#   export SOLARNETWORK_SECRET=...
provider "solarnetwork" {}
