# shellcheck shell=bash
# Source this file (". scripts/ensure-tools.sh") to put Go and mage on PATH.
# Go must already be installed (it is looked for on PATH and in
# /usr/local/go/bin); mage, at the version scripts/versions.sh pins, is
# installed once with "go install" into .cache/tools/mage-<version>/
# (gitignored), which goes first on PATH, so another mage on the machine
# cannot stand in for it. It returns non-zero (never exits the caller) when a
# tool cannot be provided.

_tickstream_ensure_tools() {
	local root want have tools
	root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
	# shellcheck source=scripts/versions.sh
	. "$root/scripts/versions.sh" || return 1

	if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
		export PATH="/usr/local/go/bin:$PATH"
	fi
	if ! command -v go >/dev/null 2>&1; then
		echo "ensure-tools: Go is not installed; install the version go.mod asks for from https://go.dev/dl/ into /usr/local/go" >&2
		return 1
	fi
	want="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$root/go.mod" | head -n1)"
	have="$(go env GOVERSION)"
	have="${have#go}"
	if [ -n "$want" ] && [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n1)" != "$want" ]; then
		echo "ensure-tools: go.mod needs Go >= $want, found $have ($(command -v go))" >&2
		return 1
	fi

	tools="$root/.cache/tools/mage-$TICKSTREAM_MAGE_VERSION"
	case ":$PATH:" in
	*":$tools:"*) ;;
	*) export PATH="$tools:$PATH" ;;
	esac
	if [ ! -x "$tools/mage" ]; then
		echo "ensure-tools: installing mage $TICKSTREAM_MAGE_VERSION into ${tools#"$root"/} (go install; once)" >&2
		if ! GOBIN="$tools" go install "github.com/magefile/mage@$TICKSTREAM_MAGE_VERSION"; then
			echo "ensure-tools: 'go install github.com/magefile/mage@$TICKSTREAM_MAGE_VERSION' failed (is the Go module proxy reachable?)" >&2
			return 1
		fi
	fi
}

# (the || keeps a caller's set -e from exiting before the cleanup below)
_tickstream_rc=0
_tickstream_ensure_tools || _tickstream_rc=$?
unset -f _tickstream_ensure_tools
if [ "$_tickstream_rc" -ne 0 ]; then
	unset _tickstream_rc
	# shellcheck disable=SC2317 # exit only when run instead of sourced
	return 1 2>/dev/null || exit 1
fi
unset _tickstream_rc
