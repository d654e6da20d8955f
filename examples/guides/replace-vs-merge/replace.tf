# Like: s10k sec-tokens update --identifier pR3nT0k6Lm2QxW9aZc1V \
#         --node-id 107,164 --source-id '/REGION2/**' --replace
# Terraform owns the whole policy: anything not listed here is removed.
import {
  to = solarnetwork_security_token.replaced
  id = "pR3nT0k6Lm2QxW9aZc1V"
}

resource "solarnetwork_security_token" "replaced" {
  type          = "ReadNodeData"
  name          = "Reporting: region 1"
  description   = "Allow access to region 1 for reporting team."
  policy_update = "replace" # the default

  policy {
    node_ids   = [107, 164]
    source_ids = ["/REGION2/**"]
  }
}
