# Like: s10k sec-tokens update --identifier kF67p6g30eUXQICUgzQf \
#         --node-id 107,164 --source-id '/REGION2/**'
# Terraform adds these restrictions and keeps the ones already on the token.
import {
  to = solarnetwork_security_token.merged
  id = "kF67p6g30eUXQICUgzQf"
}

resource "solarnetwork_security_token" "merged" {
  type          = "ReadNodeData"
  name          = "Reporting: region 1"
  description   = "Allow access to region 1 for reporting team."
  policy_update = "merge"

  policy {
    node_ids   = [107, 164]
    source_ids = ["/REGION2/**"]
  }
}
