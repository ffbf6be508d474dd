#!/usr/bin/env bash
# scripts/warm-go-cache.sh: builds, without running anything, what the Go
# steps of scripts/test.sh will build, so that they find it in the Go build
# cache. scripts/test.sh starts it in the background (niced) before its
# frontend steps, which keep about one core busy (tsc, eslint and jest's one
# worker on a 2-core machine), and waits for it before its first Go step;
# on a warm cache it takes seconds. Each build is the same compile as the
# step's: the race-enabled test binaries ("go test -race"), the fuzzing
# build of pkg/plugin (scripts/fuzz.sh; it instruments the whole plugin
# SDK), the executable's configuration (mage: no cgo, the SDK's build tag)
# and the plain one (go vet, gosec, coderules), and it installs gosec
# (scripts/gosec.sh). A build that fails here fails again, with its message,
# in its own step, so this only reports it.
set -uo pipefail
# (no -e: every build runs, and build reports each one's failure)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
failed=0

build() { # build WHAT COMMAND...
	local what=$1 start=$SECONDS
	shift
	if "$@"; then
		echo "warm-go-cache: $what in $((SECONDS - start))s"
	else
		echo "warm-go-cache: $what FAILED (its step will say why)"
		failed=1
	fi
}

# The compiles, not the links (go caches compiled packages, not linked
# binaries): "go list -export" compiles each package, tests included with
# -test, as a build of them would, and links nothing.
# shellcheck disable=SC2317 # called through build "$@"
race_builds() { go list -race -test -export ./... >/dev/null; }
# shellcheck disable=SC2317
plain_builds() { go list -test -export ./... >/dev/null; }

build "race-enabled test builds" race_builds
build "pkg/plugin's fuzzing build" go test -c -fuzz=FuzzQueryData -o "$OUT/fuzz.test" ./pkg/plugin
build "gosec" bash scripts/gosec.sh --install-only
build "the executable's configuration" env CGO_ENABLED=0 go build -tags arrow_json_stdlib -o "$OUT/gpx" ./pkg
build "plain builds (go vet, gosec, coderules)" plain_builds
exit "$failed"
