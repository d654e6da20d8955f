terraform {
  # import blocks with for_each need Terraform 1.7+ or OpenTofu 1.7+.
  required_version = ">= 1.7.0"

  required_providers {
    solarnetwork = {
      source = "solarnetwork/solarnetwork"
    }
  }
}

provider "solarnetwork" {}
