terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

# Credentials come from SOLARNETWORK_TOKEN and SOLARNETWORK_SECRET. The
# provider's own token cannot be rotated by this configuration.
provider "solarnetwork" {}
