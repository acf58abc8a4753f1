#!/bin/bash
# query: latency of `kgas query "..." --json`, p50 and p99 over 200 queries,
# each a separate process (start-up, opening the database and loading the
# graph included: that is what a person or a script calling the CLI waits
# for).  The database is built from ../shared/data/text: christmas_carol.txt
# and the first 2000 passages of the HippoRAG 2WikiMultihopQA corpus, one
# .txt per passage under build/bench/.  The queries are the names of the
# database's top entities (`kgas top --json --limit 200`).
#
# Reference: the `sqlite3` CLI on the same database, one process per query,
# running the equivalent lookup in SQL: the entity by name, its neighbours
# within two hops, the ten with the highest PageRank.  It is the floor for
# "start a process, open this SQLite file, answer from the graph tables".
# Goal: kgas query p99 < 50 ms.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=query
PASSAGES=${PASSAGES:-all}
NQUERIES=${NQUERIES:-200}
kgas_has query || skip $NAME "kgas query not available in this build"
kgas_has top || skip $NAME "kgas top not available in this build"
TEXT=$DATA_DIR/text
if [ ! -f "$TEXT/christmas_carol.txt" ] || [ ! -f "$TEXT/hipporag/2wikimultihopqa_corpus.json" ]; then
    skip $NAME "no $TEXT (../shared/data absent)"
fi
command -v sqlite3 >/dev/null || skip $NAME "sqlite3 CLI not installed"

corpus=$BENCH_WORK/query_corpus
if [ ! -f "$corpus/.done-$PASSAGES" ]; then
    rm -rf "$corpus"
    mkdir -p "$corpus"
    cp "$TEXT/christmas_carol.txt" "$corpus/"
    limit=$PASSAGES
    [ "$limit" = all ] && limit=1000000000
    "$PYTHON" "$BENCH_DIR/corpus_to_text.py" "$TEXT/hipporag/2wikimultihopqa_corpus.json" \
        "$corpus/2wiki" "$limit" >/dev/null
    touch "$corpus/.done-$PASSAGES"
fi
db=$BENCH_WORK/query.db
# A fresh database each run: ingest skips unchanged files, so a database left
# by an older build would keep that build's graph.
rm -f "$db" "$db-wal" "$db-shm"
t0=$(now)
"$KGAS" --db "$db" ingest --json "$corpus" >"$BENCH_WORK/query_ingest.json" ||
    echo "warning: some files failed to ingest (see $BENCH_WORK/query_ingest.json)" >&2
echo "database: $PASSAGES passages + christmas_carol.txt, ingest $(since "$t0") s;" \
    "$("$KGAS" --db "$db" stats --json | tr -d '\n ' )"

queries=$BENCH_WORK/query_names.txt
"$KGAS" --db "$db" top --json --limit "$NQUERIES" | "$PYTHON" "$BENCH_DIR/top_names.py" >"$queries"
nq=$(wc -l <"$queries")
[ "$nq" -gt 0 ] || skip $NAME "kgas top returned no entities (is the graph built at ingest?)"

questions=$BENCH_WORK/query_questions.txt
"$PYTHON" -c 'import sys
n = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for i, a in enumerate(n):
    print(f"How is {a} connected to {n[(i + 7) % len(n)]}?")' "$queries" >"$questions"

"$PYTHON" "$BENCH_DIR/latency.py" "$queries" -- "$KGAS" --db "$db" query "{}" --json \
    >"$BENCH_WORK/query_kgas.out"
"$PYTHON" "$BENCH_DIR/latency.py" "$questions" -- "$KGAS" --db "$db" query "{}" --json \
    >"$BENCH_WORK/query_kgasq.out"
sql="WITH s AS (SELECT id FROM entities WHERE name = '{}' COLLATE NOCASE),
 h1 AS (SELECT target_id AS id FROM relationships WHERE source_id IN s
        UNION SELECT source_id FROM relationships WHERE target_id IN s),
 h2 AS (SELECT id FROM h1
        UNION SELECT target_id FROM relationships WHERE source_id IN h1
        UNION SELECT source_id FROM relationships WHERE target_id IN h1)
 SELECT name, pagerank FROM entities WHERE id IN h2 ORDER BY pagerank DESC LIMIT 10;"
"$PYTHON" "$BENCH_DIR/latency.py" "$queries" --sql -- sqlite3 -readonly -json "$db" "$sql" \
    >"$BENCH_WORK/query_sqlite.out"

get() { sed -n "s/^$1=//p" "$BENCH_WORK/query_$2.out"; }
kp50=$(get p50_ms kgas)
kp99=$(get p99_ms kgas)
qp50=$(get p50_ms kgasq)
qp99=$(get p99_ms kgasq)
sp50=$(get p50_ms sqlite)
sp99=$(get p99_ms sqlite)
echo "kgas query ($nq queries, $(get failed kgas) non-zero exits): p50 $kp50 ms, p99 $kp99 ms, mean $(get mean_ms kgas) ms"
echo "kgas query, questions naming two entities ($(get n kgasq), $(get failed kgasq) non-zero exits): p50 $qp50 ms, p99 $qp99 ms"
echo "sqlite3 2-hop lookup ($(get failed sqlite) non-zero exits): p50 $sp50 ms, p99 $sp99 ms, mean $(get mean_ms sqlite) ms"
ratio=$(calc "$kp99 / $sp99" "%.2f")
met=$(awk -v p="$kp99" -v q="$qp99" 'BEGIN { print (p < 50 && q < 50) ? "met" : "NOT met" }')
echo "ratio kgas/sqlite3: p50 $(calc "$kp50 / $sp50" "%.2f")x, p99 ${ratio}x; goal p99 < 50 ms: $met"
summary $NAME "names p50 $kp50 ms, p99 $kp99 ms; questions p50 $qp50, p99 $qp99 ms" "sqlite3 p50 $sp50 ms, p99 $sp99 ms" "${ratio}x p99" "p99 < 50 ms" "$met"
