#!/usr/bin/env bash
# The quickstart, end to end on this machine: build the provider, start the
# local SolarNetwork simulator, apply examples/quickstart with OpenTofu, show
# the tokens it made, destroy them, and stop the simulator (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

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

echo "==> Building the provider and the simulator"
mkdir -p "$work/plugins"
go build -trimpath -ldflags "-X main.version=demo" -o "$work/plugins/terraform-provider-solarnetwork" .
go build -trimpath -o "$work/solarsim" ./cmd/solarsim

echo "==> Finding or building OpenTofu (the first build takes a few minutes)"
tofu=$(scripts/build-cli.sh tofu)
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
"$tofu" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/    OpenTofu \1/p'

echo "==> Starting the SolarNetwork simulator"
"$work/solarsim" -listen 127.0.0.1:0 -env-file "$work/sim.env" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/sim.env" ] && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$work/sim.env" ] || { echo "the simulator did not start" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$work/sim.env"
set +a
echo "    listening on $SOLARNETWORK_URL, signing as token $SOLARNETWORK_TOKEN"

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"

echo "==> tofu apply"
"$tofu" apply -auto-approve -no-color 2>&1 | grep -v -e 'Provider development overrides' -e 'The following provider' -e '- solarnetwork/solarnetwork in' -e 'skip the install' -e 'does not match any' | sed '/^Outputs:/,$d'

echo "==> The tokens SolarNetwork now holds (secrets stay sensitive)"
"$tofu" output -no-color

echo "==> A second plan is empty"
"$tofu" plan -detailed-exitcode -no-color >/dev/null && echo "    No changes."

echo "==> tofu destroy"
"$tofu" destroy -auto-approve -no-color 2>&1 | tail -1
