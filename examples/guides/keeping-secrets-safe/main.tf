terraform {
  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }

  # State holds every token secret this configuration created: keep it in a
  # remote backend that encrypts it at rest and restricts who can read it.
  backend "s3" {
    bucket  = "example-terraform-state"
    key     = "solarnetwork/tokens.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}

# Never write the provider's secret here: set SOLARNETWORK_TOKEN and
# SOLARNETWORK_SECRET in the environment of the run.
provider "solarnetwork" {}
