#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI, building it from the Go
# module proxy into a cache outside the clone the first time.
#   scripts/build-cli.sh tofu       OpenTofu 1.12.6 (or `tofu` from PATH)
#   scripts/build-cli.sh terraform  Terraform 1.5.7, the last MPL release
# Neither project publishes binaries reachable here, and `go install` refuses
# modules with replace directives, so the module copy is built in place.
set -euo pipefail

kind=${1:?usage: build-cli.sh tofu|terraform}
cache=${SOLARNETWORK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-solarnetwork}

case $kind in
tofu)
	if [ -z "${SOLARNETWORK_BUILD_CLI:-}" ] && command -v tofu >/dev/null 2>&1; then
		command -v tofu
		exit 0
	fi
	module=github.com/opentofu/opentofu version=v1.12.6 pkg=./cmd/tofu
	ldflags="-X github.com/opentofu/opentofu/version.dev=no"
	;;
terraform)
	module=github.com/hashicorp/terraform version=v1.5.7 pkg=.
	ldflags=""
	;;
*)
	echo "unknown CLI $kind: use tofu or terraform" >&2
	exit 2
	;;
esac

bin="$cache/bin/$kind-${version#v}"
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$cache/bin"
exec 9>"$cache/$kind.lock"
flock 9 # another make may be building the same CLI
if [ ! -x "$bin" ]; then
	echo "Building $kind ${version} from the Go module proxy into $cache (a few minutes, once)..." >&2
	dir=$(go mod download -json "$module@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
	[ -n "$dir" ] || { echo "go mod download $module@$version failed" >&2; exit 1; }
	work=$(mktemp -d)
	trap 'chmod -R u+w "$work" && rm -rf "$work"' EXIT
	cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
	(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$pkg")
	mv "$bin.tmp" "$bin"
fi
echo "$bin"
