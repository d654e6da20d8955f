# What the dashboard must reach: the plan fails if the policy refuses any of it.
data "solarnetwork_policy_simulation" "dashboard_needs" {
  policy = local.dashboard_policy
  requests = [
    { node_id = 100, source_id = "/meter/1", aggregation = "Hour" },
    { node_id = 101, source_id = "/meter/2", aggregation = "Day" },
  ]

  lifecycle {
    postcondition {
      condition     = self.all_allowed
      error_message = "The dashboard token cannot read its meters' hourly data."
    }
  }
}

# What it must not reach: the plan fails if the policy allows any of it.
data "solarnetwork_policy_simulation" "dashboard_must_not" {
  policy = local.dashboard_policy
  requests = [
    { node_id = 102 },
    { source_id = "/inverter/1" },
    { aggregation = "None" },
  ]

  lifecycle {
    postcondition {
      condition     = !anytrue(self.results[*].allowed)
      error_message = "The dashboard token reaches more than its two nodes' hourly meter data."
    }
  }
}

# A softer rule: a check block only warns, on every plan and apply, and
# never stops one (in a test, a failed check fails the run).
data "solarnetwork_policy_simulation" "dashboard_raw_data" {
  policy   = local.dashboard_policy
  requests = [{ node_id = 100, source_id = "/meter/1", aggregation = "None" }]
}

check "dashboard_reads_no_raw_data" {
  assert {
    condition     = !data.solarnetwork_policy_simulation.dashboard_raw_data.all_allowed
    error_message = "The dashboard token can read raw, unaggregated data."
  }
}
