#!/bin/bash
# ingest_prose: throughput (MB/s) of `kgas ingest --jobs 1` on prose, with
# the recognisers and the relation analysis (issue 14's speed goal: text
# ingest at 2 MB/s per core end to end).
#
# Input: the text of A Christmas Carol (../shared/data/text), only what lies
# between its "*** START OF" and "*** END OF THE PROJECT GUTENBERG EBOOK"
# lines, repeated 20 times (about 3.2 MB).  Not the file itself repeated:
# the loader takes what follows a Project Gutenberg eBook's END line for its
# licence and the recognisers skip it, so copies after the first would cost
# nothing.  The benchmark checks that every copy was read: the mentions must
# be about 20 times one copy's.
#
# Reference: `wc -w` on the same file in the same run (see ingest_text.sh).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=ingest_prose
RUNS=3
COPIES=20
src=$DATA_DIR/text/christmas_carol.txt
[ -f "$src" ] || skip $NAME "$src not found (../shared/data is absent)"

one=$BENCH_WORK/prose_1x.txt
txt=$BENCH_WORK/prose_${COPIES}x.txt
awk '/^\*\*\* ?END OF TH(E|IS) PROJECT GUTENBERG EBOOK/ { exit }
     body { print }
     /^\*\*\* ?START OF TH(E|IS) PROJECT GUTENBERG EBOOK/ { body = 1 }' "$src" >"$one"
[ -s "$one" ] || skip $NAME "no START/END lines of a Project Gutenberg eBook in $src"
: >"$txt"
i=0
while [ $i -lt $COPIES ]; do
    cat "$one" >>"$txt"
    i=$((i + 1))
done

db=$BENCH_WORK/ingest_prose.db
json=$BENCH_WORK/ingest_prose.json
# The mentions an ingest summary (kgas ingest --json) counts.
mentions_in() {
    "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mentions"])' "$1"
}
rm -f "$db" "$db-wal" "$db-shm"
"$KGAS" --db "$db" ingest --jobs 1 --json "$one" >"$json"
m1=$(mentions_in "$json")

mb=$(calc "$(wc -c <"$txt") / 1048576" "%.2f")
kt=""
wt=""
i=1
while [ $i -le $RUNS ]; do
    rm -f "$db" "$db-wal" "$db-shm"
    t0=$(now)
    "$KGAS" --db "$db" ingest --jobs 1 --json "$txt" >"$json"
    kt="$kt $(since "$t0")"
    t0=$(now)
    wc -w "$txt" >/dev/null
    wt="$wt $(since "$t0")"
    i=$((i + 1))
done
# shellcheck disable=SC2086
k=$(median $kt)
# shellcheck disable=SC2086
w=$(median $wt)
m=$(mentions_in "$json")
rm -f "$db" "$db-wal" "$db-shm"
# Every copy read: at least 90% of COPIES times one copy's mentions (the
# document memory may tag a few more names in later copies).
read_all=$(awk -v m="$m" -v a="$m1" -v c="$COPIES" 'BEGIN { print (m >= 0.9 * c * a) ? 1 : 0 }')
if [ "$read_all" != 1 ]; then
    echo "$NAME: $m mentions for $COPIES copies of a text with $m1: not every copy was read" >&2
    exit 1
fi
rate=$(calc "$mb / $k" "%.2f")
echo "${mb} MB (A Christmas Carol's text x $COPIES, $m mentions, one copy $m1):" \
    "kgas ingest --jobs 1 median $k s = $rate MB/s | wc -w median $w s = $(calc "$mb / $w" "%.1f") MB/s" \
    "| ratio kgas/wc-w time $(calc "$k / $w" "%.1f")x"
verdict=$(awk -v r="$rate" 'BEGIN { print (r >= 2) ? "met" : "NOT met" }')
summary "$NAME" "$rate MB/s" "wc -w $(calc "$mb / $w" "%.1f") MB/s" "$(calc "$k / $w" "%.1f")x time" \
    ">= 2 MB/s per core (issue 14)" "$verdict"
