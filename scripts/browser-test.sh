#!/usr/bin/env bash
# scripts/browser-test.sh: the browser suite (tests/browser/). Checks that
# dist/module.js has none of the constructs React 19 removed (the catalog's
# reactcompat check, internal/reactcompat), then loads it in Debian's
# Chromium the way Grafana loads a plugin (SystemJS, with React, @grafana/*
# and the other shared packages provided by the page) and checks the query
# editor and the settings page as a user sees them, once for each supported
# Grafana line (tests/browser/lines.mjs: 12.4 with React 18, 13.2 with
# React 19). Needs no Grafana server; the network only for the first install
# of an older line's packages (npm ci from the npm registry, cached in
# .cache/browser/<line>/ until its package-lock.json changes).
#
#   scripts/browser-test.sh                       check the dist/ that is there
#   scripts/browser-test.sh --update-screenshots  build dist/ (npm run build),
#       check it, and copy the newest line's screenshots into
#       src/img/screenshots/ and docs/img/
#   TICKSTREAM_BROWSER_LINES="12.4"               only these lines (default: all)
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

go run ./internal/reactcompat/cmd/reactcompat dist

# install_line DIR: installs the packages of an older Grafana line
# (tests/browser/lines/<name>/) into .cache/browser/<name>/ with npm ci, unless
# that folder already holds an install of the same package-lock.json.
install_line() {
	local src="$1" name dest stamp want
	name="$(basename "$src")"
	dest=".cache/browser/$name"
	stamp="$dest/node_modules/.tickstream-lock.sha256"
	want="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	echo "browser-test.sh: installing the packages of Grafana $name (npm ci into $dest)"
	mkdir -p "$dest"
	cp "$src/package.json" "$src/package-lock.json" "$dest/"
	# --ignore-scripts: the page needs no package's install script, and npm
	# asks about every unreviewed one. --prefer-offline: npm's cache first.
	(cd "$dest" && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error) ||
		{ echo "browser-test.sh: npm ci of $src failed (it needs the npm registry the first time)" >&2; exit 1; }
	echo "$want" >"$stamp"
}
for src in tests/browser/lines/*/; do
	install_line "${src%/}"
	# The shipped frontend against that line's types: what 12.4 lacks fails here.
	echo "browser-test.sh: type-checking src/ against the packages of Grafana $(basename "$src")"
	npx --no-install tsc -p "${src}tsconfig.json"
done

# shellcheck disable=SC2086 # the names of the lines are words
node tests/browser/run.mjs ${TICKSTREAM_BROWSER_LINES:-}

if $update; then
	# The catalog's screenshots (plugin.json) and the docs pages' images
	# (docs/img/, which the docs must hold themselves) are the same pictures,
	# taken on the newest line.
	newest="$(node --input-type=module -e "import { LINES } from './tests/browser/lines.mjs'; console.log(LINES.at(-1).name)")"
	mkdir -p src/img/screenshots docs/img
	cp ".cache/browser/$newest/screenshots/"*.png src/img/screenshots/
	cp ".cache/browser/$newest/screenshots/"*.png docs/img/
	echo "browser-test.sh: screenshots copied into src/img/screenshots/ and docs/img/; look at them before committing"
fi
