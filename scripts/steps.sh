# shellcheck shell=bash
# scripts/steps.sh: the step bookkeeping of scripts/test.sh, sourced by it
# (and by scripts/steps_test.sh, which tests it): begin/end, run_step,
# skip_step and the summary that the EXIT trap prints. The caller sets the
# traps (trap summary EXIT) and T0=$SECONDS.

STEP_NAMES=()
STEP_SECS=()
STEP_CPU=()
STEP_STATUS=()
CURRENT_STEP=""
CURRENT_START=0
CURRENT_CPU=0
STEP_TIMES_FILE="$(mktemp "${TMPDIR:-/tmp}/steps-times.XXXXXX")"

# cpu_seconds sets CPU_NOW to the CPU seconds (user + system) this shell's
# finished children have used so far. Beside a step's wall time it tells a
# slow step from a busy machine: on a quiet 2-core machine a step takes at
# least half its CPU time. (It must run in this shell, never in a $(...)
# subshell, whose counters start at zero.)
CPU_NOW=0
cpu_seconds() {
	times >"$STEP_TIMES_FILE"
	CPU_NOW="$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } printf "%d\n", n }' "$STEP_TIMES_FILE")"
}

summary() {
	local rc=$? i
	if [ -n "$CURRENT_STEP" ]; then
		[ "$rc" -ne 0 ] || rc=1
		# Interrupted or failed outside run_step's own bookkeeping.
		STEP_NAMES+=("$CURRENT_STEP")
		STEP_SECS+=($((SECONDS - CURRENT_START)))
		cpu_seconds
		STEP_CPU+=($((CPU_NOW - CURRENT_CPU)))
		STEP_STATUS+=("FAILED")
	fi
	rm -f "$STEP_TIMES_FILE"
	echo
	echo "==================== test summary ===================="
	echo "  status    wall    cpu  step"
	for i in "${!STEP_NAMES[@]}"; do
		printf '  %-8s %5ss %5ss  %s\n' "${STEP_STATUS[$i]}" "${STEP_SECS[$i]}" "${STEP_CPU[$i]}" "${STEP_NAMES[$i]}"
	done
	if [ "$rc" -eq 0 ]; then
		local skipped=()
		for i in "${!STEP_NAMES[@]}"; do
			[ "${STEP_STATUS[$i]}" != skipped ] || skipped+=("${STEP_NAMES[$i]}")
		done
		if [ "${#skipped[@]}" -eq 0 ]; then
			echo "  all ${#STEP_NAMES[@]} steps passed in $((SECONDS - T0))s"
		else
			echo "  $((${#STEP_NAMES[@]} - ${#skipped[@]})) of ${#STEP_NAMES[@]} steps passed in $((SECONDS - T0))s; ${#skipped[@]} SKIPPED, not run:"
			printf '    - %s\n' "${skipped[@]}"
		fi
	else
		local last="setup"
		[ "${#STEP_NAMES[@]}" -eq 0 ] || last="${STEP_NAMES[${#STEP_NAMES[@]}-1]}"
		echo "  FAILED after $((SECONDS - T0))s at: $last (exit $rc)"
	fi
	echo "======================================================"
	exit "$rc"
}

begin() {
	CURRENT_STEP="$1"
	CURRENT_START=$SECONDS
	cpu_seconds
	CURRENT_CPU=$CPU_NOW
	echo
	echo "==> $CURRENT_STEP"
}

end() { # end STATUS
	STEP_NAMES+=("$CURRENT_STEP")
	STEP_SECS+=($((SECONDS - CURRENT_START)))
	cpu_seconds
	STEP_CPU+=($((CPU_NOW - CURRENT_CPU)))
	STEP_STATUS+=("$1")
	CURRENT_STEP=""
}

fail() { # fail RC MESSAGE
	local rc=$1 name=$CURRENT_STEP
	end FAILED
	echo >&2
	echo "test.sh: step '$name' failed (exit $rc): $2" >&2
	exit "$rc"
}

# run_step NAME COMMAND...: runs COMMAND in a subshell with errexit on (so a
# function's first failing command fails the step), times it, stops on failure.
# Exit status 77 (SKIP_RC) means the step could not run here and said why: it
# is reported as skipped, and the summary names it.
SKIP_RC=77
run_step() {
	local name=$1 rc=0
	shift
	begin "$name"
	set +e
	(
		set -e
		"$@"
	)
	rc=$?
	set -e
	if [ "$rc" -eq "$SKIP_RC" ]; then
		end skipped
		return 0
	fi
	if [ "$rc" -ne 0 ]; then
		fail "$rc" "$*"
	fi
	end ok
}

skip_step() { # skip_step NAME REASON
	begin "$1"
	echo "skipped: $2"
	end skipped
}
