#!/bin/sh
# The C sources are as .clang-format writes them: `make format` rewrites them,
# `make test` runs this check and lists the files that differ.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (package clang-format)"; exit 1; }
bad=0
for f in $(find src tests/unit fuzz -name '*.[ch]' 2>/dev/null | sort); do
    if ! clang-format --style=file "$f" | cmp -s "$f" -; then
        echo "format: $f differs from .clang-format (run: make format)"
        bad=1
    fi
done
[ "$bad" = 0 ] && echo "format: ok"
exit "$bad"
