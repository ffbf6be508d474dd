#!/usr/bin/env bash
# scripts/start.sh: builds Tickstream and starts Grafana with it at
# http://127.0.0.1:3000 (admin/admin). Ctrl-C stops everything it started.
#
# How Grafana runs, first match wins:
#   1. Docker: when a Docker engine answers ("docker info"), the scaffold's
#      "docker compose up --build" (the same as "npm run server").
#   2. A local Grafana 12.4+: $GRAFANA_BIN, else "grafana" or "grafana-server"
#      on PATH, with its static files in $GRAFANA_HOME (default: the folder
#      above the binary's bin/, or /usr/share/grafana); one older than
#      src/plugin.json's grafanaDependency is refused. It runs on a generated
#      grafana.ini in .cache/grafana-run/ with data, logs and a plugins folder
#      holding a link to dist/; it provisions from provisioning/.
#   3. Neither: says what to install and exits with status 1.
#
# Settings (environment):
#   TICKSTREAM_PORT=3000        port of a local Grafana (Docker always uses 3000)
#   TICKSTREAM_NO_DOCKER=1      do not use Docker even when it answers
#   TICKSTREAM_SKIP_BUILD=1     do not build; use dist/ as it is
#   TICKSTREAM_RUN_DIR=DIR      scratch folder of a local Grafana
#                               (default .cache/grafana-run)
#   GRAFANA_BIN, GRAFANA_HOME   the local Grafana to run
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLUGIN_ID=tickstream-streaming-datasource
PORT="${TICKSTREAM_PORT:-3000}"
RUN_DIR="${TICKSTREAM_RUN_DIR:-$ROOT/.cache/grafana-run}"
# The oldest Grafana Tickstream supports: src/plugin.json's grafanaDependency (">=X.Y.Z").
MIN_GRAFANA="$(sed -n 's/.*"grafanaDependency": *">=\([0-9.]*\)".*/\1/p' "$ROOT/src/plugin.json")"

say() { echo "start.sh: $*" >&2; }
die() {
	say "$*"
	exit 1
}

case "$PORT" in
'' | *[!0-9]*) die "TICKSTREAM_PORT must be a port number; got '$PORT'" ;;
esac

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# DOCKER_PROBLEM says why Docker cannot run Grafana ("" when it can, or when
# no docker client is installed at all): set by docker_answers.
DOCKER_PROBLEM=""

docker_answers() {
	local out rc=0
	[ "${TICKSTREAM_NO_DOCKER:-0}" != 1 ] || return 1
	command -v docker >/dev/null 2>&1 || return 1
	if command -v timeout >/dev/null 2>&1; then
		out="$(timeout 20 docker info 2>&1 >/dev/null)" || rc=$?
	else
		out="$(docker info 2>&1 >/dev/null)" || rc=$?
	fi
	[ "$rc" -ne 0 ] || return 0
	# The client is there, the engine is not: most often the daemon is not
	# started (or this user may not reach its socket), which the user can fix.
	DOCKER_PROBLEM="the Docker client is installed ($(command -v docker)) but its daemon is not running or not reachable: \"docker info\" says: $(printf '%s' "$out" | grep -v '^[[:space:]]*$' | tail -n1)
  Start the daemon (sudo systemctl start docker, or open Docker Desktop), or add your user to the docker group, then run scripts/start.sh again."
	return 1
}

install_hint() {
	[ -z "$DOCKER_PROBLEM" ] || say "$DOCKER_PROBLEM"
	cat >&2 <<HINT
start.sh: cannot start Grafana: no Docker engine answers ("docker info" fails or
docker is not installed) and no Grafana binary was found (GRAFANA_BIN is unset,
and neither "grafana" nor "grafana-server" is on PATH).

Install one of them, then run scripts/start.sh again:
  - Docker Engine with the compose plugin (https://docs.docker.com/engine/install/):
    start.sh then runs "docker compose up --build" with Grafana 13.2.3 in a container
    (GRAFANA_VERSION=$MIN_GRAFANA for the oldest Grafana Tickstream supports).
  - Grafana $MIN_GRAFANA or newer, for example the standalone Linux tarball from
    https://grafana.com/grafana/download?edition=oss :
        tar -xzf grafana*13.2*linux*amd64.tar.gz -C "\$HOME"
        export GRAFANA_HOME="\$HOME/grafana-v13.2.3"     # the unpacked folder
        export GRAFANA_BIN="\$GRAFANA_HOME/bin/grafana"
        scripts/start.sh
    (or put its bin/ folder on PATH; GRAFANA_HOME defaults to the folder above bin/).
HINT
}

# --- 1. choose how to run Grafana, before minutes of building ----------------

MODE=""
COMPOSE=()
GRAFANA_CMD=()
if docker_answers; then
	MODE=docker
	if docker compose version >/dev/null 2>&1; then
		COMPOSE=(docker compose)
	elif command -v docker-compose >/dev/null 2>&1; then
		COMPOSE=(docker-compose)
	else
		die "Docker answers but Docker Compose is missing: install the compose plugin (https://docs.docker.com/compose/install/)"
	fi
	[ "$PORT" = 3000 ] || say "note: TICKSTREAM_PORT applies to a local Grafana only; Docker publishes port 3000 (docker-compose.yaml)"
	PORT=3000
else
	bin="${GRAFANA_BIN:-}"
	if [ -n "$bin" ]; then
		if [ ! -x "$bin" ] || [ -d "$bin" ]; then
			bin="$(command -v "$bin" 2>/dev/null || true)"
			[ -n "$bin" ] || die "GRAFANA_BIN=$GRAFANA_BIN is not an executable file"
		fi
	else
		bin="$(command -v grafana 2>/dev/null || command -v grafana-server 2>/dev/null || true)"
	fi
	if [ -z "$bin" ]; then
		install_hint
		exit 1
	fi
	[ -z "$DOCKER_PROBLEM" ] || say "note: the Docker daemon is not running, so this uses the local Grafana $bin"
	# A Grafana older than grafanaDependency would refuse to load the plugin; say so before building.
	[ -n "$MIN_GRAFANA" ] || die "src/plugin.json has no grafanaDependency of the form \">=X.Y.Z\""
	version="$("$bin" -v 2>/dev/null </dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true)"
	if [ -z "$version" ]; then
		say "warning: '$bin -v' printed no version; Tickstream needs Grafana $MIN_GRAFANA or newer"
	elif [ "$(printf '%s\n%s\n' "$MIN_GRAFANA" "$version" | sort -V | head -n 1)" != "$MIN_GRAFANA" ]; then
		die "$bin is Grafana $version, older than $MIN_GRAFANA, the oldest Tickstream supports (grafanaDependency in src/plugin.json): install Grafana $MIN_GRAFANA or newer, or use Docker (GRAFANA_VERSION in docker-compose.yaml)"
	else
		say "using Grafana $version at $bin"
	fi
	home="${GRAFANA_HOME:-}"
	if [ -z "$home" ]; then
		real="$(readlink -f "$bin" 2>/dev/null || echo "$bin")"
		for cand in "$(dirname "$real")/.." /usr/share/grafana; do
			if [ -f "$cand/conf/defaults.ini" ]; then
				home="$(cd "$cand" && pwd)"
				break
			fi
		done
		[ -n "$home" ] || die "found Grafana at $bin but not its home folder (the one with conf/defaults.ini and public/); set GRAFANA_HOME"
	fi
	[ -f "$home/conf/defaults.ini" ] || die "GRAFANA_HOME=$home has no conf/defaults.ini; point it at the unpacked Grafana folder"
	home="$(cd "$home" && pwd)"
	MODE=local
	case "$(basename "$bin")" in
	grafana-server*) GRAFANA_CMD=("$bin") ;; # the older, separate server binary
	*) GRAFANA_CMD=("$bin" server) ;;
	esac
fi

if port_open "$PORT"; then
	die "something already listens on 127.0.0.1:$PORT (another Grafana?); stop it or set TICKSTREAM_PORT"
fi

# --- 2. build ----------------------------------------------------------------

build() {
	local goos goarch target
	# shellcheck source=scripts/ensure-node.sh
	. "$ROOT/scripts/ensure-node.sh"
	# shellcheck source=scripts/ensure-tools.sh
	. "$ROOT/scripts/ensure-tools.sh"
	cd "$ROOT"
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		say "installing the frontend dependencies (npm ci)"
		npm ci --no-audit --no-fund
	fi
	goos="$(go env GOOS)"
	goarch="$(go env GOARCH)"
	# A container runs the Linux build whatever the host is.
	[ "$MODE" = local ] || goos=linux
	case "$goos/$goarch" in
	linux/amd64) target=build:linux ;;
	linux/arm64) target=build:linuxARM64 ;;
	darwin/amd64) target=build:darwin ;;
	darwin/arm64) target=build:darwinARM64 ;;
	windows/amd64) target=build:windows ;;
	*) die "no mage build target for $goos/$goarch" ;;
	esac
	say "building the backend (mage -v $target)"
	mage -v "$target"
	say "building the frontend (npm run build)"
	npm run build
}

if [ "${TICKSTREAM_SKIP_BUILD:-0}" = 1 ]; then
	say "TICKSTREAM_SKIP_BUILD=1: using dist/ as it is"
	[ -f "$ROOT/dist/plugin.json" ] || say "warning: dist/plugin.json is missing, Grafana will not find the plugin"
else
	(build) || die "the build failed (see above)"
fi

# --- 3. run --------------------------------------------------------------------

URL="http://127.0.0.1:$PORT"
CHILD=""
WAITER=""
STOPPED=0

# shellcheck disable=SC2317 # called from traps
stop_all() {
	[ "$STOPPED" = 0 ] || return 0
	STOPPED=1
	if [ -n "$WAITER" ]; then
		kill "$WAITER" 2>/dev/null || true
	fi
	if [ "$MODE" = docker ]; then
		(cd "$ROOT" && "${COMPOSE[@]}" stop) || true
	elif [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
		say "stopping Grafana (pid $CHILD)"
		kill -TERM "$CHILD" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$CHILD" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$CHILD" 2>/dev/null; then
			say "Grafana did not stop within 10 s; killing it"
			kill -KILL "$CHILD" 2>/dev/null || true
		fi
		wait "$CHILD" 2>/dev/null || true
	fi
}
# shellcheck disable=SC2317 # called from traps
on_signal() {
	trap - INT TERM
	stop_all
	exit 130
}
trap on_signal INT TERM
trap stop_all EXIT

# Announces the URL once Grafana accepts connections.
announce_when_up() {
	for _ in $(seq 1 300); do
		if port_open "$PORT"; then
			say "Grafana is up: $URL (admin/admin), dashboard \"Tickstream\"; Ctrl-C stops it"
			return 0
		fi
		sleep 1
	done
	say "Grafana did not open $URL within 5 minutes; see its log above"
}

if [ "$MODE" = docker ]; then
	say "starting Grafana with Docker (docker compose up --build) at $URL (admin/admin)"
	announce_when_up &
	WAITER=$!
	cd "$ROOT"
	rc=0
	"${COMPOSE[@]}" up --build || rc=$?
	exit "$rc"
fi

mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/plugins"
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
link="$RUN_DIR/plugins/$PLUGIN_ID"
if [ -e "$link" ] && [ ! -L "$link" ]; then
	rm -rf "$link"
fi
# A link, not a copy, so a rebuild (npm run dev, mage) shows after a restart.
ln -sfn "$ROOT/dist" "$link"
CONFIG="$RUN_DIR/grafana.ini"
cat >"$CONFIG" <<INI
; Generated by scripts/start.sh on every start: edits are lost.
[paths]
data = $RUN_DIR/data
logs = $RUN_DIR/logs
plugins = $RUN_DIR/plugins
provisioning = $ROOT/provisioning

[server]
protocol = http
http_addr = 127.0.0.1
http_port = $PORT
domain = 127.0.0.1
root_url = $URL/

[security]
admin_user = admin
admin_password = admin

[plugins]
allow_loading_unsigned_plugins = $PLUGIN_ID
; no downloads of preinstalled plugins: the machine may be offline
preinstall_disabled = true

[analytics]
reporting_enabled = false
check_for_updates = false
check_for_plugin_updates = false
feedback_links_enabled = false

[news]
news_feed_enabled = false

[log]
mode = console file
level = info
filters = plugin.$PLUGIN_ID:debug
INI

# provisioning/dashboards/dashboards.yml finds the dashboards through these
# variables (the Grafana Docker image sets both): the data source from
# provisioning/, the dashboards from the plugin's own dashboards/ folder.
export GF_PATHS_PROVISIONING="$ROOT/provisioning"
export GF_PATHS_PLUGINS="$RUN_DIR/plugins"

say "starting Grafana ${GRAFANA_CMD[*]} (home $home) at $URL (admin/admin)"
say "config $CONFIG, logs $RUN_DIR/logs"
(cd "$RUN_DIR" && exec "${GRAFANA_CMD[@]}" --homepath "$home" --config "$CONFIG") &
CHILD=$!
announce_when_up &
WAITER=$!
rc=0
wait "$CHILD" || rc=$?
CHILD=""
say "Grafana exited with status $rc"
exit "$rc"
