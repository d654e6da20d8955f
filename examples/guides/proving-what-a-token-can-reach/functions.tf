# Terraform 1.8+ and OpenTofu 1.7+: the policy_allows function judges one
# request where it is needed, here in the token's own postconditions.
resource "solarnetwork_security_token" "importer" {
  type = "User"
  name = "Importer"

  policy {
    api_paths       = ["/user/import/**"]
    refresh_allowed = false
  }

  lifecycle {
    postcondition {
      condition     = provider::solarnetwork::policy_allows(self.effective_policy, { api_path = "/user/import/jobs" }).allowed
      error_message = "The importer token cannot manage import jobs."
    }
    postcondition {
      condition     = !provider::solarnetwork::policy_allows(self.effective_policy, { api_path = "/user/auth-tokens/generate/User" }).allowed
      error_message = "The importer token can make new tokens."
    }
  }
}
