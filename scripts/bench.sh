#!/usr/bin/env bash
# scripts/bench.sh: Tickstream's performance bench (issue 4).
#
# Builds internal/bench/cmd/tickbench and runs it from the module root: it
# builds Tickstream (./pkg), the tutorial-style baseline plugin and the echo
# plugin, runs the scenarios on each through the plugin protocol, runs the Go
# benchmarks of ./pkg/..., prints a table and writes developers/benchmarks.md.
# Flags pass through (scripts/bench.sh -h lists them). Not part of test.sh.
# scripts/bench.sh -accept is issue 22's acceptance run in one command:
# scenarios a,b,c,d,f,g with -long, and h (echo, baseline and Tickstream at
# 10,000 streams × 1 s side by side, 3 rounds of 60 s windows, medians).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN_DIR="$(mktemp -d)"
trap 'rm -rf "$BIN_DIR"' EXIT
go build -o "$BIN_DIR/tickbench" ./internal/bench/cmd/tickbench
"$BIN_DIR/tickbench" "$@"
