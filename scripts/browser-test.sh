#!/usr/bin/env bash
# scripts/browser-test.sh: the browser suite (tests/browser/). Loads the
# production dist/module.js in Debian's Chromium the way Grafana loads a
# plugin (SystemJS, with React, @grafana/* and the other shared packages
# provided by the page) and checks the query editor and the settings page as a
# user sees them. Needs no Grafana server and no network.
#
#   scripts/browser-test.sh                       check the dist/ that is there
#   scripts/browser-test.sh --update-screenshots  build dist/ (npm run build),
#       check it, and copy the screenshots into src/img/screenshots/ and docs/img/
#
# Installs Debian's chromium with apt-get when /usr/bin/chromium is missing
# (as root); playwright-core drives it, and never downloads a browser.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

update=false
case "${1:-}" in
"") ;;
--update-screenshots) update=true ;;
*)
	echo "browser-test.sh: unknown argument '$1'; the only option is --update-screenshots" >&2
	exit 2
	;;
esac

# shellcheck source=scripts/ensure-node.sh
. "$ROOT/scripts/ensure-node.sh"

if [ ! -x /usr/bin/chromium ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "browser-test.sh: /usr/bin/chromium is missing; install Debian's chromium package (apt-get install -y chromium)" >&2
		exit 1
	fi
	echo "browser-test.sh: /usr/bin/chromium is missing: installing Debian's chromium package on this system with apt-get (once; a few hundred MB)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null ||
		{ apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null; }
fi

if $update; then
	npm run build
fi
if [ ! -f dist/module.js ]; then
	echo "browser-test.sh: dist/module.js is missing: run 'npm run build' first" >&2
	exit 1
fi

node tests/browser/run.mjs

if $update; then
	# The catalog's screenshots (plugin.json) and the docs pages' images
	# (docs/img/, which the docs must hold themselves) are the same pictures.
	mkdir -p src/img/screenshots docs/img
	cp .cache/browser/screenshots/*.png src/img/screenshots/
	cp .cache/browser/screenshots/*.png docs/img/
	echo "browser-test.sh: screenshots copied into src/img/screenshots/ and docs/img/; look at them before committing"
fi
