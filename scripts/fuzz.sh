#!/bin/sh
# Fuzz every parser of outside input: build the libFuzzer harnesses of
# fuzz/ (clang, coverage, ASan+UBSan) in build-fuzz, run each for
# FUZZ_SECONDS (or until FUZZ_RUNS executions, whichever comes first), print
# one line per harness (name, executions, seconds, result) and exit 1 when
# any harness found something (its input is kept under
# build-fuzz/fuzz/findings/).
#
#   scripts/fuzz.sh [NAME...]         (make fuzz FUZZ_SECONDS=N runs them all)
#
# Each harness fuzzes from its seeds (fuzz/corpus/NAME, in the repo) and its
# own growing corpus (build-fuzz/fuzz/work/NAME, kept between runs); the PDF
# harness also reads ../shared/data/pdf/odd when present (not copied into
# the repo: see fuzz/make_pdf_seeds.py).  Runs under nice (FUZZ_NICE, 19):
# the machine is shared.  Every run appends its figures to
# build-fuzz/fuzz/results.tsv, the record docs/security.md quotes.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd -P)
SECONDS_EACH=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:--1}
NICE=${FUZZ_NICE:-19}
build=${FUZZ_BUILD:-build-fuzz}
command -v clang >/dev/null || { echo "fuzz: clang is not installed"; exit 2; }
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKGAS_FUZZ=ON >/dev/null
names=${*:-$(for f in fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)}
targets=$(for n in $names; do printf 'fuzz_%s ' "$n"; done)
# shellcheck disable=SC2086
nice -n "$NICE" cmake --build "$build" -j "$(nproc)" --target $targets -- --no-print-directory \
    >"$build/fuzz-build.log" 2>&1 || { tail -30 "$build/fuzz-build.log"; exit 2; }
out=$(cd "$build/fuzz" && pwd)
mkdir -p "$out/findings" "$out/logs"
status=0
printf '%-16s %14s %9s  %s\n' harness executions seconds result
for n in $names; do
    bin=$out/fuzz_$n
    work=$out/work/$n
    mkdir -p "$work"
    extra=""
    [ "$n" = pdf ] && [ -d ../shared/data/pdf/odd ] && extra=$(cd ../shared/data/pdf/odd && pwd)
    log=$out/logs/$n.log
    # This harness's findings only (two runs may share the folder), and
    # never a slow unit: libFuzzer keeps an input that took long but
    # finished (slow-unit-*, over 10 s; a starved process under load makes
    # them), reported below; crashes, leaks, timeouts (-timeout=30) and
    # out-of-memory inputs are findings.
    findings() { find "$out/findings" -name "$n-*" ! -name '*-slow-unit-*' | wc -l; }
    before=$(findings)
    start=$(date +%s)
    # A scratch folder per harness run (the harnesses write there).
    scratch=$(mktemp -d -p "$(if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm; else echo "${TMPDIR:-/tmp}"; fi)")
    # shellcheck disable=SC2086
    (cd "$scratch" && TMPDIR=$scratch ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        nice -n "$NICE" "$bin" -max_total_time="$SECONDS_EACH" -runs="$RUNS" \
        -print_final_stats=1 -timeout=30 -rss_limit_mb=2560 -max_len=65536 -close_fd_mask=3 \
        -artifact_prefix="$out/findings/$n-" "$work" "$repo/fuzz/corpus/$n" $extra \
        >"$log" 2>&1) || true
    rm -rf "$scratch"
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    after=$(findings)
    if [ "$after" -gt "$before" ] || ! grep -q '^stat::number_of_executed_units' "$log"; then
        newest=$(find "$out/findings" -name "$n-*" ! -name '*-slow-unit-*' -printf '%T@ %f\n' |
            sort -n | tail -1 | cut -d' ' -f2)
        result="FINDING: ${newest:-no executions counted} (log: $log)"
        status=1
    else
        result=ok
        slow=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -1)
        [ "${slow:-0}" -ge 10 ] && result="ok (slowest input ${slow} s: finished, kept as $n-slow-unit-*)"
    fi
    printf '%-16s %14s %9s  %s\n' "fuzz_$n" "${execs:-?}" "$secs" "$result"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "fuzz_$n" "${execs:-?}" "$secs" \
        "$result" >>"$out/results.tsv"
done
exit $status
