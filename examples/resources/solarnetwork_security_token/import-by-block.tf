# Or, with Terraform 1.5+ / OpenTofu, an import block.
import {
  to = solarnetwork_security_token.reporting
  id = "kF67p6g30eUXQICUgzQf"
}
