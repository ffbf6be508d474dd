#!/usr/bin/env bash
# scripts/steps_test.sh: tests scripts/steps.sh, the step bookkeeping of
# scripts/test.sh (run by it; takes a second):
#   1. a run with a skipped step does not say "all steps passed": it counts
#      the skipped steps apart and names them, whether skip_step skipped one
#      or a step's command exited 77; it exits 0.
#   2. a run without skips says "all N steps passed".
#   3. a failing step stops the run, is named in the summary, and its exit
#      status is the run's; the steps after it do not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/steps_test.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
failures=0

# run NAME BODY: runs BODY after sourcing steps.sh as test.sh does, keeping
# its output in $TMP/NAME.out and its exit status in $TMP/NAME.rc.
run() {
	local rc=0
	bash -c "set -euo pipefail; . '$ROOT/scripts/steps.sh'; T0=\$SECONDS; trap summary EXIT; $2" >"$TMP/$1.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/$1.rc"
}

expect() { # expect NAME WHAT GREP-ARGS...: fails the test when grep finds nothing
	local name=$1 what=$2
	shift 2
	if ! grep -q "$@" "$TMP/$name.out"; then
		echo "steps_test: $name: $what; output:" >&2
		sed 's/^/    /' "$TMP/$name.out" >&2
		failures=$((failures + 1))
	fi
}

expect_rc() { # expect_rc NAME RC
	if [ "$(cat "$TMP/$1.rc")" != "$2" ]; then
		echo "steps_test: $1: exit status $(cat "$TMP/$1.rc"), want $2" >&2
		failures=$((failures + 1))
	fi
}

run skipped 'run_step one true; skip_step "lint the scripts" "no linter"; run_step "scan" bash -c "echo cannot scan; exit 77"; run_step two true'
expect_rc skipped 0
expect skipped "the summary counts the skipped steps apart" -F "2 of 4 steps passed"
expect skipped "the summary names a step skip_step skipped" -Fx "    - lint the scripts"
expect skipped "the summary names a step that exited 77" -Fx "    - scan"
if grep -q "all 4 steps passed" "$TMP/skipped.out"; then
	echo "steps_test: skipped: the summary says all steps passed though two were skipped" >&2
	failures=$((failures + 1))
fi

run passed 'run_step one true; run_step two true'
expect_rc passed 0
expect passed "the summary says every step passed" -F "all 2 steps passed"

# A step that burns a second or more of CPU (counting to 800000 in bash)
# shows it in the cpu column; an idle one shows 0.
# shellcheck disable=SC2016 # expanded by the inner bash
run cpu 'run_step burn bash -c "i=0; while [ \$i -lt 800000 ]; do i=\$((i + 1)); done"; run_step idle sleep 1'
expect_rc cpu 0
expect cpu "the summary shows a busy step's CPU seconds" -E "^  ok +[0-9]+s +[1-9][0-9]*s  burn$"
expect cpu "the summary shows an idle step's CPU seconds" -E "^  ok +[0-9]+s +0s  idle$"

run failed 'run_step one true; run_step broken bash -c "exit 3"; run_step after touch "'"$TMP"'/after-ran"'
expect_rc failed 3
expect failed "the summary names the failed step" -F "at: broken (exit 3)"
if [ -e "$TMP/after-ran" ]; then
	echo "steps_test: failed: a step after the failing one ran" >&2
	failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
	echo "steps_test: $failures check(s) failed" >&2
	exit 1
fi
echo "steps_test: skipped steps are counted apart and named; failures stop the run"
