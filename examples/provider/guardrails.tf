provider "solarnetwork" {
  guardrails {
    max_lifetime                      = "90d"                    # no token lives longer, and every token expires
    require_api_paths_for_user_tokens = true                     # no User token with the owner's full powers
    allowed_types                     = ["ReadNodeData", "User"] # the types this configuration may make
    enforcement                       = "error"                  # or "warn" while a configuration catches up
  }
}
