#!/bin/bash
# mcp: MCP tools/call round trips, p50 and p99, through the official MCP
# TypeScript SDK client (bench/mcp_bench.mjs): get_graph_statistics and
# query_graph over stdio and Streamable HTTP, at concurrency 1 and 32, on a
# database of christmas_carol.txt + 500 2WikiMultihopQA passages (the demo
# corpus when ../shared/data is absent); idle ping p99.
#
# Reference: the official memory server (@modelcontextprotocol/server-memory,
# pinned in bench/package.json) over stdio, loaded with kgas's entities and
# relationships (create_entities / create_relations), doing its nearest
# equivalents: read_graph (the whole graph: its "statistics") and
# search_nodes (name lookup: its "query").  Same client, same run.
# kgas runs with its read cache off (cache.max_entries 0) so every call does
# the work; the cache only makes repeated calls cheaper.
# Goal: idle ping p99 < 0.5 ms (kgas, stdio), measured with a minimal client
# (bench/ping_raw.py: nothing between write and read) so that it is the
# server's figure; the SDK client's is printed beside it.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=mcp
PASSAGES=${MCP_PASSAGES:-500}
command -v node >/dev/null && command -v npm >/dev/null || skip $NAME "node/npm not installed"
if [ ! -d "$BENCH_DIR/node_modules/@modelcontextprotocol/server-memory" ]; then
    npm ci --prefix "$BENCH_DIR" --no-audit --no-fund >/dev/null 2>&1 ||
        skip $NAME "cannot install bench/package.json's npm packages (offline?)"
fi

TEXT=$DATA_DIR/text
corpus=$BENCH_WORK/mcp_corpus
if [ -f "$TEXT/christmas_carol.txt" ] && [ -f "$TEXT/hipporag/2wikimultihopqa_corpus.json" ]; then
    if [ ! -f "$corpus/.done-$PASSAGES" ]; then
        rm -rf "$corpus"
        mkdir -p "$corpus"
        cp "$TEXT/christmas_carol.txt" "$corpus/"
        "$PYTHON" "$BENCH_DIR/corpus_to_text.py" "$TEXT/hipporag/2wikimultihopqa_corpus.json" \
            "$corpus/2wiki" "$PASSAGES" >/dev/null
        touch "$corpus/.done-$PASSAGES"
    fi
    what="christmas_carol.txt + $PASSAGES 2WikiMultihopQA passages"
else
    corpus=$REPO_DIR/demo/corpus
    what="the demo corpus (../shared/data absent)"
fi
db=$BENCH_WORK/mcp.db
rm -f "$db" "$db-wal" "$db-shm"
KGAS_ALLOWED_ROOTS="$corpus:$REPO_DIR" "$KGAS" --db "$db" ingest --json "$corpus" \
    >"$BENCH_WORK/mcp_ingest.json" || echo "warning: some files failed to ingest" >&2
names=$BENCH_WORK/mcp_names.txt
"$KGAS" --db "$db" top --json --limit 200 | "$PYTHON" "$BENCH_DIR/top_names.py" >"$names"
[ -s "$names" ] || skip $NAME "kgas top returned no entities"

out=$BENCH_WORK/mcp.json
node "$BENCH_DIR/mcp_bench.mjs" "$KGAS" "$db" "$names" "$out"
PINGS=${PINGS:-5000}
"$PYTHON" "$BENCH_DIR/ping_raw.py" "$PINGS" -- "$KGAS" --db "$db" mcp \
    >"$BENCH_WORK/mcp_ping_kgas.out"
memdir=$(mktemp -d)
MEMORY_FILE_PATH=$memdir/memory.jsonl "$PYTHON" "$BENCH_DIR/ping_raw.py" "$PINGS" -- node \
    "$BENCH_DIR/node_modules/@modelcontextprotocol/server-memory/dist/index.js" \
    >"$BENCH_WORK/mcp_ping_memory.out"
rm -rf "$memdir"
"$PYTHON" - "$out" "$what" "$BENCH_SUMMARY" "$BENCH_WORK/mcp_ping_kgas.out" \
    "$BENCH_WORK/mcp_ping_memory.out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def kv(path):
    return {k: float(v) for k, v in (l.strip().split("=") for l in open(path) if "=" in l)}
rk, rm = kv(sys.argv[4]), kv(sys.argv[5])
print(f"graph: {r['graph']['entities']} entities, {r['graph']['relationships']} relationships "
      f"({sys.argv[2]}); memory server loaded with {r['memory_graph']['entities']} entities, "
      f"{r['memory_graph']['relations']} relations; {r['calls']} calls per row, kgas cache "
      f"{'off' if r['cache_entries'] == 0 else 'on'}")
print(f"{'server':14} {'transport':9} {'tool':22} {'conc':>4} {'p50 ms':>8} {'p99 ms':>8} {'calls/s':>8}")
rows = r["rows"]
for x in rows:
    cps = f"{x['calls_per_s']:.0f}" if "calls_per_s" in x else "-"
    print(f"{x['server']:14} {x['transport']:9} {x['tool']:22} {x['concurrency']:>4} "
          f"{x['p50']:8.3f} {x['p99']:8.3f} {cps:>8}")
def row(server, transport, tool, conc):
    return next(x for x in rows if x["server"] == server and x["transport"] == transport
                and x["tool"] == tool and x["concurrency"] == conc)
with open(sys.argv[3], "a") as f:
    for kt, mt in (("get_graph_statistics", "read_graph"), ("query_graph", "search_nodes")):
        for conc in (1, 32):
            k, m = row("kgas", "stdio", kt, conc), row("memory", "stdio", mt, conc)
            f.write(f"mcp {kt} stdio c={conc} p99\t{k['p99']:.2f} ms\t{mt} {m['p99']:.2f} ms\t"
                    f"{k['p99'] / m['p99']:.2f}x\t-\tinfo\n")
    p = row("kgas stdio", "stdio", "ping (idle)", 1)
    m = row("memory stdio", "stdio", "ping (idle)", 1)
    f.write(f"mcp idle ping p99, SDK client\t{p['p99']:.3f} ms\tmemory {m['p99']:.3f} ms\t"
            f"{p['p99'] / m['p99']:.2f}x\t-\tinfo\n")
    f.write(f"mcp idle ping p99, raw client\t{rk['p99_ms']:.3f} ms\tmemory "
            f"{rm['p99_ms']:.3f} ms\t{rk['p99_ms'] / rm['p99_ms']:.2f}x\t< 0.5 ms\t"
            f"{'met' if rk['p99_ms'] < 0.5 else 'NOT met'}\n")
print(f"idle ping, raw client ({int(rk['n'])} pings): kgas p50 {rk['p50_ms']:.3f} ms, "
      f"p99 {rk['p99_ms']:.3f} ms, max {rk['max_ms']:.3f} ms; memory server p50 "
      f"{rm['p50_ms']:.3f} ms, p99 {rm['p99_ms']:.3f} ms")
PY
