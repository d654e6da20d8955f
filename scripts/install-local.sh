#!/usr/bin/env bash
# Installs a provider binary into a local filesystem mirror and writes a CLI
# configuration that takes solarnetwork/solarnetwork from it (for Terraform's
# and OpenTofu's registry addresses alike) and every other provider from its
# registry, so that `terraform init` works as the guides show, with the
# provider built from this clone.
#   scripts/install-local.sh BINARY DIR   mirror in DIR/mirror, config in DIR/local.tfrc
# Prints the config's path. The mirror holds version 0.0.1, which no release
# uses: a pre-release such as 0.0.0-local would be chosen only by an exact
# version constraint, and the guides set none.
set -euo pipefail

binary=${1:?usage: install-local.sh BINARY DIR}
dir=${2:?usage: install-local.sh BINARY DIR}
version=0.0.1
platform="$(go env GOOS)_$(go env GOARCH)"

mirror="$dir/mirror"
for host in registry.terraform.io registry.opentofu.org; do
	target="$mirror/$host/solarnetwork/solarnetwork/$version/$platform"
	mkdir -p "$target"
	cp "$binary" "$target/terraform-provider-solarnetwork_v$version"
	chmod +x "$target/terraform-provider-solarnetwork_v$version"
done

config="$dir/local.tfrc"
cat >"$config" <<RC
# Written by scripts/install-local.sh: solarnetwork/solarnetwork from the
# local mirror (version $version, built from a clone), every other provider
# from its registry.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/solarnetwork/solarnetwork", "registry.opentofu.org/solarnetwork/solarnetwork"]
  }
  direct {
    exclude = ["registry.terraform.io/solarnetwork/solarnetwork", "registry.opentofu.org/solarnetwork/solarnetwork"]
  }
}
RC
echo "$config"
