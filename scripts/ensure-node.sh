# shellcheck shell=bash
# Source this file (". scripts/ensure-node.sh") to put Node.js >= 22.18 first
# on PATH. When the machine's node is older, the npm package node-linux-<arch>
# (major 22) is installed once into <repo>/.cache/node and reused after that.
# It returns non-zero (never exits the caller) when it cannot provide Node.
#
# Settings: TICKSTREAM_NODE_MIN (default 22.18.0).

_tickstream_ensure_node() {
	local root min cache bindir arch pkg node_bin lock
	root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
	min="${TICKSTREAM_NODE_MIN:-22.18.0}"
	cache="$root/.cache/node"
	bindir="$cache/node_modules/.bin"

	# _tickstream_node_ok NODE: true when NODE runs and is at least $min.
	_tickstream_node_ok() {
		local v
		v="$("$1" -p 'process.versions.node' 2>/dev/null)" || return 1
		[ -n "$v" ] || return 1
		# sort -V puts the smaller version first.
		[ "$(printf '%s\n%s\n' "$min" "$v" | sort -V | head -n1)" = "$min" ]
	}

	if command -v node >/dev/null 2>&1 && _tickstream_node_ok node; then
		return 0
	fi
	if [ -x "$bindir/node" ] && _tickstream_node_ok "$bindir/node"; then
		export PATH="$bindir:$PATH"
		return 0
	fi

	case "$(uname -m)" in
	x86_64 | amd64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*)
		echo "ensure-node: no prebuilt Node.js for $(uname -m); install Node.js >= $min yourself" >&2
		return 1
		;;
	esac
	if [ "$(uname -s)" != Linux ]; then
		echo "ensure-node: Node.js >= $min is needed (found: $(node -v 2>/dev/null || echo none)); install it from https://nodejs.org" >&2
		return 1
	fi
	if ! command -v npm >/dev/null 2>&1; then
		echo "ensure-node: Node.js >= $min is needed and npm is missing, so it cannot be installed into .cache/node; install Node.js >= $min (e.g. apt-get install -y npm, or https://nodejs.org)" >&2
		return 1
	fi
	pkg="node-linux-$arch@22"
	mkdir -p "$cache" || return 1
	lock="$root/.cache/node.lock"
	echo "ensure-node: node $(node -v 2>/dev/null || echo '(none)') is older than $min; installing $pkg into .cache/node" >&2
	(
		# Several scripts may source this at once: one installs, the others wait.
		if command -v flock >/dev/null 2>&1; then
			exec 9>"$lock" && flock 9
		fi
		if [ -x "$bindir/node" ] && _tickstream_node_ok "$bindir/node"; then
			exit 0
		fi
		npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "$pkg" >&2
	) || {
		echo "ensure-node: 'npm install --prefix .cache/node $pkg' failed (is the npm registry reachable?)" >&2
		return 1
	}
	node_bin="$bindir/node"
	if ! _tickstream_node_ok "$node_bin"; then
		echo "ensure-node: $node_bin is not Node.js >= $min after the install" >&2
		return 1
	fi
	export PATH="$bindir:$PATH"
	echo "ensure-node: using $("$node_bin" -v) from .cache/node" >&2
}

# (the || keeps a caller's set -e from exiting before the cleanup below)
_tickstream_rc=0
_tickstream_ensure_node || _tickstream_rc=$?
unset -f _tickstream_ensure_node _tickstream_node_ok
if [ "$_tickstream_rc" -ne 0 ]; then
	unset _tickstream_rc
	# shellcheck disable=SC2317 # exit only when run instead of sourced
	return 1 2>/dev/null || exit 1
fi
unset _tickstream_rc
