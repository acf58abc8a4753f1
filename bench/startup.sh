#!/bin/bash
# startup: what one kgas process costs before it does any work.  `kgas
# --version` (start-up alone) and `kgas --db DB stats` (start-up, settings,
# opening a small database, five COUNTs), each run LOOPS times in a row;
# the figure is the mean per process, the median of ROUNDS such loops
# (the ratio: the median of the rounds' ratios).
# Also the number of shared libraries the dynamic linker maps (ldd).
#
# Reference: `sqlite3 :memory: 'select 1'` in the same loop, the floor for
# "start a small C program linked against SQLite".  kgas opens poppler-glib,
# libcurl and libmicrohttpd only when a command needs them (src/base/dynlib.h),
# so none of these runs loads them.  Goal: kgas --version within 2x sqlite3.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=startup
LOOPS=${LOOPS:-50}
ROUNDS=${ROUNDS:-5}
command -v sqlite3 >/dev/null || skip $NAME "sqlite3 CLI not installed"

db=$BENCH_WORK/startup.db
rm -f "$db" "$db-wal" "$db-shm"
"$KGAS" --db "$db" ingest "$REPO_DIR/demo/corpus" >/dev/null

# Mean milliseconds per process of "$@" over LOOPS runs.
loop_ms() {
    local i t0
    t0=$(now)
    for ((i = 0; i < LOOPS; i++)); do "$@" >/dev/null; done
    calc "$(since "$t0") * 1000 / $LOOPS"
}

# The three loops take turns within each round, so a burst of load on a
# shared machine hits all of them; figures and ratios are medians of rounds.
refs=() vers=() statss=() rvs=() rss=()
for ((r = 0; r < ROUNDS; r++)); do
    a=$(loop_ms sqlite3 :memory: 'select 1')
    b=$(loop_ms "$KGAS" --version)
    c=$(loop_ms "$KGAS" --db "$db" stats)
    refs+=("$a") vers+=("$b") statss+=("$c")
    rvs+=("$(calc "$b / $a")") rss+=("$(calc "$c / $a")")
done
ref=$(median "${refs[@]}")
ver=$(median "${vers[@]}")
stats=$(median "${statss[@]}")
libs=$(ldd "$KGAS" | wc -l)
needed=$(readelf -d "$KGAS" | grep -c '(NEEDED)')
rv=$(calc "$(median "${rvs[@]}")" "%.2f")
rs=$(calc "$(median "${rss[@]}")" "%.2f")
printf 'sqlite3 select 1:   %6.2f ms per process\n' "$ref"
printf 'kgas --version:     %6.2f ms per process, %sx sqlite3 (%s shared libraries mapped, %s NEEDED)\n' \
    "$ver" "$rv" "$libs" "$needed"
printf 'kgas --db DB stats: %6.2f ms per process, %sx sqlite3\n' "$stats" "$rs"
verdict=$(awk -v r="$rv" 'BEGIN { print (r <= 2.0) ? "met" : "NOT met" }')
summary "startup --version" "$(calc "$ver" "%.2f") ms" "sqlite3 $(calc "$ref" "%.2f") ms" \
    "${rv}x" "<= 2x" "$verdict"
summary "startup stats" "$(calc "$stats" "%.2f") ms" "sqlite3 $(calc "$ref" "%.2f") ms" \
    "${rs}x" "-" "info"
