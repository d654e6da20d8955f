# The private key of one of the token's secret_recipients, given for the run
# only and kept in no plan or state file:
#   TF_VAR_age_identity="$(cat key.txt)" terraform apply
variable "age_identity" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Its secret reaches state only encrypted (see secret_recipients).
resource "solarnetwork_security_token" "automation" {
  type              = "User"
  name              = "Automation"
  secret_recipients = ["age1rx9vn6pv74tu938trafkzxxcs86a0anunhlm3jdhrze3rs5rre7qh98hmr"]
}

ephemeral "solarnetwork_token_secret" "automation" {
  encrypted_secret = solarnetwork_security_token.automation.encrypted_secret
  identity         = var.age_identity
}

# Hand the secret or today's signing key to anything that accepts ephemeral
# values: a write-only argument such as secret_string_wo of
# aws_secretsmanager_secret_version or data_json_wo of vault_kv_secret_v2,
# another provider's configuration, or an ephemeral output of a module.
locals {
  automation_credentials = {
    token       = solarnetwork_security_token.automation.id
    secret      = ephemeral.solarnetwork_token_secret.automation.secret
    signing_key = ephemeral.solarnetwork_token_secret.automation.signing_key
  }
}
