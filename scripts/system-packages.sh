#!/usr/bin/env bash
# scripts/system-packages.sh: installs on this system the Debian packages that
# scripts/test.sh needs and cannot bring into the project folder: gcc and
# libc6-dev (cgo, which "go test -race" needs) and shellcheck (the scripts'
# lint). Each is installed with apt-get only when its command is missing, and
# only as root; otherwise this names what to install and exits 0, and the
# step that needs it fails (gcc) or is skipped (shellcheck) with that advice.
# (Chromium, for the browser suite, is installed by scripts/browser-test.sh.)
set -euo pipefail

cc="$(go env CC 2>/dev/null || echo gcc)"
want=()
command -v "$cc" >/dev/null 2>&1 || want+=(gcc libc6-dev)
command -v shellcheck >/dev/null 2>&1 || want+=(shellcheck)
if [ "${#want[@]}" -eq 0 ]; then
	echo "system-packages: $cc and shellcheck are installed; nothing to do"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "system-packages: missing ${want[*]}; install them (apt-get install -y ${want[*]}); this script installs them only as root on a system with apt-get"
	exit 0
fi
echo "system-packages: installing ${want[*]} on this system with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${want[@]}" </dev/null
