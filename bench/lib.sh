# shellcheck shell=bash
# Shared helpers for the benchmark scripts (sourced by bash, not run).
#
# Every benchmark prints its own figure beside a reference tool's figure taken
# on the same input in the same run, as a ratio: absolute numbers move with the
# machine and its load, a ratio taken seconds apart moves much less.
#
# Set by the caller (bench/run.sh exports them; each script also works alone):
#   KGAS          path to the kgas binary (default build/kgas)
#   BENCH_WORK    where generated inputs and databases go (default <build>/bench)
#   BENCH_SUMMARY file that collects one tab-separated line per benchmark
#                 (default /dev/null: a script run alone just prints)
#   PYTHON        Debian's python3, which has the python3-* packages
#                 (default /usr/bin/python3, not a pyenv shim on PATH)

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
KGAS=${KGAS:-$REPO_DIR/build/kgas}
case $KGAS in /*) ;; *) KGAS=$(pwd)/$KGAS ;; esac
BUILD_DIR=$(cd "$(dirname "$KGAS")" && pwd)
BENCH_WORK=${BENCH_WORK:-$BUILD_DIR/bench}
BENCH_SUMMARY=${BENCH_SUMMARY:-/dev/null}  # run.sh sets it; alone, the output is the report
DATA_DIR=${DATA_DIR:-$REPO_DIR/../shared/data}
PYTHON=${PYTHON:-/usr/bin/python3}
mkdir -p "$BENCH_WORK"

# Wall-clock seconds since the epoch, with nanoseconds (GNU date).
now() { date +%s.%N; }

# Seconds elapsed since a value returned by now().
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.6f", b - a }'; }

# Median of the numbers given as arguments.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: evaluate an awk arithmetic expression, printed with %.3f
# (or the format given as the second argument).
calc() { awk "BEGIN { printf \"${2:-%.3f}\", $1 }"; }

# Peak resident set size in MB of a command, from GNU time -v.
# Usage: peak_rss_mb LOGFILE (the file /usr/bin/time -v -o wrote).
peak_rss_mb() {
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); printf "%.1f", $2 / 1024 }' "$1"
}

# One line into the run's summary table: name, kgas figure, reference
# figure, ratio, goal, verdict (met / NOT met / skipped / info).
summary() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_SUMMARY"
}

# Report a benchmark that cannot run here, and stop it without failing.
skip() {
    echo "skipped: $2"
    summary "$1" "-" "-" "-" "-" "skipped: $2"
    exit 0
}

need_kgas() {
    [ -x "$KGAS" ] || { echo "no kgas binary at $KGAS (run make first)" >&2; exit 2; }
}

# True when this kgas build has the command (kgas COMMAND --help succeeds).
kgas_has() { "$KGAS" "$1" --help >/dev/null 2>&1; }
