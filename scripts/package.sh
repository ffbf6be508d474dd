#!/usr/bin/env bash
# scripts/package.sh: builds Tickstream's release, the zip Grafana installs.
#
#   scripts/package.sh              the release: mage -v (all six platforms,
#                                   minutes when cold), npm run build, the
#                                   catalog docs, signing when
#                                   GRAFANA_ACCESS_POLICY_TOKEN is set, then
#                                   artifacts/<id>-<version>.zip with .sha1
#                                   and .sha256 beside it
#   scripts/package.sh --from-dist  no build but the docs': packs dist/ as it
#                                   is, with the executable of this machine
#                                   only, into .cache/package-test/ (what
#                                   scripts/test.sh runs after its own build)
#
# The catalog docs step is what @grafana/plugin-docs-cli's validate and build
# do at release (pluginzip docs, offline): it checks docs/ against the
# catalog's docs rules and writes its pages, images and manifest.json into
# dist/docs/.
#
# Either way the zip is checked (internal/release, cmd/pluginzip): one folder
# named after the plugin id; plugin.json, module.js and its source map,
# README.md, CHANGELOG.md, LICENSE, the logos, the catalog docs (docs/:
# pages, images and a manifest.json listing exactly those pages),
# go_plugin_build_manifest and gpx_streaming_<os>_<arch>[.exe] and nothing
# else; executables 0755, other files 0644; plugin.json carrying
# package.json's version and a build date;
# each executable of its platform's format without debug information; the
# checksums right; and the plugin catalog's review rules that need no network
# (README.md, "Catalog review rules": plugin.json's schema, logos and
# screenshots, README links, source map, grafanaDependency, MANIFEST.txt).
# The release also checks that go_plugin_build_manifest and the docs'
# manifest match the sources.
# Any problem: exit status 1, with every problem listed.
#
# Options:
#   --from-dist   see above
#   --out DIR     where the zip and its checksums go
# Settings (environment):
#   GRAFANA_ACCESS_POLICY_TOKEN  sign the release (npm run sign) before zipping
#   SOURCE_DATE_EPOCH            modification time of the zip's entries
#   CI=true                      always run "npm ci" first
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "package.sh: $*" >&2; }
die() {
	say "$*"
	exit 1
}

FROM_DIST=0
OUT=""
while [ $# -gt 0 ]; do
	case "$1" in
	--from-dist) FROM_DIST=1 ;;
	--out)
		[ $# -ge 2 ] || die "--out needs a folder"
		OUT="$2"
		shift
		;;
	--out=*) OUT="${1#--out=}" ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
	shift
done

# shellcheck source=scripts/ensure-tools.sh
. "$ROOT/scripts/ensure-tools.sh" || die "no usable Go or mage (see the message above)"
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

step() { echo >&2; say "==> $*"; }

if [ "$FROM_DIST" = 1 ]; then
	[ -n "$OUT" ] || OUT="$ROOT/.cache/package-test"
	[ -f dist/plugin.json ] || die "dist/ holds no build; run scripts/test.sh (or mage -v build:linux and npm run build) first"
	rm -rf "$OUT"
	step "catalog docs: checking docs/ and building it into dist/docs/"
	go run ./internal/release/cmd/pluginzip docs -root "$ROOT" -dist "$ROOT/dist"
	step "packing dist/ as it is, this machine's executable only, into $OUT"
	exec go run ./internal/release/cmd/pluginzip pack -root "$ROOT" -dist "$ROOT/dist" -out "$OUT" -platforms host
fi

[ -n "$OUT" ] || OUT="$ROOT/artifacts"
# shellcheck source=scripts/ensure-node.sh
. "$ROOT/scripts/ensure-node.sh" || die "no usable Node.js (see the message above)"

if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null || true)" ]; then
	say "warning: the working tree has uncommitted changes; a release should be built from a clean checkout of its tag"
fi

T0=$SECONDS
if [ "${CI:-}" = true ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	step "npm ci"
	npm ci
fi
step "mage -v (backend for all six platforms)"
mage -v
step "npm run build (production frontend)"
npm run build
step "catalog docs: checking docs/ and building it into dist/docs/"
go run ./internal/release/cmd/pluginzip docs -root "$ROOT" -dist "$ROOT/dist"

if [ -n "${GRAFANA_ACCESS_POLICY_TOKEN:-}" ]; then
	step "npm run sign (GRAFANA_ACCESS_POLICY_TOKEN is set)"
	npm run sign
else
	say "not signing: GRAFANA_ACCESS_POLICY_TOKEN is not set (Grafana then loads the plugin only when allow_loading_unsigned_plugins names it)"
fi

step "packing and checking the release into $OUT"
mkdir -p "$OUT"
go run ./internal/release/cmd/pluginzip pack -root "$ROOT" -dist "$ROOT/dist" -out "$OUT" -platforms all -source "$ROOT"
say "release built in $((SECONDS - T0))s:"
ls -l "$OUT" >&2
