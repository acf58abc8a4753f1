#!/bin/bash
# ingest_pdf: how fast `kgas ingest --jobs 1` reads the sample papers
# (../shared/data/pdf/papers) into a fresh database, in pages/s and MB/s.
#
# Reference: poppler's `pdftotext`, one process per file, run sequentially on
# the same files in the same run.  kgas extracts text through the same poppler
# library, so pdftotext's time is the floor for "get the text out of these
# PDFs"; the ratio kgas/pdftotext is what kgas adds on top (normalisation,
# chunking, hashing, the SQLite writes and FTS index).  Both sides include
# process start-up.  Each side runs 3 times; the median is reported.
# Goals: kgas within 1.2x of pdftotext's time, one thread, for load + chunk +
# store (the graph stage off: KGAS_GRAPH_BUILD=false); and the whole
# pipeline, graph included, within 1.5x (issue 13: reading PDFs by layout,
# with block kinds, must not cost more than that).  Each of the three
# rounds times the three in turn.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=ingest_pdf
PAPERS=$DATA_DIR/pdf/papers
[ -d "$PAPERS" ] || skip $NAME "no $PAPERS (../shared/data absent)"
command -v pdftotext >/dev/null || skip $NAME "pdftotext not installed (poppler-utils)"

RUNS=3
DB=$BENCH_WORK/ingest_pdf.db
list=$BENCH_WORK/ingest_pdf.files
find "$PAPERS" -type f -name '*.pdf' | sort >"$list"
nfiles=$(wc -l <"$list")
bytes=0
pages=0
while IFS= read -r f; do
    bytes=$((bytes + $(wc -c <"$f")))
    p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    pages=$((pages + ${p:-0}))
done <"$list"
mb=$(calc "$bytes / 1048576")
echo "input: $nfiles PDFs, $pages pages, $mb MB in $PAPERS"

kt=""
pt=""
gt=""
i=1
while [ $i -le $RUNS ]; do
    # kgas: a fresh database every time, or the second run would skip
    # every file as unchanged.
    rm -f "$DB" "$DB-wal" "$DB-shm"
    t0=$(now)
    rc=0
    KGAS_GRAPH_BUILD=false "$KGAS" --db "$DB" ingest --jobs 1 --json "$PAPERS" \
        >"$BENCH_WORK/ingest_pdf.json" || rc=$?
    t=$(since "$t0")
    [ $rc -eq 0 ] || echo "warning: kgas ingest exited $rc (some files failed)" >&2
    kt="$kt $t"

    t0=$(now)
    while IFS= read -r f; do
        pdftotext "$f" /dev/null 2>/dev/null || true
    done <"$list"
    t=$(since "$t0")
    pt="$pt $t"

    rm -f "$DB" "$DB-wal" "$DB-shm"
    t0=$(now)
    "$KGAS" --db "$DB" ingest --jobs 1 --json "$PAPERS" >/dev/null || true
    gt="$gt $(since "$t0")"
    i=$((i + 1))
done
# shellcheck disable=SC2086
k=$(median $kt)
# shellcheck disable=SC2086
p=$(median $pt)
kpages=$("$KGAS" --db "$DB" stats --json | awk -F: '/"pages"/ { gsub(/[ ,]/, "", $2); print $2 }')
ratio=$(calc "$k / $p" "%.2f")
met=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.2) ? "met" : "NOT met" }')

echo "kgas ingest --jobs 1 (load, chunk, store): runs$kt s -> median $k s: $(calc "$pages / $k" "%.1f") pages/s, $(calc "$mb / $k" "%.2f") MB/s (kgas counted $kpages pages)"
echo "pdftotext (1 process per file): runs$pt s -> median $p s: $(calc "$pages / $p" "%.1f") pages/s, $(calc "$mb / $p" "%.2f") MB/s"
echo "ratio kgas/pdftotext time: ${ratio}x; goal <= 1.2x: $met"
# shellcheck disable=SC2086
g=$(median $gt)
gratio=$(calc "$g / $p" "%.2f")
gmet=$(awk -v r="$gratio" 'BEGIN { print (r <= 1.5) ? "met" : "NOT met" }')
echo "whole pipeline with the graph (layout reading, NER, relations, PageRank): runs$gt s -> median $g s = $(calc "$pages / $g" "%.1f") pages/s (${gratio}x pdftotext); goal <= 1.5x: $gmet"
summary $NAME "$(calc "$pages / $k" "%.1f") pages/s, $(calc "$mb / $k" "%.2f") MB/s" \
    "pdftotext $(calc "$pages / $p" "%.1f") pages/s" "${ratio}x time" "<= 1.2x" "$met"
summary "${NAME}_graph" "$(calc "$pages / $g" "%.1f") pages/s (graph on)" \
    "pdftotext $(calc "$pages / $p" "%.1f") pages/s" "${gratio}x time" "<= 1.5x" "$gmet"
