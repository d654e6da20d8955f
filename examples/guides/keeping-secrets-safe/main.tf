terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

# Never write the provider's secret here: set SOLARNETWORK_TOKEN and
# SOLARNETWORK_SECRET in the environment of the run.
provider "solarnetwork" {}
