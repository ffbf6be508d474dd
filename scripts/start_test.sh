#!/usr/bin/env bash
# scripts/start_test.sh: tests scripts/start.sh without Docker and without a
# real Grafana (run by scripts/test.sh; takes a few seconds):
#   1. a fake "grafana" on PATH gets "server --homepath --config" and a config
#      that listens on 127.0.0.1, allows our unsigned plugin, provisions from
#      provisioning/ and sends no analytics; the plugins folder links to dist/;
#      SIGINT to start.sh stops the fake Grafana.
#   2. GRAFANA_BIN naming a "grafana-server" gets no "server" subcommand.
#   3. with a docker client whose daemon does not answer and no Grafana,
#      start.sh exits non-zero, says that the daemon is not running (with
#      what "docker info" said) and what to install.
#   4. a GRAFANA_BIN that does not exist is refused.
#   5. a local Grafana older than src/plugin.json's grafanaDependency is
#      refused before anything is built, naming both versions.
set -euo pipefail

# A background job of a script starts with SIGINT ignored, and bash cannot trap
# a signal that was ignored when it started; "env --default-signal=INT" (GNU
# coreutils >= 8.31) restores it, so start.sh can get SIGINT as from Ctrl-C.
if env --default-signal=INT true 2>/dev/null; then
	WITH_SIGINT=(env --default-signal=INT)
else
	WITH_SIGINT=(env)
	set -m # job control also resets it, but needs a terminal
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLUGIN_ID=tickstream-streaming-datasource
TMP="$(mktemp -d "${TMPDIR:-/tmp}/start_test.XXXXXX")"
START_PID=""
cleanup() {
	if [ -n "$START_PID" ] && kill -0 "$START_PID" 2>/dev/null; then
		kill -TERM "$START_PID" 2>/dev/null || true
	fi
	for f in "$TMP"/rec*/pid; do
		if [ -f "$f" ]; then kill -KILL "$(cat "$f")" 2>/dev/null || true; fi
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

FAILS=0
ok() { echo "  ok   $*"; }
bad() {
	echo "  FAIL $*" >&2
	FAILS=$((FAILS + 1))
}
check() { # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
wait_for() { # wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		if "$@"; then return 0; fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }

# make_fake_grafana PATH RECORD_DIR [VERSION]: a Grafana stand-in that
# answers -v with VERSION (default: the oldest supported) as Grafana does, and otherwise
# records its arguments, config and GF_* environment, then sleeps until
# signalled.
make_fake_grafana() {
	mkdir -p "$(dirname "$1")" "$2"
	cat >"$1" <<FAKE
#!/usr/bin/env bash
rec="$2"
if [ "\$1" = -v ]; then
	echo "grafana version ${3:-$min}"
	exit 0
fi
printf '%s\n' "\$@" >"\$rec/argv.tmp"
prev=""
for a in "\$@"; do
	[ "\$prev" = --config ] && cp "\$a" "\$rec/grafana.ini"
	prev="\$a"
done
env | grep '^GF_' >"\$rec/env" || true
pwd >"\$rec/cwd"
child=""
trap 'echo "signal TERM" >"\$rec/stopped"; kill "\$child" 2>/dev/null; exit 0' TERM
trap 'echo "signal INT" >"\$rec/stopped"; kill "\$child" 2>/dev/null; exit 0' INT
sleep 300 &
child=\$!
echo "\$\$" >"\$rec/pid"
mv "\$rec/argv.tmp" "\$rec/argv"
wait "\$child"
echo "not signalled" >"\$rec/stopped"
FAKE
	chmod +x "$1"
}

# A docker client whose engine does not answer, like a machine without dockerd.
mkdir -p "$TMP/nodocker"
cat >"$TMP/nodocker/docker" <<'FAKE'
#!/bin/sh
echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
exit 1
FAKE
chmod +x "$TMP/nodocker/docker"

# The oldest Grafana the plugin supports, as start.sh reads it.
min="$(sed -n 's/.*"grafanaDependency": *">=\([0-9.]*\)".*/\1/p' "$ROOT/src/plugin.json")"

HOME_DIR="$TMP/grafana-home"
mkdir -p "$HOME_DIR/conf"
: >"$HOME_DIR/conf/defaults.ini"

echo "start_test: 1. local Grafana found on PATH, then Ctrl-C"
REC="$TMP/rec1"
make_fake_grafana "$TMP/bin1/grafana" "$REC"
PORT=39217
"${WITH_SIGINT[@]}" -u GRAFANA_BIN \
	PATH="$TMP/bin1:$TMP/nodocker:$PATH" GRAFANA_HOME="$HOME_DIR" \
	TICKSTREAM_SKIP_BUILD=1 TICKSTREAM_RUN_DIR="$TMP/run1" TICKSTREAM_PORT=$PORT \
	bash "$ROOT/scripts/start.sh" >"$TMP/out1" 2>&1 &
START_PID=$!
if ! wait_for 20 test -f "$REC/argv"; then
	bad "the fake grafana was not started within 20 s; start.sh said:"
	sed 's/^/    /' "$TMP/out1" >&2
	exit 1
fi
ok "start.sh started the fake grafana"
INI="$REC/grafana.ini"
argv="$(tr '\n' ' ' <"$REC/argv")"
check "argv is 'server --homepath HOME --config INI' ($argv)" \
	test "$argv" = "server --homepath $HOME_DIR --config $TMP/run1/grafana.ini "
has() { grep -qxF "$1" "$INI"; }
check "listens on 127.0.0.1" has "http_addr = 127.0.0.1"
check "listens on TICKSTREAM_PORT" has "http_port = $PORT"
check "allows our unsigned plugin" has "allow_loading_unsigned_plugins = $PLUGIN_ID"
check "provisions from the repository's provisioning/" has "provisioning = $ROOT/provisioning"
check "plugins folder in the run folder" has "plugins = $TMP/run1/plugins"
check "data in the run folder" has "data = $TMP/run1/data"
check "logs in the run folder" has "logs = $TMP/run1/logs"
check "admin/admin" grep -qzE 'admin_user = admin.admin_password = admin' "$INI"
check "reporting off" has "reporting_enabled = false"
check "update checks off" has "check_for_updates = false"
check "plugin update checks off" has "check_for_plugin_updates = false"
check "GF_PATHS_PROVISIONING is the repository's provisioning/" grep -qxF "GF_PATHS_PROVISIONING=$ROOT/provisioning" "$REC/env"
check "plugins/$PLUGIN_ID links to dist/" test "$(readlink "$TMP/run1/plugins/$PLUGIN_ID")" = "$ROOT/dist"
check "GF_PATHS_PLUGINS is the run folder's plugins/" grep -qxF "GF_PATHS_PLUGINS=$TMP/run1/plugins" "$REC/env"
check "dashboards are provisioned from the plugin's dashboards/ (through GF_PATHS_PLUGINS)" \
	grep -qF "path: \${GF_PATHS_PLUGINS}/$PLUGIN_ID/dashboards" "$ROOT/provisioning/dashboards/dashboards.yml"
check "the Docker client without a daemon is noted" grep -qF "note: the Docker daemon is not running" "$TMP/out1"
check "prints the URL" grep -qF "http://127.0.0.1:$PORT" "$TMP/out1"
check "says which Grafana it runs" grep -qF "using Grafana $min at $TMP/bin1/grafana" "$TMP/out1"
FAKE_PID="$(cat "$REC/pid")"
check "the fake grafana runs" alive "$FAKE_PID"
kill -INT "$START_PID"
if ! wait_for 15 dead "$START_PID"; then
	bad "start.sh still runs 15 s after SIGINT"
	kill -KILL "$START_PID" 2>/dev/null || true
fi
rc=0
wait "$START_PID" || rc=$?
START_PID=""
check "start.sh ended on SIGINT with a non-zero status ($rc)" test "$rc" -ne 0
check "the fake grafana got SIGTERM ($(cat "$REC/stopped" 2>/dev/null || echo nothing))" \
	grep -qx "signal TERM" "$REC/stopped"
check "the fake grafana is gone" wait_for 5 dead "$FAKE_PID"

echo "start_test: 2. GRAFANA_BIN names a grafana-server"
REC="$TMP/rec2"
make_fake_grafana "$TMP/bin2/grafana-server" "$REC"
PATH="$TMP/nodocker:$PATH" GRAFANA_BIN="$TMP/bin2/grafana-server" GRAFANA_HOME="$HOME_DIR" \
	TICKSTREAM_SKIP_BUILD=1 TICKSTREAM_RUN_DIR="$TMP/run2" TICKSTREAM_PORT=$((PORT + 1)) \
	bash "$ROOT/scripts/start.sh" >"$TMP/out2" 2>&1 &
START_PID=$!
if wait_for 20 test -f "$REC/argv"; then
	argv="$(tr '\n' ' ' <"$REC/argv")"
	check "argv has no 'server' subcommand ($argv)" test "$argv" = "--homepath $HOME_DIR --config $TMP/run2/grafana.ini "
else
	bad "the fake grafana-server was not started within 20 s"
	sed 's/^/    /' "$TMP/out2" >&2
fi
kill -TERM "$START_PID" 2>/dev/null || true
if ! wait_for 15 dead "$START_PID"; then
	bad "start.sh still runs 15 s after SIGTERM"
	kill -KILL "$START_PID" 2>/dev/null || true
fi
wait "$START_PID" 2>/dev/null || true
START_PID=""
check "SIGTERM to start.sh stops the fake grafana-server" grep -qx "signal TERM" "$REC/stopped"

echo "start_test: 3. neither Docker nor Grafana"
if PATH="/usr/bin:/bin" command -v grafana >/dev/null 2>&1 || PATH="/usr/bin:/bin" command -v grafana-server >/dev/null 2>&1; then
	echo "  skip a Grafana is installed in /usr/bin or /bin"
else
	rc=0
	env -u GRAFANA_BIN -u GRAFANA_HOME PATH="$TMP/nodocker:/usr/bin:/bin" \
		TICKSTREAM_SKIP_BUILD=1 TICKSTREAM_RUN_DIR="$TMP/run3" \
		bash "$ROOT/scripts/start.sh" >"$TMP/out3" 2>&1 </dev/null || rc=$?
	check "exits non-zero ($rc)" test "$rc" -ne 0
	check "says the Docker client is there but its daemon is not running" \
		grep -qF "the Docker client is installed ($TMP/nodocker/docker) but its daemon is not running" "$TMP/out3"
	check "passes on what docker info said" grep -qF "Cannot connect to the Docker daemon" "$TMP/out3"
	check "says how to start the daemon" grep -qF "sudo systemctl start docker" "$TMP/out3"
	check "says to install Docker" grep -q "Docker Engine" "$TMP/out3"
	check "says to install Grafana $min+ (grafanaDependency) with GRAFANA_BIN/GRAFANA_HOME" \
		grep -qF "Grafana $min or newer" "$TMP/out3"
	check "mentions GRAFANA_BIN and GRAFANA_HOME" grep -q 'GRAFANA_HOME=.*' "$TMP/out3"
	check "did not create a run folder" test ! -e "$TMP/run3"
fi

echo "start_test: 4. GRAFANA_BIN that does not exist"
rc=0
PATH="$TMP/nodocker:$PATH" GRAFANA_BIN="$TMP/no/such/grafana" \
	TICKSTREAM_SKIP_BUILD=1 TICKSTREAM_RUN_DIR="$TMP/run4" \
	bash "$ROOT/scripts/start.sh" >"$TMP/out4" 2>&1 </dev/null || rc=$?
check "exits non-zero ($rc)" test "$rc" -ne 0
check "names GRAFANA_BIN" grep -q "GRAFANA_BIN=$TMP/no/such/grafana is not an executable file" "$TMP/out4"

echo "start_test: 5. a local Grafana older than grafanaDependency"
REC="$TMP/rec5"
make_fake_grafana "$TMP/bin5/grafana" "$REC" 12.3.2 # older than $min
rc=0
PATH="$TMP/nodocker:$PATH" GRAFANA_BIN="$TMP/bin5/grafana" GRAFANA_HOME="$HOME_DIR" \
	TICKSTREAM_SKIP_BUILD=1 TICKSTREAM_RUN_DIR="$TMP/run5" \
	bash "$ROOT/scripts/start.sh" >"$TMP/out5" 2>&1 </dev/null || rc=$?
check "exits non-zero ($rc)" test "$rc" -ne 0
check "names both versions" grep -qF "is Grafana 12.3.2, older than $min, the oldest Tickstream supports" "$TMP/out5"
check "did not start it" test ! -e "$REC/argv"
check "did not create a run folder" test ! -e "$TMP/run5"

if [ "$FAILS" -ne 0 ]; then
	echo "start_test: $FAILS check(s) failed; start.sh output of case 1:" >&2
	sed 's/^/    /' "$TMP/out1" >&2
	exit 1
fi
echo "start_test: all checks passed"
