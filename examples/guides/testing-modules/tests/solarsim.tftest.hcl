# Integration tests against a SolarNetwork API: the local simulator (solarsim),
# or a test account. The provider reads SOLARNETWORK_URL, SOLARNETWORK_TOKEN
# and SOLARNETWORK_SECRET from the environment. `tofu test` destroys what the
# runs made when it is done.
variables {
  site     = "north"
  node_ids = [100, 101]
}

run "solarnetwork_keeps_the_policy" {
  command = apply

  assert {
    condition     = solarnetwork_security_token.dashboard.effective_policy.node_ids == toset([100, 101])
    error_message = "SolarNetwork does not hold the site's nodes."
  }

  assert {
    condition     = solarnetwork_security_token.dashboard.effective_policy.min_aggregation == "Hour"
    error_message = "SolarNetwork does not hold the minimum aggregation."
  }

  assert {
    condition     = solarnetwork_security_token.dashboard.expires_at != null
    error_message = "A rotated token must expire."
  }
}
