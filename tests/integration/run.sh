#!/bin/sh
# Integration tests: run the built binary on real files.
#   tests/integration/run.sh path/to/kgas [test-name-substring]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/run.py" "$@"
