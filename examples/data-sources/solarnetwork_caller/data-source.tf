# Who this configuration's provider credentials are.
data "solarnetwork_caller" "me" {}

# Fail the plan's checks when the workspace runs with another credential
# than the one meant for it (a check block warns; a precondition would stop).
variable "expected_token_id" {
  type    = string
  default = null
}

check "runs_with_the_expected_token" {
  assert {
    condition     = var.expected_token_id == null || data.solarnetwork_caller.me.token_id == var.expected_token_id
    error_message = "This workspace signs with token ${data.solarnetwork_caller.me.token_id}, not ${coalesce(var.expected_token_id, "-")}."
  }
}

output "caller" {
  value = "token ${data.solarnetwork_caller.me.token_id} (${data.solarnetwork_caller.me.type}) of user ${data.solarnetwork_caller.me.user_id}"
}
