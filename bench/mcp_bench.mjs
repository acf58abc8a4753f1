// mcp_bench: tools/call round trips through the MCP TypeScript SDK client,
// kgas beside the official memory server, in one run.
//   node bench/mcp_bench.mjs KGAS DB NAMES_FILE OUT_JSON
// kgas serves DB over stdio and over Streamable HTTP; the memory server is
// loaded (create_entities / create_relations) with DB's entities and
// relationships, so both answer over a graph of the same size.  For each
// server, transport, tool and concurrency (1, 32) it times CALLS calls and
// reports p50 and p99 in ms; then 1000 idle pings, one at a time.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [KGAS, DB, NAMES, OUT] = process.argv.slice(2);
const CALLS = Number(process.env.CALLS || 320);
const names = fs.readFileSync(NAMES, "utf8").split("\n").filter(Boolean);
// The read cache is off unless asked for: every call does the work.
const cacheEntries = process.env.KGAS_BENCH_CACHE || "0";

function pct(v, p) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

async function connect(transport, name) {
  const c = new Client({ name, version: "1.0.0" });
  await c.connect(transport);
  return c;
}

function kgasEnv(extra) {
  return { PATH: process.env.PATH, KGAS_DB: DB, KGAS_CACHE_MAX_ENTRIES: cacheEntries,
           KGAS_LOG_LEVEL: "warn", ...extra };
}

async function kgasStdio() {
  return connect(new StdioClientTransport({ command: KGAS, args: ["mcp"], env: kgasEnv() }),
                 "bench-stdio");
}

async function kgasHttp() {
  const proc = spawn(KGAS, ["mcp", "--http", "127.0.0.1:0"],
                     { env: kgasEnv(), stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const url = await new Promise((resolve, reject) => {
    proc.stderr.on("data", (d) => {
      err += d;
      const m = err.match(/listening on (http:\S+)/);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`kgas --http exited ${code}: ${err}`)));
  });
  const c = await connect(new StreamableHTTPClientTransport(new URL(url)), "bench-http");
  c.proc = proc;
  return c;
}

async function memoryServer(dir) {
  const bin = path.join(here, "node_modules", "@modelcontextprotocol", "server-memory", "dist",
                        "index.js");
  return connect(new StdioClientTransport({
    command: process.execPath, args: [bin],
    env: { PATH: process.env.PATH, MEMORY_FILE_PATH: path.join(dir, "memory.jsonl") } }),
                 "bench-memory");
}

async function sqlRows(c, sql) {
  const rows = [];
  for (let off = 0; ; off += 10000) {
    const r = await c.callTool({ name: "read_query",
                                 arguments: { sql: `${sql} LIMIT 10000 OFFSET ${off}`,
                                              max_rows: 10000 } });
    if (r.isError) throw new Error(r.content[0].text);
    rows.push(...r.structuredContent.rows);
    if (r.structuredContent.rows.length < 10000) return rows;
  }
}

// Load kgas's graph into the memory server: names must be unique there.
async function loadMemory(mem, kg) {
  const ents = await sqlRows(kg, "SELECT id, name, type FROM entities ORDER BY id");
  const rels = await sqlRows(kg, "SELECT a.name, b.name, r.type FROM relationships r " +
                                 "JOIN entities a ON a.id = r.source_id " +
                                 "JOIN entities b ON b.id = r.target_id ORDER BY r.id");
  const seen = new Set();
  const entities = [];
  for (const [, name, type] of ents) {
    if (seen.has(name)) continue;
    seen.add(name);
    entities.push({ name, entityType: type, observations: [] });
  }
  for (let i = 0; i < entities.length; i += 500)
    await mem.callTool({ name: "create_entities", arguments: { entities: entities.slice(i, i + 500) } });
  const relations = rels.map(([from, to, relationType]) => ({ from, to, relationType }));
  for (let i = 0; i < relations.length; i += 500)
    await mem.callTool({ name: "create_relations", arguments: { relations: relations.slice(i, i + 500) } });
  return { entities: entities.length, relations: relations.length };
}

// n calls of args(i), conc at a time; latencies in ms.
async function timeCalls(c, tool, args, conc, n = CALLS) {
  const lat = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const t = performance.now();
      const r = await c.callTool({ name: tool, arguments: args(i) });
      lat.push(performance.now() - t);
      if (r.isError) throw new Error(`${tool}: ${r.content[0].text}`);
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  return lat;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kgas-bench-mcp-"));
const results = { calls: CALLS, cache_entries: Number(cacheEntries), rows: [] };
const kst = await kgasStdio();
const kht = await kgasHttp();
const mem = await memoryServer(dir);
try {
  const stats = (await kst.callTool({ name: "get_graph_statistics", arguments: {} }))
    .structuredContent;
  results.graph = { entities: stats.entities, relationships: stats.relationships };
  results.memory_graph = await loadMemory(mem, kst);
  const question = (i) => `Who is related to ${names[i % names.length]}?`;
  const plan = [
    ["kgas", "stdio", kst, "get_graph_statistics", () => ({})],
    ["kgas", "http", kht, "get_graph_statistics", () => ({})],
    ["kgas", "stdio", kst, "query_graph", (i) => ({ query_text: question(i) })],
    ["kgas", "http", kht, "query_graph", (i) => ({ query_text: question(i) })],
    ["memory", "stdio", mem, "read_graph", () => ({})],
    ["memory", "stdio", mem, "search_nodes", (i) => ({ query: names[i % names.length] })],
  ];
  for (const [server, transport, c, tool, args] of plan) {
    for (const conc of [1, 32]) {
      await timeCalls(c, tool, args, conc, Math.min(CALLS, 2 * conc)); // warm-up, not counted
      const t0 = performance.now();
      const lat = await timeCalls(c, tool, args, conc);
      const secs = (performance.now() - t0) / 1000;
      results.rows.push({ server, transport, tool, concurrency: conc, p50: pct(lat, 0.5),
                          p99: pct(lat, 0.99), calls_per_s: CALLS / secs });
    }
  }
  for (const [server, c] of [["kgas stdio", kst], ["kgas http", kht], ["memory stdio", mem]]) {
    const lat = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await c.ping();
      lat.push(performance.now() - t);
    }
    results.rows.push({ server, transport: server.split(" ")[1], tool: "ping (idle)",
                        concurrency: 1, p50: pct(lat, 0.5), p99: pct(lat, 0.99) });
  }
} finally {
  await kst.close();
  await kht.close();
  kht.proc.kill("SIGTERM");
  await mem.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.writeFileSync(OUT, JSON.stringify(results, null, 2));
