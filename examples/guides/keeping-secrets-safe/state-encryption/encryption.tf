# OpenTofu 1.7+ only (Terraform has no `encryption` block): encrypt state and
# plan files on the client, before they reach the backend. Give the
# passphrase with TF_VAR_state_passphrase, never in a file.
variable "state_passphrase" {
  description = "At least 16 characters. Changing it needs a key migration: see the OpenTofu state encryption docs."
  type        = string
  sensitive   = true
}

terraform {
  encryption {
    key_provider "pbkdf2" "state" {
      passphrase = var.state_passphrase
    }

    method "aes_gcm" "state" {
      keys = key_provider.pbkdf2.state
    }

    state {
      method   = method.aes_gcm.state
      enforced = true
    }

    plan {
      method   = method.aes_gcm.state
      enforced = true
    }
  }
}
