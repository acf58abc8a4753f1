#!/bin/sh
# Install the Debian packages kgas needs, by name, only when some are missing.
# Idempotent and quiet when everything is present; runs `apt-get update` only
# when something has to be installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
want=$(grep -v '^#' "$here/packages.txt" | grep -v '^$')
missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js runs the MCP client tests (the official TypeScript SDK).  Machines
# that already have node and npm (from any source) keep theirs: Debian's npm
# package conflicts with a nodesource install.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
