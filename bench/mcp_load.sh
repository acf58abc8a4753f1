#!/bin/bash
# mcp_load: `kgas mcp --http` under load, loopback only, bounded.
#
#   1. SESSIONS (1000) sessions at once, each connecting (initialize,
#      notifications/initialized), making one tools/call of
#      get_graph_statistics on the demo corpus's database and ending
#      (DELETE), from bench/mcp_load_client.c (libuv, raw HTTP: one node
#      process driving 1000 SDK clients spends ten times the server's CPU and
#      measures itself): latency of every call, p50/p95/p99/max, and the
#      CPU seconds the server used; REPEAT (3) runs, the median run (by p99)
#      reported.  Goal: p99 < 2 s, no errors.
#   2. through the official MCP TypeScript SDK client (bench/mcp_load.mjs):
#      SDK_SESSIONS (200) SDK sessions at once doing the same; then a fresh
#      SDK client's ping, 3 x 40 pings, alone and then with IDLE (200) TCP
#      connections open that send nothing.  Goal: the idle sockets add less
#      than 50 ms to its ping p99 and to its connect p99.
#   3. the connection count the loop serves: phase 1 at SCALE_STEPS sessions
#      (default "250 500 1000 2000 4000"), to back the default of
#      mcp.max_connections (4096).
#
# Reference, same clients, same load, same run: the SDK's own Streamable
# HTTP server (bench/mcp_ref_server.mjs, node:http), serving a tool of the
# same name that returns a fixed object (no database, so less work per call
# than kgas).  On a shared machine the absolute figures move with its load;
# the server CPU seconds say what kgas itself spent.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=mcp_load
SESSIONS=${SESSIONS:-1000}
SDK_SESSIONS=${SDK_SESSIONS:-200}
REPEAT=${REPEAT:-3}
IDLE=${IDLE:-200}
SCALE_STEPS=${SCALE_STEPS-250 500 1000 2000 4000}
command -v node >/dev/null && command -v npm >/dev/null || skip $NAME "node/npm not installed"
if [ ! -d "$BENCH_DIR/node_modules/@modelcontextprotocol/sdk" ]; then
    npm ci --prefix "$BENCH_DIR" --no-audit --no-fund >/dev/null 2>&1 ||
        skip $NAME "cannot install bench/package.json's npm packages (offline?)"
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
client=$BENCH_WORK/mcp_load_client
if [ ! -x "$client" ] || [ "$BENCH_DIR/mcp_load_client.c" -nt "$client" ]; then
    # shellcheck disable=SC2046
    cc -std=c17 -O2 -Wall -Wextra -o "$client" "$BENCH_DIR/mcp_load_client.c" \
        $(pkg-config --cflags --libs libuv)
fi

db=$BENCH_WORK/mcp_load.db
rm -f "$db" "$db-wal" "$db-shm"
KGAS_ALLOWED_ROOTS="$REPO_DIR" "$KGAS" --db "$db" ingest --json "$REPO_DIR/demo/corpus" >/dev/null

# start_server LOG CMD...: run a server in the background, print its URL.
start_server() {
    local log=$1
    shift
    "$@" >/dev/null 2>"$log" &
    echo $! >"$log.pid"
    for _ in $(seq 1 200); do
        url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -1)
        [ -n "$url" ] && { echo "$url"; return 0; }
        sleep 0.05
    done
    echo "server did not start: $(cat "$log")" >&2
    return 1
}
stop_server() { kill "$(cat "$1.pid")" 2>/dev/null || true; wait "$(cat "$1.pid")" 2>/dev/null || true; }
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }

# raw SESSIONS URL OUT [PID]: the C client; the server's CPU seconds appended.
raw() {
    local port=${2##*:}
    port=${port%%/*}
    local before=0
    [ -n "${4:-}" ] && before=$(cpu_s "$4")
    "$client" "$port" "$1" get_graph_statistics '{}' >"$3"
    [ -n "${4:-}" ] && echo "server_cpu_s=$(calc "$(cpu_s "$4") - $before" "%.2f")" >>"$3"
    return 0
}
sdk() { # URL OUT
    node "$BENCH_DIR/mcp_load.mjs" "$1" "$SDK_SESSIONS" 1 get_graph_statistics '{}' "$IDLE" "$2" \
        >/dev/null
}

klog=$BENCH_WORK/mcp_load_kgas.log
rlog=$BENCH_WORK/mcp_load_ref.log
kurl=$(start_server "$klog" env KGAS_DB="$db" KGAS_LOG_LEVEL=warn "$KGAS" mcp --http 127.0.0.1:0)
kpid=$(cat "$klog.pid")
# median_raw SESSIONS URL OUT PID: REPEAT runs; the one with the median p99 is kept.
median_raw() {
    local runs=()
    for i in $(seq 1 "$REPEAT"); do
        raw "$1" "$2" "$3.$i" "$4"
        runs+=("$(sed -n 's/.*call_ms_p99=\([0-9.]*\).*/\1/p' "$3.$i") $3.$i")
    done
    cp "$(printf '%s\n' "${runs[@]}" | sort -g | sed -n "$(((REPEAT + 1) / 2))p" | cut -d' ' -f2)" "$3"
}
median_raw "$SESSIONS" "$kurl" "$BENCH_WORK/mcp_load_kgas_raw.out" "$kpid"
sdk "$kurl" "$BENCH_WORK/mcp_load_kgas.json"
for n in $SCALE_STEPS; do
    raw "$n" "$kurl" "$BENCH_WORK/mcp_load_kgas_raw_$n.out" "$kpid"
done
stop_server "$klog"
rurl=$(start_server "$rlog" node "$BENCH_DIR/mcp_ref_server.mjs" get_graph_statistics)
rpid=$(cat "$rlog.pid")
median_raw "$SESSIONS" "$rurl" "$BENCH_WORK/mcp_load_ref_raw.out" "$rpid"
sdk "$rurl" "$BENCH_WORK/mcp_load_ref.json"
stop_server "$rlog"

"$PYTHON" - "$BENCH_WORK" "$SESSIONS" "$IDLE" "$BENCH_SUMMARY" "$SCALE_STEPS" "$SDK_SESSIONS" <<'PY'
import json, sys
work, sessions, idle, summary, steps, sdk_sessions = sys.argv[1:7]
def kv(path):
    return {a: float(b) for a, b in (t.split("=") for l in open(path) for t in l.split())}
kr, rr = kv(f"{work}/mcp_load_kgas_raw.out"), kv(f"{work}/mcp_load_ref_raw.out")
k = json.load(open(f"{work}/mcp_load_kgas.json"))
r = json.load(open(f"{work}/mcp_load_ref.json"))
def raw_row(name, x):
    print(f"{name:22} call p50 {x['call_ms_p50']:7.1f}  p95 {x['call_ms_p95']:7.1f}  "
          f"p99 {x['call_ms_p99']:7.1f}  max {x['call_ms_max']:7.1f} ms; session p99 "
          f"{x['session_ms_p99']:7.1f} ms; {x['errors']:.0f} errors; wall {x['wall_s']:.1f} s; "
          f"server CPU {x.get('server_cpu_s', float('nan')):.2f} s")
print(f"{sessions} concurrent sessions, one tools/call get_graph_statistics each (raw client, "
      f"median of the runs by p99):")
raw_row("kgas", kr)
raw_row("SDK server (reference)", rr)
def row(name, x):
    c = x["load"]["call_ms"]
    s = x["load"]["start_ms"]
    print(f"{name:22} call p50 {c['p50']:7.1f}  p95 {c['p95']:7.1f}  p99 {c['p99']:7.1f}  "
          f"max {c['max']:7.1f} ms; connect p99 {s['p99']:7.1f} ms; "
          f"{x['load']['errors']} errors; wall {x['load']['wall_s']:.1f} s")
print(f"{sdk_sessions} concurrent sessions through the SDK client:")
row("kgas", k)
row("SDK server (reference)", r)
for n in steps.split():
    x = kv(f"{work}/mcp_load_kgas_raw_{n}.out")
    print(f"  kgas at {int(n):5} sessions: call p50 {x['call_ms_p50']:7.1f}  p99 "
          f"{x['call_ms_p99']:7.1f}  max {x['call_ms_max']:7.1f} ms, {x['errors']:.0f} errors, "
          f"server CPU {x['server_cpu_s']:.2f} s")
def idle_row(name, x):
    i = x["idle"]
    q, b = i["quiet_ping_ms"], i["idle_ping_ms"]
    print(f"{name:22} ping p50/p99/max {q['p50']:.2f}/{q['p99']:.2f}/{q['max']:.2f} ms alone, "
          f"{b['p50']:.2f}/{b['p99']:.2f}/{b['max']:.2f} ms with {i['idle_sockets']} idle sockets "
          f"(connect p99 {i['quiet_connect_ms']['p99']:.1f} -> {i['idle_connect_ms']['p99']:.1f} ms; "
          f"{i['closed_by_server_during']} closed by the server meanwhile)")
    return b["p99"] - q["p99"], i["idle_connect_ms"]["p99"] - i["quiet_connect_ms"]["p99"]
dk, ck = idle_row("kgas", k)
dr, cr = idle_row("SDK server (reference)", r)
kp, rp = kr["call_ms_p99"], rr["call_ms_p99"]
ok = kp < 2000 and kr["errors"] == 0
idle_ok = dk < 50 and ck < 50
with open(summary, "a") as f:
    f.write(f"mcp_load {sessions} sessions tools/call p99\t{kp:.0f} ms\tSDK server {rp:.0f} ms\t"
            f"{kp / rp:.2f}x\t< 2000 ms, 0 errors\t{'met' if ok else 'NOT met'}\n")
    f.write(f"mcp_load ping delay from {idle} idle sockets\t{dk:+.1f} ms (connect {ck:+.1f})\t"
            f"SDK server {dr:+.1f} ms\t-\t< 50 ms\t{'met' if idle_ok else 'NOT met'}\n")
print(f"goal p99 < 2000 ms with no errors: {'met' if ok else 'NOT met'}; idle sockets add "
      f"{dk:+.1f} ms to ping p99 and {ck:+.1f} ms to connect p99, goal < 50 ms: "
      f"{'met' if idle_ok else 'NOT met'}")
PY
