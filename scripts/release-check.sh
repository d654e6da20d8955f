#!/usr/bin/env bash
# Proves that a tagged release would work, without publishing anything:
#   1. `goreleaser check` of .goreleaser.yml;
#   2. every target of its release matrix is a platform this Go builds
#      (`go tool dist list`) and the provider's packages resolve for it;
#   3. a snapshot release of linux_amd64 and darwin_arm64 (the full matrix
#      would take many minutes on a small machine), signed with a throwaway
#      GPG key, then checked as the Terraform and OpenTofu registries check
#      it: archive names, the binary name inside each archive, SHA256SUMS
#      listing exactly the archives and the manifest, and its .sig;
#   4. scripts/release-notes.sh finds the notes of CHANGELOG.md's top version.
# The snapshot is left in dist/ (gitignored). Usage:
#   scripts/release-check.sh path/to/goreleaser
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser=${1:?usage: release-check.sh GORELEASER}
name=terraform-provider-solarnetwork
snapshot_targets=(linux_amd64 darwin_arm64)

fail() {
	echo "release-check: $*" >&2
	exit 1
}

work=$(mktemp -d)
export GNUPGHOME="$work/gnupg"
cleanup() {
	status=$?
	if [ -d "$GNUPGHOME" ]; then
		gpgconf --kill all >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
	if [ "$status" -ne 0 ]; then
		echo "release-check: FAILED (exit $status)" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> goreleaser check ($("$goreleaser" --version 2>/dev/null | sed -n 's/^GitVersion: *//p'))"
"$goreleaser" check

echo "==> The release matrix against go tool dist list ($(go env GOVERSION))"
# The target lines: "      - os_arch" between "targets:" and the next key.
mapfile -t targets < <(awk '
	/^    targets:[[:space:]]*$/ { inside = 1; next }
	inside && /^      - [a-z0-9]+_[a-z0-9]+[[:space:]]*$/ { print $2; next }
	inside && /^[[:space:]]*#/ { next }
	inside { inside = 0 }
' .goreleaser.yml)
[ "${#targets[@]}" -gt 0 ] || fail "no build targets found in .goreleaser.yml (expected a builds[].targets list)"
dist_list=$(go tool dist list)
for target in "${targets[@]}"; do
	platform=${target/_//}
	grep -qx "$platform" <<<"$dist_list" || fail "$target is in .goreleaser.yml but Go $(go env GOVERSION) cannot build $platform"
	GOOS=${platform%/*} GOARCH=${platform#*/} CGO_ENABLED=0 go list -deps . >/dev/null ||
		fail "the provider's packages do not resolve for $platform"
done
echo "    ${#targets[@]} targets: ${targets[*]}"
for target in "${snapshot_targets[@]}"; do
	printf '%s\n' "${targets[@]}" | grep -qx "$target" || fail "snapshot target $target is not in the release matrix"
done

echo "==> A throwaway signing key"
mkdir -m 700 "$GNUPGHOME"
# RSA, as the Terraform Registry requires of provider signing keys.
gpg --batch --quiet --passphrase '' --quick-generate-key "release-check <release-check@localhost>" rsa2048 sign 1d 2>/dev/null
fingerprint=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
[ -n "$fingerprint" ] || fail "generating the throwaway GPG key failed"

echo "==> goreleaser release --snapshot for ${snapshot_targets[*]}"
# The same configuration with only the snapshot targets left in the matrix.
awk -v keep=" ${snapshot_targets[*]} " '
	/^    targets:[[:space:]]*$/ { inside = 1; print; next }
	inside && /^      - / { if (index(keep, " " $2 " ")) print; next }
	inside && /^[[:space:]]*#/ { print; next }
	{ inside = 0; print }
' .goreleaser.yml >"$work/goreleaser.yml"
changes=$(diff .goreleaser.yml "$work/goreleaser.yml" | grep -e '^<' -e '^>' || true)
[ "$(grep -c '^<' <<<"$changes")" -eq $((${#targets[@]} - ${#snapshot_targets[@]})) ] && ! grep -q '^>' <<<"$changes" ||
	fail "deriving the snapshot configuration changed more than the target list"
GPG_FINGERPRINT=$fingerprint "$goreleaser" release --snapshot --clean --skip=publish \
	--parallelism 2 --timeout 20m --config "$work/goreleaser.yml" >"$work/goreleaser.log" 2>&1 ||
	{ cat "$work/goreleaser.log" >&2; fail "goreleaser release --snapshot failed"; }

echo "==> Checking the release assets as the registries would"
version=$(jq -r .version dist/metadata.json)
[ -n "$version" ] && [ "$version" != null ] || fail "dist/metadata.json has no version"
prefix="${name}_${version}"
# The assets of the GitHub release: dist/'s archives, SHA256SUMS and .sig,
# and the manifest, which release.extra_files uploads under this name.
assets="$work/assets"
mkdir "$assets"
cp terraform-registry-manifest.json "$assets/${prefix}_manifest.json"
expected=("${prefix}_manifest.json")
for target in "${snapshot_targets[@]}"; do
	zip="${prefix}_${target}.zip"
	[ -s "dist/$zip" ] || fail "no dist/$zip"
	cp "dist/$zip" "$assets/"
	binary="${name}_v${version}"
	unzip -Z1 "$assets/$zip" | grep -qx "$binary" || fail "$zip has no $binary"
	mkdir -p "$work/unzipped/$target"
	unzip -q -o "$assets/$zip" "$binary" -d "$work/unzipped/$target"
	magic=$(od -An -tx1 -N4 "$work/unzipped/$target/$binary" | tr -d ' \n')
	case $target:$magic in
	linux_*:7f454c46 | darwin_*:cffaedfe) ;;
	*) fail "$binary in $zip is not a $target executable (magic $magic)" ;;
	esac
	expected+=("$zip")
done
sums="${prefix}_SHA256SUMS"
for f in "$sums" "$sums.sig"; do
	[ -s "dist/$f" ] || fail "no dist/$f"
	cp "dist/$f" "$assets/"
done
gpg --batch --quiet --verify "$assets/$sums.sig" "$assets/$sums" 2>/dev/null || fail "$sums.sig does not verify $sums"
listed=$(awk '{ print $2 }' "$assets/$sums" | LC_ALL=C sort)
[ "$listed" = "$(printf '%s\n' "${expected[@]}" | LC_ALL=C sort)" ] ||
	fail "$sums lists $(echo "$listed" | tr '\n' ' '), expected ${expected[*]}"
(cd "$assets" && sha256sum --quiet -c "$sums") || fail "checksums in $sums do not match the assets"
grep -q 'name_template: "{{ .ProjectName }}_{{ .Version }}_manifest.json"' .goreleaser.yml ||
	fail ".goreleaser.yml does not upload the manifest as ${name}_VERSION_manifest.json"
ls "$assets" | sed 's/^/    /'

echo "==> Release notes of CHANGELOG.md's top version"
top=$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' CHANGELOG.md | head -1)
[ -n "$top" ] || fail "CHANGELOG.md has no version heading (## X.Y.Z)"
notes=$(scripts/release-notes.sh "$top") || fail "scripts/release-notes.sh $top failed"
grep -q '^FEATURES:' <<<"$notes" || fail "the notes of $top have no FEATURES: section"
echo "    $top: $(wc -l <<<"$notes") lines"
echo "==> release-check passed"
