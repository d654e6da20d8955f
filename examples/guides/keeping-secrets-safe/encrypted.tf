# The reporting token's secret reaches state only encrypted to these public
# keys: an age recipient (age-keygen -y key.txt) and, for example, an SSH
# key from ~/.ssh/id_ed25519.pub. Set secret_recipients in the provider block
# instead to encrypt every token of the configuration.
resource "solarnetwork_security_token" "reporting" {
  type = "ReadNodeData"
  name = "Reporting"

  secret_recipients = [
    "age1rx9vn6pv74tu938trafkzxxcs86a0anunhlm3jdhrze3rs5rre7qh98hmr",
  ]

  policy {
    node_ids        = [100, 101]
    min_aggregation = "Day"
  }
}

# Not sensitive: only the holders of a recipient's private key can read it.
#   terraform output -raw reporting_encrypted_secret | age -d -i key.txt
output "reporting_encrypted_secret" {
  value = solarnetwork_security_token.reporting.encrypted_secret
}
