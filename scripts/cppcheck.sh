#!/bin/sh
# cppcheck over src/: warnings, style, performance and portability must be clean.
set -eu
cd "$(dirname "$0")/.."
cppcheck --quiet --error-exitcode=1 --std=c11 --language=c \
  --enable=warning,style,performance,portability \
  --inline-suppr --suppress=missingIncludeSystem --suppress=unusedFunction \
  --suppress=constParameterPointer --suppress=constVariablePointer \
  --suppress=constParameterCallback --suppress=variableScope \
  -I src -D__GNUC__ -DKGAS_VERSION='"0"' src
echo "cppcheck: ok"
