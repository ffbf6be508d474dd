#!/usr/bin/env bash
# scripts/warm-go-cache.sh: builds, without running anything, what the Go
# steps of scripts/test.sh will build, so that they find it in the Go build
# cache. scripts/test.sh starts it in the background (niced) before its
# frontend steps, which keep about one core busy (tsc, eslint and jest's one
# worker on a 2-core machine); on a warm cache it takes seconds. Each build
# is the same compile as a step's, in the order of the steps: the plain one
# (go vet, gosec, coderules), gosec's install (scripts/gosec.sh), the
# race-enabled test builds ("go test -race"), the fuzzing build of
# pkg/plugin (scripts/fuzz.sh; it instruments the whole plugin SDK) and the
# executable's configuration (mage: no cgo, the SDK's build tag). After each
# it writes $WARM_MARKS/<part> (plain, gosec, race, fuzz, static), and
# $WARM_MARKS/exit when it ends, so that a step waits for its part only
# (scripts/test.sh's with_warm). A build that fails here fails again, with
# its message, in its own step, so this only reports it.
set -uo pipefail
# (no -e: every build runs, and build reports each one's failure)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
OUT="$(mktemp -d)"
MARKS="${WARM_MARKS:-$OUT/marks}"
mkdir -p "$MARKS"
trap 'rm -rf "$OUT"; : >"$MARKS/exit"' EXIT
failed=0

build() { # build PART WHAT COMMAND...
	local part=$1 what=$2 start=$SECONDS
	shift 2
	if "$@"; then
		echo "warm-go-cache: $what in $((SECONDS - start))s"
	else
		echo "warm-go-cache: $what FAILED (its step will say why)"
		failed=1
	fi
	: >"$MARKS/$part"
}

# The compiles, not the links (go caches compiled packages, not linked
# binaries): "go list -export" compiles each package, tests included with
# -test, as a build of them would, and links nothing.
# shellcheck disable=SC2317 # called through build "$@"
race_builds() { go list -race -test -export ./... >/dev/null; }
# shellcheck disable=SC2317
plain_builds() { go list -test -export ./... >/dev/null; }

build plain "plain builds (go vet, gosec, coderules)" plain_builds
build gosec "gosec" bash scripts/gosec.sh --install-only
build race "race-enabled test builds" race_builds
build fuzz "pkg/plugin's fuzzing build" go test -c -fuzz=FuzzQueryData -o "$OUT/fuzz.test" ./pkg/plugin
build static "the executable's configuration" env CGO_ENABLED=0 go build -tags arrow_json_stdlib -o "$OUT/gpx" ./pkg
exit "$failed"
