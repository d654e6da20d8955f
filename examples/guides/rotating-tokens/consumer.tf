# Hands the current credentials to the dashboard. It runs when the token is
# first made and again whenever rotation replaces it (a new ID), within the
# same apply, while the old token still works for its overlap.
resource "terraform_data" "dashboard_credentials" {
  triggers_replace = [solarnetwork_security_token.dashboard.id]

  provisioner "local-exec" {
    # Replace with what delivers the credentials to the dashboard, for
    # example: vault kv put secret/dashboard token_id="$TOKEN_ID" token_secret="$TOKEN_SECRET"
    command = "echo \"The dashboard token is now $TOKEN_ID, valid until $EXPIRES_AT\""
    environment = {
      TOKEN_ID     = solarnetwork_security_token.dashboard.id
      TOKEN_SECRET = solarnetwork_security_token.dashboard.secret
      EXPIRES_AT   = solarnetwork_security_token.dashboard.expires_at
    }
  }
}
