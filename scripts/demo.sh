#!/usr/bin/env bash
# The quickstart, end to end on this machine: build the provider, start the
# local SolarNetwork simulator, apply examples/quickstart, show the tokens it
# made, destroy them, and stop the simulator (also on failure).
#   scripts/demo.sh            OpenTofu, or Terraform when only `terraform` is on PATH
#   scripts/demo.sh tofu       `tofu` from PATH, else OpenTofu 1.12.6 built once
#   scripts/demo.sh terraform  `terraform` from PATH, else Terraform 1.5.7 built once
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

kind=${1:-}
if [ -z "$kind" ]; then
	kind=tofu
	if ! command -v tofu >/dev/null 2>&1 && command -v terraform >/dev/null 2>&1; then
		kind=terraform
	fi
fi
case $kind in
tofu) name=OpenTofu ;;
terraform) name=Terraform ;;
*)
	echo "demo.sh: unknown CLI \"$kind\": use tofu or terraform" >&2
	exit 2
	;;
esac

work=$(mktemp -d)
sim_pid=
cleanup() {
	status=$?
	if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
		kill "$sim_pid" && wait "$sim_pid" 2>/dev/null || true
		echo "==> Simulator stopped"
	fi
	rm -rf "$work"
	exit $status
}
trap cleanup EXIT INT TERM

# without_override_warning drops the warning both CLIs print about the dev
# override below (at most 12 lines, up to "...published releases.") and the
# blank lines around it.
without_override_warning() {
	awk '
		/^Warning: Provider development overrides are in effect/ { skip = 12; next }
		skip > 0 { skip--; if (/releases\.$/) { skip = 0; blank = 1 }; next }
		(blank || !started) && /^$/ { next }
		{ started = 1; blank = 0; print }
	'
}

echo "==> Building the provider and the simulator"
mkdir -p "$work/plugins"
go build -trimpath -ldflags "-X main.version=demo" -o "$work/plugins/terraform-provider-solarnetwork" .
go build -trimpath -o "$work/solarsim" ./cmd/solarsim

echo "==> Finding or building $name (a first build takes a few minutes)"
cli=$(scripts/build-cli.sh "$kind")
# Use the provider just built instead of a registry download.
cat >"$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "solarnetwork/solarnetwork" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
version=$("$cli" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
echo "    $name ${version:-(unknown version)}: $cli"

echo "==> Starting the SolarNetwork simulator"
"$work/solarsim" -listen 127.0.0.1:0 -env-file "$work/sim.env" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/sim.env" ] && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$work/sim.env" ] || { echo "the simulator did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/sim.env"
echo "    listening on $SOLARNETWORK_URL, signing as token $SOLARNETWORK_TOKEN"

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"

echo "==> $kind apply"
"$cli" apply -auto-approve -no-color 2>&1 | without_override_warning | sed '/^Outputs:/,$d'

echo "==> The tokens SolarNetwork now holds (secrets stay sensitive)"
"$cli" output -no-color

echo "==> A second plan is empty"
"$cli" plan -detailed-exitcode -no-color >/dev/null && echo "    No changes."

echo "==> $kind destroy"
"$cli" destroy -auto-approve -no-color 2>&1 | tail -1
