#!/usr/bin/env bash
# scripts/fuzz.sh: runs every Go fuzz target of ./pkg/... for a while, one
# target per `go test -fuzz` invocation (go fuzzes one target at a time), as
# many targets at once as the machine has cores, each on one fuzzing worker
# (-parallel 1): the same fuzzing CPU as one target at a time on every core,
# while one target's build and start-up overlap the others' fuzzing.
#
#   scripts/fuzz.sh          8 s of fuzzing per target (what scripts/test.sh runs)
#   scripts/fuzz.sh 10m      the long run; record its result in developers/fuzzing.md
#   FUZZ_TARGETS='FuzzParse FuzzQueryData' scripts/fuzz.sh 1m   only those
#   FUZZ_JOBS=1 scripts/fuzz.sh   one target at a time
#
# The argument is a go duration (-fuzztime). Targets are the
# `func FuzzXxx(f *testing.F)` declarations in pkg/**/*_test.go, so a new
# one runs without editing this file; pkg/plugin's go first, since building
# a fuzzing test binary instruments every package it imports (the whole
# plugin SDK for pkg/plugin: minutes on a cold Go build cache). New
# interesting inputs stay in go's cache ($(go env GOCACHE)/fuzz); an input
# that fails is written to the package's testdata/fuzz/<target>/, where it
# becomes a regression case of plain `go test`: commit it with the fix.
# Prints one line per target as it ends, with its wall time (building
# included) and executions, and stops at the first failure. A bare "context
# deadline exceeded" at the end of the fuzz time with no failing input is
# go1.26's coordinator race (go.dev/issue/75804), noted and not counted as a
# failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FUZZTIME="${1:-8s}"
if ! [[ "$FUZZTIME" =~ ^[0-9]+[smhx]$ ]]; then
	echo "usage: scripts/fuzz.sh [time per target: a whole number of s, m or h, or a count Nx; default 8s]" >&2
	exit 2
fi

# go test's -timeout (10m by default) must outlast -fuzztime: the fuzz time
# plus 5 minutes for building and the baseline coverage; 1h for a count.
case "$FUZZTIME" in
*s) TIMEOUT=$((${FUZZTIME%s} + 300))s ;;
*m) TIMEOUT=$((${FUZZTIME%m} * 60 + 300))s ;;
*h) TIMEOUT=$((${FUZZTIME%h} * 3600 + 300))s ;;
*) TIMEOUT=1h ;;
esac

# "./dir target" pairs, from the sources (go test -list would build and
# start every test binary, internal/host's TestMain included).
list_targets() {
	grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' pkg |
		sed -E 's|^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*|./\1 \2|' |
		sort | awk '$1 == "./pkg/plugin" { print; next } { rest[n++] = $0 } END { for (i = 0; i < n; i++) print rest[i] }'
}

mapfile -t PAIRS < <(list_targets)
if [ "${#PAIRS[@]}" -eq 0 ]; then
	echo "fuzz.sh: no fuzz targets found under ./pkg/..." >&2
	exit 1
fi
JOBS="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
if ! [[ "$JOBS" =~ ^[1-9][0-9]*$ ]]; then
	echo "fuzz.sh: FUZZ_JOBS must be a positive whole number; got '$JOBS'" >&2
	exit 2
fi

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT

# fuzz_one PKG TARGET: one target, its output in $LOGS/TARGET.log; prints
# its result line, or the log and the failing input's folder and fails.
fuzz_one() {
	local pkg=$1 target=$2 log="$LOGS/$2.log" start=$SECONDS before after note="" last execs corpus
	before="$(ls "$pkg/testdata/fuzz/$target" 2>/dev/null || true)"
	if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -parallel 1 -timeout "$TIMEOUT" "$pkg" >"$log" 2>&1; then
		after="$(ls "$pkg/testdata/fuzz/$target" 2>/dev/null || true)"
		# go1.26's fuzz coordinator can report its own -fuzztime deadline as
		# a failure (go.dev/issue/75804, fixed in go1.27): "context deadline
		# exceeded" as the only error, no failing input written. That is not
		# a finding; anything else is.
		if [ "$before" = "$after" ] && ! grep -q 'Failing input written' "$log" &&
			[ "$(grep -c -- '--- FAIL' "$log")" = 1 ] && grep -qx '    context deadline exceeded' "$log"; then
			note="  (go.dev/issue/75804: the deadline reported as a failure at the end; no failing input)"
		else
			cat "$log"
			echo "fuzz.sh: $target ($pkg) FAILED; the failing input is under ${pkg#./}/testdata/fuzz/$target/" >&2
			return 1
		fi
	fi
	# The last progress line: "fuzz: elapsed: 8s, execs: 123 (15/sec), new interesting: 2 (total: 40)".
	last="$(grep '^fuzz: elapsed' "$log" | tail -n1 || true)"
	execs="$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' <<<"$last")"
	corpus="$(sed -n 's/.*(total: \([0-9]*\)).*/\1/p' <<<"$last")"
	printf '  ok  %-22s %-14s %5ss  %12s execs  corpus %s%s\n' "$target" "${pkg#./}" $((SECONDS - start)) "${execs:-baseline only}" "${corpus:-?}" "$note"
}

start=$SECONDS
ran=0
running=0
failed=0
for pair in "${PAIRS[@]}"; do
	pkg="${pair% *}"
	target="${pair#* }"
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $target "* ]]; then
		continue
	fi
	if [ "$running" -ge "$JOBS" ]; then
		wait -n || failed=1
		running=$((running - 1))
		[ "$failed" -eq 0 ] || break
	fi
	fuzz_one "$pkg" "$target" &
	running=$((running + 1))
	ran=$((ran + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
	exit 1
fi
if [ "$ran" -eq 0 ]; then
	echo "fuzz.sh: FUZZ_TARGETS ($FUZZ_TARGETS) matched no target" >&2
	exit 1
fi
echo "fuzz.sh: $ran targets, $FUZZTIME of fuzzing each, $JOBS at a time, in $((SECONDS - start))s; no failure"
