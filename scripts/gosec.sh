#!/usr/bin/env bash
# scripts/gosec.sh: gosec over this project's Go packages (./... is the
# project's own: go.mod ignores node_modules), failing on any HIGH finding,
# at the version the catalog's plugin validator runs (scripts/versions.sh:
# its Dockerfile's pin). Test files are not scanned (gosec's default). A
# deliberate construct is annotated where it is, with "#nosec <rule> -- why".
#
# gosec is installed once, with "go install", into
# .cache/tools/gosec-<version>/ (gitignored), never into GOPATH/bin, so a
# newer gosec elsewhere on the machine cannot stand in for the pinned one.
# The first install builds it from the Go module proxy (about a minute and a
# half on a 2-core machine; the Go build cache makes later ones quick); after
# that it is reused. When the proxy cannot serve it, this says so and exits
# 77, which scripts/test.sh reports as a skipped step. --install-only
# installs it and scans nothing (scripts/warm-go-cache.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/versions.sh
. "$ROOT/scripts/versions.sh"
VERSION="$TICKSTREAM_GOSEC_VERSION"
DIR="$ROOT/.cache/tools/gosec-$VERSION"
GOSEC="$DIR/gosec"

if [ ! -x "$GOSEC" ]; then
	echo "gosec.sh: installing gosec $VERSION into ${DIR#"$ROOT"/} (go install; once)"
	start=$SECONDS
	if ! GOBIN="$DIR" go install "github.com/securego/gosec/v2/cmd/gosec@$VERSION"; then
		echo "gosec.sh: SKIPPED: the Go module proxy ($(go env GOPROXY)) cannot serve github.com/securego/gosec/v2@$VERSION (see above); gosec did not run" >&2
		exit 77
	fi
	echo "gosec.sh: installed in $((SECONDS - start))s"
fi
if [ "${1:-}" = --install-only ]; then
	exit 0
fi
echo "gosec $VERSION (${GOSEC#"$ROOT"/}), HIGH severity, ./..."
"$GOSEC" -quiet -severity high -confidence low ./...
echo "gosec: no HIGH finding"
