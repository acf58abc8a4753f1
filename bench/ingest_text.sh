#!/bin/bash
# ingest_text: throughput (MB/s) and peak memory (RSS, from /usr/bin/time -v)
# of `kgas ingest --jobs 1` on one generated 15 MB and one 150 MB text file.
# The two sizes show whether memory stays bounded (a streaming ingest) or
# grows with the file.  The text is English-like prose with capitalised names
# from bench/gen_text.py (fixed seed), generated once under build/bench/.
#
# Reference: `wc -w` on the same file in the same run.  It reads every byte
# and splits it into words in one pass with constant memory: the floor for
# "look at all of this text".  (`cat` to /dev/null was rejected: GNU cat
# hands the copy to the kernel and measures nothing but the page cache.)
# Goal: the 150 MB file ingests with peak RSS < 300 MB, and its peak RSS is
# of the same order as the 15 MB file's (less than 10x of it).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=ingest_text
[ -x /usr/bin/time ] || skip $NAME "/usr/bin/time not installed (package time)"
RUNS=3

rss150=""
rss15=""
for size in 15 150; do
    txt=$BENCH_WORK/text_${size}mb.txt
    if [ ! -s "$txt" ] || [ "$BENCH_DIR/gen_text.py" -nt "$txt" ]; then
        echo "generating $txt"
        "$PYTHON" "$BENCH_DIR/gen_text.py" "$txt" "$size"
    fi
    mb=$(calc "$(wc -c <"$txt") / 1048576" "%.1f")
    db=$BENCH_WORK/ingest_text.db
    kt=""
    wt=""
    rss=0
    i=1
    while [ $i -le $RUNS ]; do
        rm -f "$db" "$db-wal" "$db-shm"
        t0=$(now)
        /usr/bin/time -v -o "$BENCH_WORK/ingest_text.time" \
            "$KGAS" --db "$db" ingest --jobs 1 --json "$txt" >"$BENCH_WORK/ingest_text.json"
        kt="$kt $(since "$t0")"
        r=$(peak_rss_mb "$BENCH_WORK/ingest_text.time")
        rss=$(awk -v a="$rss" -v b="$r" 'BEGIN { print (b > a) ? b : a }')

        t0=$(now)
        wc -w "$txt" >/dev/null
        wt="$wt $(since "$t0")"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    k=$(median $kt)
    # shellcheck disable=SC2086
    w=$(median $wt)
    dbmb=$(calc "$(wc -c <"$db") / 1048576" "%.1f")
    echo "${mb} MB: kgas ingest --jobs 1 median $k s = $(calc "$mb / $k" "%.1f") MB/s, peak RSS $rss MB (db $dbmb MB)" \
        "| wc -w median $w s = $(calc "$mb / $w" "%.1f") MB/s | ratio kgas/wc-w time $(calc "$k / $w" "%.1f")x"
    rate=$(calc "$mb / $k" "%.1f")
    verdict=$(awk -v r="$rate" 'BEGIN { print (r >= 5) ? "met" : "NOT met" }')
    summary "${NAME}_${size}mb" "$rate MB/s, RSS $rss MB" \
        "wc -w $(calc "$mb / $w" "%.1f") MB/s" "$(calc "$k / $w" "%.1f")x time" \
        ">= 5 MB/s (issue 3)" "$verdict"
    if [ "$size" = 15 ]; then rss15=$rss; else rss150=$rss; fi
    rm -f "$db" "$db-wal" "$db-shm"
done

met=$(awk -v a="$rss150" -v b="$rss15" 'BEGIN { print (a < 300 && a < 10 * b) ? "met" : "NOT met" }')
echo "peak RSS 150 MB: $rss150 MB, 15 MB: $rss15 MB (x$(calc "$rss150 / $rss15" "%.1f")); goal < 300 MB and same order: $met"
summary "${NAME}_rss" "RSS 150MB $rss150 MB" "RSS 15MB $rss15 MB" "$(calc "$rss150 / $rss15" "%.1f")x RSS" \
    "< 300 MB, < 10x" "$met"
