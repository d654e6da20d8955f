#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs from the provider's schema, offline.
#
# tfplugindocs would build the provider and run `terraform` itself, and it
# downloads a Terraform when none is on PATH. Instead this script:
#   1. builds the provider into a temporary plugin directory as
#      registry.terraform.io/solarnetwork/solarnetwork 0.0.1;
#   2. asks OpenTofu (scripts/build-cli.sh tofu, built from the Go module
#      proxy when missing) for the schema: `tofu init -plugin-dir`, then
#      `tofu providers schema -json`, with an empty CLI configuration;
#   3. runs tfplugindocs (pinned in tools/go.mod, built once into the cache)
#      with --providers-schema, so it neither builds nor downloads anything;
#   4. lists the attributes a block requires when present (described as
#      "Required. …") under the block's "Required:", where the framework
#      cannot mark them (scripts/docs-required-in-blocks.awk).
# It reads templates/ and examples/ and rewrites docs/. Temporary files are
# removed on exit, also on failure; any failing step stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cache=${SOLARNETWORK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-solarnetwork}
namespace=solarnetwork
name=solarnetwork
version=0.0.1
address=registry.terraform.io/$namespace/$name

fail() {
	echo "docs.sh: $*" >&2
	exit 1
}

work=$(mktemp -d)
cleanup() {
	status=$?
	rm -rf "$work"
	if [ "$status" -ne 0 ]; then
		echo "docs.sh: FAILED (exit $status); docs/ may be incomplete" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tfplugindocs, at the version tools/go.mod pins, built once into the cache.
docs_version=$(cd tools && go list -m -f '{{.Version}}' github.com/hashicorp/terraform-plugin-docs) ||
	fail "cannot read the terraform-plugin-docs version from tools/go.mod"
tfplugindocs="$cache/bin/tfplugindocs-${docs_version#v}"
if [ ! -x "$tfplugindocs" ]; then
	echo "==> Building tfplugindocs $docs_version into $cache/bin (once)" >&2
	mkdir -p "$cache/bin"
	(cd tools && go build -trimpath -o "$tfplugindocs.tmp.$$" github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs) ||
		fail "building tfplugindocs failed"
	mv "$tfplugindocs.tmp.$$" "$tfplugindocs"
fi

echo "==> Finding or building OpenTofu (the first build takes a few minutes)" >&2
tofu=$(scripts/build-cli.sh tofu) || fail "no OpenTofu: scripts/build-cli.sh tofu failed"

echo "==> Building the provider" >&2
goos=$(go env GOOS)
goarch=$(go env GOARCH)
plugin_dir="$work/plugins/$address/$version/${goos}_${goarch}"
mkdir -p "$plugin_dir"
go build -trimpath -ldflags "-X main.version=$version" \
	-o "$plugin_dir/terraform-provider-${name}_v$version" . ||
	fail "go build of the provider failed"

mkdir -p "$work/config"
cat >"$work/config/main.tf" <<EOF
terraform {
  required_providers {
    $name = {
      source  = "$address"
      version = "$version"
    }
  }
}
EOF
: >"$work/empty.tfrc"
(
	cd "$work/config"
	# A clean CLI environment: no user configuration, no plugin cache, no
	# leftover data directory, no checkpoint calls.
	unset TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_providers
	export TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
	echo "==> Reading the provider schema with $("$tofu" version | head -1)" >&2
	"$tofu" init -input=false -no-color -plugin-dir="$work/plugins" >"$work/init.log" 2>&1 ||
		{ cat "$work/init.log" >&2; exit 1; }
	"$tofu" providers schema -json >"$work/schema.raw.json" 2>"$work/schema.log" ||
		{ cat "$work/schema.log" >&2; exit 1; }
) || fail "tofu could not read the provider schema"

# tfplugindocs looks the schema up as "<name>" or
# "registry.terraform.io/hashicorp/<name>"; key it by the short name.
grep -q "\"$address\":" "$work/schema.raw.json" ||
	fail "the schema from tofu has no provider $address"
sed "s|\"$address\":|\"$name\":|" "$work/schema.raw.json" >"$work/schema.json"

echo "==> Generating docs/ with tfplugindocs $docs_version" >&2
# With --providers-schema tfplugindocs builds nothing and runs no CLI.
"$tfplugindocs" generate \
	--provider-dir "$root" \
	--provider-name "$name" \
	--rendered-provider-name "SolarNetwork" \
	--providers-schema "$work/schema.json" \
	--examples-dir examples \
	--website-source-dir templates \
	--rendered-website-dir docs \
	--website-temp-dir "$work/website" >"$work/generate.log" 2>"$work/generate.err" ||
	{ cat "$work/generate.log" "$work/generate.err" >&2; fail "tfplugindocs generate failed"; }

# tfplugindocs writes warnings (and only those) to stderr, for example about a
# template for a resource or data source the schema does not have. Treat them
# as errors.
if [ -s "$work/generate.err" ]; then
	cat "$work/generate.err" >&2
	fail "tfplugindocs warned (above): a template or example names something the schema lacks"
fi

# Attributes that are required inside an optional block are optional in the
# schema (see scripts/docs-required-in-blocks.awk); list them as required.
while IFS= read -r doc; do
	awk -f scripts/docs-required-in-blocks.awk "$doc" >"$work/doc.md" || fail "regrouping required block attributes in $doc failed"
	cat "$work/doc.md" >"$doc"
done < <(find docs -type f -name '*.md')

[ -s docs/index.md ] || fail "docs/index.md was not generated"
echo "==> docs/ regenerated:" >&2
find docs -type f -name '*.md' | LC_ALL=C sort | sed 's/^/    /' >&2
