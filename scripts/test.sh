#!/usr/bin/env bash
# scripts/test.sh: every test Tickstream has, as CI runs it (bash .ci/run).
#
# Works from any directory and from a fresh clone: it provides Node >= 22.18
# (scripts/ensure-node.sh) and mage (scripts/ensure-tools.sh), installs the
# dependencies, then type-checks, lints and tests the frontend and the backend,
# builds the plugin, checks the release zip's layout from that build and runs
# the integration suite (internal/host) against the built executable; gosec
# (scripts/gosec.sh) and the plugin catalog's code rules (internal/coderules)
# check the Go and the shipped code. It stops at the first failing step and
# always ends with a summary, which names every step that was skipped.
# Nothing here needs Docker or a Grafana server.
#
# Settings:
#   TICKSTREAM_NPM_CI=1  run "npm ci" even when node_modules is up to date
#                        (it always runs when CI=true).
#   TICKSTREAM_FUZZTIME  time per fuzz target (default 8s; scripts/fuzz.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=scripts/steps.sh
. "$ROOT/scripts/steps.sh"
T0=$SECONDS
trap summary EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

GOARCH_HOST="$(uname -m)"
case "$GOARCH_HOST" in
x86_64 | amd64) MAGE_TARGET=build:linux BINARY="$ROOT/dist/gpx_streaming_linux_amd64" ;;
aarch64 | arm64) MAGE_TARGET=build:linuxARM64 BINARY="$ROOT/dist/gpx_streaming_linux_arm64" ;;
*)
	echo "test.sh: unsupported machine $GOARCH_HOST (Linux amd64 and arm64 are supported)" >&2
	exit 2
	;;
esac
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# --- toolchain: these change PATH, so they run in this shell -----------------

begin "node >= 22.18 (scripts/ensure-node.sh)"
# shellcheck source=scripts/ensure-node.sh
. "$ROOT/scripts/ensure-node.sh" || fail 1 "no usable Node.js (see the message above)"
echo "node $(node -v) at $(command -v node), npm $(npm -v)"
end ok

begin "go and mage (scripts/ensure-tools.sh)"
# shellcheck source=scripts/ensure-tools.sh
. "$ROOT/scripts/ensure-tools.sh" || fail 1 "no usable Go or mage (see the message above)"
echo "$(go version), $(mage -version | head -n1)"
end ok

# --- dependencies -----------------------------------------------------------

npm_install() {
	local why=""
	if [ "${CI:-}" = true ]; then
		why="CI=true"
	elif [ "${TICKSTREAM_NPM_CI:-}" = 1 ]; then
		why="TICKSTREAM_NPM_CI=1"
	elif [ ! -f node_modules/.package-lock.json ]; then
		why="no node_modules"
	elif [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
		why="package-lock.json changed since the last install"
	fi
	if [ -n "$why" ]; then
		echo "npm ci ($why)"
		npm ci
	else
		echo "node_modules is up to date with package-lock.json: npm ci not needed (TICKSTREAM_NPM_CI=1 forces it)"
	fi
	# npm 11 does not run install scripts that allowScripts does not cover;
	# @swc/core (jest's and webpack's compiler) must still load its native binding.
	node -e "require('@swc/core').transformSync('const a = 1;', {}); console.log('@swc/core ' + require('@swc/core/package.json').version + ' loads')"
}
run_step "npm ci" npm_install
run_step "go mod download" go mod download

# --- quick checks of this folder's own scripts and files ---------------------

run_step "provisioning files parse (scripts/check-provisioning.mjs)" node scripts/check-provisioning.mjs
if command -v shellcheck >/dev/null 2>&1; then
	run_step "shellcheck scripts" shellcheck -x scripts/*.sh .ci/run
else
	skip_step "shellcheck scripts" "shellcheck is not installed (apt-get install -y shellcheck)"
fi
run_step "start.sh behaviour (scripts/start_test.sh)" bash scripts/start_test.sh
run_step "step bookkeeping and summary (scripts/steps_test.sh)" bash scripts/steps_test.sh

# --- frontend ---------------------------------------------------------------

run_step "npm run typecheck" npm run typecheck
run_step "npm run lint" npm run lint
run_step "jest (npx jest --ci)" npx --no-install jest --ci

# --- backend ----------------------------------------------------------------

run_step "go vet ./..." go vet ./...
run_step "gosec, failing on HIGH (scripts/gosec.sh)" bash scripts/gosec.sh
run_step "catalog code rules in shipped Go and TypeScript (internal/coderules)" go run ./internal/coderules/cmd/coderules

go_unit_tests() {
	local module pkgs
	if [ "$(go env CGO_ENABLED)" != 1 ] || ! command -v "$(go env CC)" >/dev/null 2>&1; then
		echo "go test -race needs cgo and a C compiler ($(go env CC)); install one: apt-get install -y gcc" >&2
		return 1
	fi
	module="$(go list -m)"
	# The integration suite runs on its own below, against the built executable.
	pkgs="$(go list ./... | grep -vx "$module/internal/host")"
	# shellcheck disable=SC2086 # one package per word
	go test -race -timeout 5m $pkgs
}
run_step "go test -race (all packages but ./internal/host)" go_unit_tests
run_step "fuzz every target briefly (scripts/fuzz.sh ${TICKSTREAM_FUZZTIME:-8s})" bash scripts/fuzz.sh "${TICKSTREAM_FUZZTIME:-8s}"

# --- build ------------------------------------------------------------------

run_step "mage -v $MAGE_TARGET" mage -v "$MAGE_TARGET"
run_step "npm run build" npm run build
run_step "browser suite on dist/module.js, each Grafana line (scripts/browser-test.sh)" bash scripts/browser-test.sh
# The release zip's layout, from the dist/ just built (this machine's
# executable only; scripts/package.sh without --from-dist checks all six).
run_step "package layout (scripts/package.sh --from-dist)" bash scripts/package.sh --from-dist

# --- integration ------------------------------------------------------------

integration() {
	if [ ! -x "$BINARY" ]; then
		echo "the backend executable $BINARY is missing after the build" >&2
		return 1
	fi
	TICKSTREAM_PLUGIN_BINARY="$BINARY" go test -race -count=1 -timeout 8m ./internal/host
}
run_step "integration suite (go test -race ./internal/host)" integration
