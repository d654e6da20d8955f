#!/usr/bin/env bash
# Prints the release notes of one version from CHANGELOG.md: the lines below
# its "## X.Y.Z ..." heading, up to the next "## " heading.
#   scripts/release-notes.sh 0.1.0          the notes, whatever the heading says
#   scripts/release-notes.sh --final 0.1.0  also fail while the heading still
#                                           says "(Unreleased)" (release.yml)
set -euo pipefail
cd "$(dirname "$0")/.."

final=
if [ "${1:-}" = --final ]; then
	final=1
	shift
fi
version=${1:?usage: release-notes.sh [--final] X.Y.Z}
version=${version#v}

heading=$(grep -m1 -E "^## ${version//./\\.}( |$)" CHANGELOG.md) ||
	{ echo "release-notes.sh: CHANGELOG.md has no heading \"## $version\"" >&2; exit 1; }
if [ -n "$final" ] && grep -qi 'unreleased' <<<"$heading"; then
	echo "release-notes.sh: CHANGELOG.md still says \"$heading\": give it the release date first (RELEASING.md)" >&2
	exit 1
fi
notes=$(awk -v h="$heading" '
	$0 == h { inside = 1; next }
	inside && /^## / { exit }
	inside { print }
' CHANGELOG.md | sed -e '/./,$!d')
[ -n "$notes" ] || { echo "release-notes.sh: \"$heading\" has no notes" >&2; exit 1; }
printf '%s\n' "$notes"
