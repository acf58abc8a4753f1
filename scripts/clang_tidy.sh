#!/bin/sh
# clang-tidy over src/ with the check set in .clang-tidy (see docs/quality.md).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
files=$(find src -name '*.c' | sort)
# shellcheck disable=SC2086
clang-tidy --quiet -p "$build" $files 2>/dev/null >"$build/clang-tidy.log" || true
if grep -E "(warning|error):" "$build/clang-tidy.log" >/dev/null; then
    grep -E -A3 "(warning|error):" "$build/clang-tidy.log" | head -60
    echo "clang-tidy: findings above (full log: $build/clang-tidy.log)"
    exit 1
fi
echo "clang-tidy: ok ($(echo "$files" | wc -l) files)"
