# terraform test / tofu test, against the SolarNetwork the provider is
# configured for. The first run applies (the CLI destroys what it made when
# the file is done); the second only plans.

run "dashboard_reaches_what_it_needs_and_no_more" {
  assert {
    condition     = data.solarnetwork_policy_simulation.dashboard_needs.all_allowed
    error_message = "The dashboard token cannot read what it needs."
  }
  assert {
    condition     = contains(data.solarnetwork_policy_simulation.dashboard_must_not.results[0].denied_by, "node_ids")
    error_message = "Node 102 should be refused by node_ids."
  }
}

# A wider policy fails while planning, before SolarNetwork is asked.
run "a_third_node_fails_the_plan" {
  command = plan

  variables {
    dashboard_node_ids = [100, 101, 102]
  }

  expect_failures = [data.solarnetwork_policy_simulation.dashboard_must_not]
}
