# A snippet, not a configuration to run as it is: it needs an S3 bucket and
# AWS credentials. Put it beside main.tf (or move the backend block into
# main.tf's terraform block) to keep state in S3.
#
# State holds every token secret this configuration created in plain text
# (unless secret_recipients encrypts them): keep it in a remote backend that
# encrypts it at rest and restricts who can read it.
terraform {
  backend "s3" {
    bucket  = "example-terraform-state"
    key     = "solarnetwork/tokens.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}
