#!/usr/bin/env bash
# scripts/soak.sh: Tickstream's soak test (issue 5), not part of test.sh.
#
# Builds the plugin (./pkg, or uses $TICKSTREAM_PLUGIN_BINARY) and
# internal/bench/cmd/ticksoak, then runs the soak from the module root: by
# default 2,000 streams for 10 minutes through the plugin protocol, sampling
# the plugin's CPU, RSS, goroutines and files every 10 s, checking that RSS
# is flat after the warm-up (least-squares slope) and that no stream lost,
# repeated or mangled a tick. Prints a Markdown report; exits 1 when a check
# fails. Flags pass through (scripts/soak.sh -h lists them):
#
#   scripts/soak.sh                                    # the full soak (~11 min)
#   scripts/soak.sh -streams 200 -duration 1m          # a quick check
#   scripts/soak.sh -report /tmp/soak.md               # keep the report
#   TICKSTREAM_SOAK_REV=HEAD scripts/soak.sh           # the plugin as committed
#
# The plugin comes from $TICKSTREAM_PLUGIN_BINARY when set; else, with
# TICKSTREAM_SOAK_REV, from that commit (git archive, so uncommitted work in
# this tree is left out and the report names the commit); else from ./pkg
# as it is in this tree.
#
# Record a full run's report in developers/soak.md. Run it on an otherwise idle
# machine: the CPU figures are the plugin's own, but a busy machine delays
# ticks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN_DIR="$(mktemp -d)"
trap 'rm -rf "$BIN_DIR"' EXIT
if [ -z "${TICKSTREAM_PLUGIN_BINARY:-}" ]; then
	if [ -n "${TICKSTREAM_SOAK_REV:-}" ]; then
		rev="$(git rev-parse --short "$TICKSTREAM_SOAK_REV^{commit}")"
		mkdir "$BIN_DIR/src"
		git archive "$rev" | tar -x -C "$BIN_DIR/src"
		(cd "$BIN_DIR/src" && go build -o "$BIN_DIR/gpx_streaming" ./pkg)
		set -- -commit "$rev" "$@"
	else
		go build -o "$BIN_DIR/gpx_streaming" ./pkg
	fi
	export TICKSTREAM_PLUGIN_BINARY="$BIN_DIR/gpx_streaming"
fi
go build -o "$BIN_DIR/ticksoak" ./internal/bench/cmd/ticksoak
"$BIN_DIR/ticksoak" "$@"
