#!/bin/bash
# export: `kgas export --format csv` of a graph of 200k entities and 1M
# relationships (bench/gen_graph.py writes it straight into a kgas
# database), in MB/s of CSV written, with its peak RSS.
#
# Reference, same database, same run: `sqlite3 -csv` dumping the same two
# tables (entities, relationships) to files: the cost of reading the rows
# and formatting CSV with no export logic at all.  kgas writes more (an
# adjacency file too, joins for edge ends), so the ratio is reported as
# MB/s against MB/s.  Goal: at least half of sqlite3's rate (ratio >= 0.5).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=export_csv
NODES=200000
EDGES=1000000
kgas_has export || skip $NAME "this kgas has no export command"
command -v sqlite3 >/dev/null || skip $NAME "no sqlite3 command-line tool (apt install sqlite3)"
[ -x /usr/bin/time ] || skip $NAME "no /usr/bin/time (apt install time)"

db=$BENCH_WORK/export_${NODES}_${EDGES}.db
if [ ! -s "$db" ] || [ "$BENCH_DIR/gen_graph.py" -nt "$db" ]; then
    echo "generating $db"
    rm -f "$db" "$db-wal" "$db-shm"
    seed=$BENCH_WORK/export_seed
    mkdir -p "$seed"
    echo "Alan Turing worked at Bletchley Park." >"$seed/a.txt"
    "$KGAS" --db "$db" ingest "$seed" >/dev/null 2>&1
    "$PYTHON" "$BENCH_DIR/gen_graph.py" "$db" $NODES $EDGES
fi

out=$BENCH_WORK/export_out
rm -rf "$out" "$out.ref"
mkdir -p "$out.ref"
t0=$(now)
/usr/bin/time -v -o "$BENCH_WORK/export.time" "$KGAS" --db "$db" export --format csv --out "$out" 2>/dev/null
k=$(since "$t0")
kbytes=$(cat "$out"/*.csv | wc -c)
rss=$(peak_rss_mb "$BENCH_WORK/export.time")

t0=$(now)
sqlite3 -readonly -csv -header "$db" "SELECT * FROM entities" >"$out.ref/entities.csv"
sqlite3 -readonly -csv -header "$db" "SELECT * FROM relationships" >"$out.ref/relationships.csv"
r=$(since "$t0")
rbytes=$(cat "$out.ref"/*.csv | wc -c)

kmbs=$(calc "$kbytes / 1048576 / $k" "%.1f")
rmbs=$(calc "$rbytes / 1048576 / $r" "%.1f")
ratio=$(calc "$kmbs / $rmbs" "%.3f")
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) ? "met" : "NOT met" }')
echo "kgas export csv: $(calc "$kbytes / 1048576" "%.1f") MB in $(calc "$k" "%.2f") s = $kmbs MB/s, peak RSS $rss MB"
echo "sqlite3 -csv (same tables): $(calc "$rbytes / 1048576" "%.1f") MB in $(calc "$r" "%.2f") s = $rmbs MB/s"
echo "ratio kgas/sqlite3 MB/s: ${ratio}x; goal >= 0.5x: $met"
summary "$NAME" "$kmbs MB/s (RSS $rss MB)" "sqlite3 -csv $rmbs MB/s" "${ratio}x MB/s" ">= 0.5x" "$met"
rm -rf "$out" "$out.ref"
