# Or, with Terraform 1.12+ / OpenTofu 1.12+, by resource identity.
import {
  to = solarnetwork_security_token.reporting
  identity = {
    id = "kF67p6g30eUXQICUgzQf"
  }
}
