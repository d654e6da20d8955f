#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI: the one on PATH, else a
# build from the Go module proxy, cached outside the clone the first time.
#   scripts/build-cli.sh tofu       `tofu` from PATH, else OpenTofu 1.12.6
#   scripts/build-cli.sh terraform  `terraform` from PATH, else Terraform 1.5.7,
#                                   the last MPL release
#   scripts/build-cli.sh terraform-1.8  Terraform 1.8.5, the newest the module
#                                   proxy can build: 1.9 and later keep their
#                                   backends in nested modules its zip leaves out
# With SOLARNETWORK_BUILD_CLI set, PATH is ignored and the pinned version is
# used (the acceptance tests of Terraform do this, so CI does not depend on
# whatever terraform a machine has).
# Neither project publishes binaries reachable here, and `go install` refuses
# modules with replace directives, so the module copy is built in place.
set -euo pipefail

kind=${1:?usage: build-cli.sh tofu|terraform}
cache=${SOLARNETWORK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-solarnetwork}

case $kind in
tofu | terraform)
	if [ -z "${SOLARNETWORK_BUILD_CLI:-}" ] && command -v "$kind" >/dev/null 2>&1; then
		command -v "$kind"
		exit 0
	fi
	;;
esac

case $kind in
tofu)
	module=github.com/opentofu/opentofu version=v1.12.6 pkg=./cmd/tofu estimate="4 to 10 minutes"
	ldflags="-X github.com/opentofu/opentofu/version.dev=no"
	;;
terraform)
	module=github.com/hashicorp/terraform version=v1.5.7 pkg=. estimate="2 to 6 minutes"
	ldflags=""
	;;
terraform-1.8)
	module=github.com/hashicorp/terraform version=v1.8.5 pkg=. estimate="4 to 12 minutes"
	ldflags="-X github.com/hashicorp/terraform/version.dev=no"
	kind=terraform
	;;
*)
	echo "unknown CLI $kind: use tofu, terraform or terraform-1.8" >&2
	exit 2
	;;
esac

bin="$cache/bin/$kind-${version#v}"
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$cache/bin"

# Another make may be building the same CLI: wait for it. flock where the
# system has it (Linux); elsewhere (macOS) a lock directory, which mkdir
# creates atomically, owned by the process that made it.
lock="$cache/$kind.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lock"
	flock 9
else
	until mkdir "$lock.d" 2>/dev/null; do
		owner=$(cat "$lock.d/pid" 2>/dev/null || true)
		if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
			rm -rf "$lock.d" # its builder is gone
			continue
		fi
		sleep 2
	done
	echo $$ >"$lock.d/pid"
	trap 'rm -rf "$lock.d"' EXIT
fi

if [ ! -x "$bin" ]; then
	echo "Building $kind ${version} from the Go module proxy into $cache, once: $estimate on 2 cores." >&2
	dir=$(go mod download -json "$module@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
	[ -n "$dir" ] || { echo "go mod download $module@$version failed" >&2; exit 1; }
	work=$(mktemp -d)
	trap 'chmod -R u+w "$work" && rm -rf "$work"; rm -rf "$lock.d"' EXIT
	cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
	(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$pkg") &
	build=$!
	start=$(date +%s)
	while kill -0 "$build" 2>/dev/null; do
		sleep 5
		elapsed=$(($(date +%s) - start))
		if [ $((elapsed % 60)) -lt 5 ] && kill -0 "$build" 2>/dev/null; then
			echo "  still building $kind ${version}: $((elapsed / 60)) min so far" >&2
		fi
	done
	wait "$build"
	mv "$bin.tmp" "$bin"
	echo "Built $kind ${version} in $((($(date +%s) - start) / 60)) min $((($(date +%s) - start) % 60)) s." >&2
fi
echo "$bin"
