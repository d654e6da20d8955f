# A data token that exists only while this run needs it: its secret never
# reaches plan or state, it is deleted when the run is done, and it expires
# after 15 minutes even if the run is killed.
ephemeral "solarnetwork_security_token" "run" {
  type       = "ReadNodeData"
  name       = "Terraform run"
  expires_in = "15m"

  policy {
    node_ids        = [100]
    source_ids      = ["/REGION1/**"]
    min_aggregation = "Hour"
  }
}

# Hand ephemeral.solarnetwork_security_token.run.id and .secret to anything
# that accepts ephemeral values: another provider's configuration, a
# write-only attribute, or an ephemeral output of a module.
locals {
  run_credentials = {
    token  = ephemeral.solarnetwork_security_token.run.id
    secret = ephemeral.solarnetwork_security_token.run.secret
  }
}
