# Many tokens, found by name with the solarnetwork_security_tokens data
# source: each reporting token below is imported when a data token of that
# name exists, and created otherwise.

locals {
  # The reporting tokens this configuration manages, by name.
  reporting_tokens = {
    "Reporting: region 1" = {
      node_ids   = [100, 101]
      source_ids = ["/REGION1/**"]
    }
    "Reporting: region 2" = {
      node_ids   = [107, 164]
      source_ids = ["/REGION2/**"]
    }
  }
}

data "solarnetwork_security_tokens" "data_tokens" {
  type = "ReadNodeData"
}

locals {
  # name => ID of the existing data tokens with one of those names. Two tokens
  # with the same name fail here with "Duplicate object key": rename or
  # delete one of them first.
  existing_reporting_token_ids = {
    for t in data.solarnetwork_security_tokens.data_tokens.tokens : t.name => t.id
    if contains(keys(local.reporting_tokens), coalesce(t.name, "-"))
  }
}

import {
  for_each = local.existing_reporting_token_ids
  to       = solarnetwork_security_token.reporting[each.key]
  id       = each.value
}

resource "solarnetwork_security_token" "reporting" {
  for_each = local.reporting_tokens

  type = "ReadNodeData"
  name = each.key

  # merge keeps what the s10k-made tokens already allow (aggregation levels,
  # metadata paths, ...) and adds the node and source IDs listed above.
  policy_update = "merge"

  policy {
    node_ids   = each.value.node_ids
    source_ids = each.value.source_ids
  }
}

output "reporting_token_ids" {
  description = "The reporting tokens' IDs, by name."
  value       = { for name, token in solarnetwork_security_token.reporting : name => token.id }
}
