#!/usr/bin/env bash
# scripts/test.sh: every test Tickstream has, as CI runs it (bash .ci/run).
#
# Works from any directory and from a fresh clone: it provides Node >= 22.18
# (scripts/ensure-node.sh) and mage (scripts/ensure-tools.sh), installs the
# dependencies, then type-checks, lints and tests the frontend and the backend,
# builds the plugin, checks the release zip's layout from that build and runs
# the integration suite (internal/host) against the built executable; gosec
# (scripts/gosec.sh) and the plugin catalog's code rules (internal/coderules)
# check the code as the catalog's validator does, at its versions
# (scripts/versions.sh). It installs what it needs: gcc and shellcheck
# (scripts/system-packages.sh, as root), gosec into .cache/tools, chromium
# (scripts/browser-test.sh). While npm ci and the frontend steps run, the Go
# builds of the later steps run in the background (scripts/warm-go-cache.sh). It stops at the first failing step and
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
WARM_PID=""
WARM_MARKS=""
# The EXIT trap also stops the Go cache warm-up (below) if the run ends
# before it does; summary reads the exit status from $?, kept for it.
trap 'rc=$?; set +e; [ -z "$WARM_PID" ] || kill -- -"$WARM_PID" 2>/dev/null; [ -z "$WARM_MARKS" ] || rm -rf "$WARM_MARKS"; (exit "$rc"); summary' EXIT
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
run_step "system packages: gcc, shellcheck (scripts/system-packages.sh)" bash scripts/system-packages.sh
run_step "go mod download" go mod download

# The Go builds of the backend steps, started now in the background (niced,
# in its own process group) while npm ci and the frontend steps below keep
# about one core busy. Each Go step first waits for its part of it
# (with_warm), so it finds its build done or finishes it. Its log:
# .cache/warm-go-cache.log.
mkdir -p "$ROOT/.cache"
WARM_LOG="$ROOT/.cache/warm-go-cache.log"
WARM_MARKS="$(mktemp -d "${TMPDIR:-/tmp}/warm-marks.XXXXXX")"
export WARM_MARKS
setsid nice -n 10 bash "$ROOT/scripts/warm-go-cache.sh" >"$WARM_LOG" 2>&1 </dev/null &
WARM_PID=$!
echo
echo "(the Go build cache warm-up runs in the background from here: $WARM_LOG)"

# with_warm PART COMMAND...: waits until the warm-up has done PART (or has
# ended, or is gone), says how long that took, then runs COMMAND.
with_warm() {
	local part=$1 start=$SECONDS state
	shift
	while [ ! -e "$WARM_MARKS/$part" ] && [ ! -e "$WARM_MARKS/exit" ]; do
		state="$(awk '{ print $3 }' "/proc/$WARM_PID/stat" 2>/dev/null || true)"
		if [ -z "$state" ] || [ "$state" = Z ]; then
			break
		fi
		sleep 1
	done
	echo "(waited $((SECONDS - start))s for the Go build cache warm-up's $part builds)"
	"$@"
}

run_step "npm ci" npm_install

# --- quick checks of this folder's own scripts and files ---------------------

run_step "provisioning and shipped dashboards (scripts/check-provisioning.mjs)" node scripts/check-provisioning.mjs
if command -v shellcheck >/dev/null 2>&1; then
	run_step "shellcheck scripts" shellcheck -x scripts/*.sh .ci/run
else
	skip_step "shellcheck scripts" "shellcheck is not installed and this is not root with apt-get (apt-get install -y shellcheck)"
fi
run_step "start.sh behaviour (scripts/start_test.sh)" bash scripts/start_test.sh
run_step "step bookkeeping and summary (scripts/steps_test.sh)" bash scripts/steps_test.sh

# --- frontend ---------------------------------------------------------------

run_step "npm run typecheck" npm run typecheck
run_step "npm run lint" npm run lint
run_step "jest (npx jest --ci)" npx --no-install jest --ci

# --- backend ----------------------------------------------------------------

run_step "go vet ./..." with_warm plain go vet ./...
run_step "gosec, failing on HIGH (scripts/gosec.sh)" with_warm gosec bash scripts/gosec.sh
run_step "catalog code rules on pkg/ and src/ but tests (internal/coderules)" go run ./internal/coderules/cmd/coderules

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
run_step "go test -race (all packages but ./internal/host)" with_warm race go_unit_tests
run_step "fuzz every target briefly (scripts/fuzz.sh ${TICKSTREAM_FUZZTIME:-8s})" with_warm fuzz bash scripts/fuzz.sh "${TICKSTREAM_FUZZTIME:-8s}"

# --- build ------------------------------------------------------------------

run_step "mage -v $MAGE_TARGET" with_warm static mage -v "$MAGE_TARGET"

# The warm-up has ended (its last part is the one mage waited for): reap it,
# in this shell, whose child it is, and show its log.
begin "Go build cache warm-up (scripts/warm-go-cache.sh, in the background since go mod download)"
wait "$WARM_PID" || echo "(a warm-up build failed; the step that needed it built again and said why)"
WARM_PID=""
rm -rf "$WARM_MARKS"
WARM_MARKS=""
cat "$WARM_LOG"
end ok
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
