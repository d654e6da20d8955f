# Unit tests: no SolarNetwork and no credentials. The mock provider answers
# every request with made-up values, so these check what the module asks
# for, not what SolarNetwork does with it.
mock_provider "solarnetwork" {}

variables {
  site     = "north"
  node_ids = [100, 101]
}

run "a_read_only_token_for_the_site" {
  command = plan

  assert {
    condition     = solarnetwork_security_token.dashboard.type == "ReadNodeData"
    error_message = "A dashboard token must not be a User token."
  }

  assert {
    condition     = solarnetwork_security_token.dashboard.policy.source_ids == toset(["/NORTH/**"])
    error_message = "The token must be limited to the site's sources."
  }

  assert {
    condition     = solarnetwork_security_token.dashboard.policy.min_aggregation == "Hour"
    error_message = "The token must not read raw data."
  }
}

run "no_token_without_nodes" {
  command = plan

  variables {
    node_ids = []
  }

  expect_failures = [var.node_ids]
}
