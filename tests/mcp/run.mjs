// Integration tests of `kgas mcp` with the official MCP TypeScript SDK client.
//   node tests/mcp/run.mjs path/to/kgas [http]
// Each test starts its own server in a fresh temporary folder.  Prints one
// line per test and "N passed, N failed, N skipped"; exit 1 on failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.resolve(here, "..", "..");
const KGAS = path.resolve(process.argv[2] || path.join(SRC, "build", "kgas"));
const SHARED = process.env.TEST_SHARED_DATA || path.resolve(SRC, "..", "shared", "data");
const DEMO = path.join(SRC, "demo", "corpus");

class Skip extends Error {}

async function withServer(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kgas-mcp-"));
  const env = {
    PATH: process.env.PATH,
    KGAS_DB: path.join(dir, "kgas.db"),
    KGAS_ALLOWED_ROOTS: [dir, path.join(SRC, "demo"), SHARED].filter(fs.existsSync).join(":"),
    KGAS_LOG_LEVEL: "warn",
  };
  const transport = new StdioClientTransport({ command: KGAS, args: ["mcp"], env, cwd: dir,
                                               stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (d) => { stderr += d; });
  const client = new Client({ name: "kgas-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    await fn(client, dir);
  } catch (e) {
    if (stderr) e.message += `\nserver stderr: ${stderr.slice(-2000)}`;
    throw e;
  } finally {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The same over Streamable HTTP: start `kgas mcp --http 127.0.0.1:0` and read
// the port from its one stderr line.
async function withHttpServer(fn, token) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kgas-mcp-http-"));
  const env = { PATH: process.env.PATH, KGAS_DB: path.join(dir, "kgas.db"),
                KGAS_ALLOWED_ROOTS: [dir, path.join(SRC, "demo")].join(":") };
  if (token) env.KGAS_MCP_TOKEN = token;
  const proc = spawn(KGAS, ["mcp", "--http", "127.0.0.1:0"], { env, cwd: dir,
                                                                stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const url = await new Promise((resolve, reject) => {
    proc.stderr.on("data", (d) => {
      stderr += d;
      const m = stderr.match(/listening on (http:\S+)/);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  try {
    await fn(url, dir);
  } finally {
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function httpClient(url, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: "kgas-test-http", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

const tests = {};

tests.http_flow = () => withHttpServer(async (url) => {
  const { client: c, transport } = await httpClient(url);
  assert.ok(transport.sessionId, "session id issued");
  const { tools } = await c.listTools();
  assert.ok(tools.some((t) => t.name === "read_query"));
  const progress = [];
  const r = await c.callTool({ name: "ingest", arguments: { paths: [DEMO] } }, undefined,
                             { onprogress: (p) => progress.push(p) });
  assert.ok(!r.isError, JSON.stringify(r.content));
  assert.ok(progress.length >= 1, "progress over SSE");
  const st = await c.callTool({ name: "get_graph_statistics", arguments: {} });
  assert.equal(st.structuredContent.documents, r.structuredContent.added);
  const q = await c.callTool({ name: "read_query", arguments: { sql: "SELECT count(*) FROM chunks" } });
  assert.equal(q.structuredContent.rows[0][0], st.structuredContent.chunks);
  const bad = await c.callTool({ name: "read_query", arguments: { sql: "PRAGMA writable_schema=1" } });
  assert.ok(bad.isError && /argument 'sql'/.test(bad.content[0].text));
  await assert.rejects(c.callTool({ name: "nope", arguments: {} }),
                       (e) => e instanceof McpError && e.code === -32602);
  const { resources } = await c.listResources();
  assert.ok(resources.length >= 1);
  // concurrent requests, answered out of order is fine
  const many = await Promise.all([1, 2, 3, 4, 5].map(() => c.ping()));
  assert.equal(many.length, 5);
  await transport.terminateSession();
  await c.close();
});

tests.http_token = () => withHttpServer(async (url) => {
  const { client: c } = await httpClient(url, "s3cret-token-for-tests");
  await c.ping();
  await c.close();
  await assert.rejects(httpClient(url, "wrong-token-wrong-token"));
}, "s3cret-token-for-tests");


tests.initialize_and_list_tools = () => withServer(async (c) => {
  const info = c.getServerVersion();
  assert.equal(info.name, "kgas");
  const caps = c.getServerCapabilities();
  assert.ok(caps.tools && caps.resources && caps.logging, "capabilities");
  const { tools } = await c.listTools();
  const names = tools.map((t) => t.name);
  for (const n of ["ingest", "load_documents", "chunk_text", "get_graph_statistics",
                   "read_query", "get_system_status"])
    assert.ok(names.includes(n), `tools/list has ${n}`);
  for (const t of tools) {
    assert.ok(t.description.length > 80, `${t.name} description`);
    assert.ok(t.title, `${t.name} title`);
    assert.equal(t.inputSchema.type, "object");
    assert.ok(t.outputSchema, `${t.name} outputSchema`);
    for (const [k, p] of Object.entries(t.inputSchema.properties || {}))
      assert.ok(p.description && p.type, `${t.name}.${k} has type and description`);
  }
  const rq = tools.find((t) => t.name === "read_query");
  assert.equal(rq.inputSchema.properties.max_rows.maximum, 10000);
  await c.ping();
});

tests.ingest_stats_query_with_progress = () => withServer(async (c) => {
  const progress = [];
  const r = await c.callTool({ name: "ingest", arguments: { paths: [DEMO] } }, undefined,
                             { onprogress: (p) => progress.push(p) });
  assert.ok(!r.isError, JSON.stringify(r.content));
  const n = fs.readdirSync(DEMO).filter((f) => !f.startsWith(".")).length;
  assert.equal(r.structuredContent.added, n);
  assert.ok(progress.length >= 1, "progress notifications received");
  assert.ok(progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress));
  const st = await c.callTool({ name: "get_graph_statistics", arguments: {} });
  assert.equal(st.structuredContent.documents, n);
  assert.ok(st.structuredContent.chunks >= n);
  const q = await c.callTool({ name: "read_query",
                               arguments: { sql: "SELECT kind, count(*) AS n FROM documents GROUP BY kind ORDER BY kind" } });
  assert.ok(!q.isError, JSON.stringify(q.content));
  assert.deepEqual(q.structuredContent.columns, ["kind", "n"]);
  assert.equal(q.structuredContent.rows.reduce((a, r) => a + r[1], 0), n);
  // read_query refuses writes and the data stays
  const w = await c.callTool({ name: "read_query",
                               arguments: { sql: "WITH x AS (SELECT 1) DELETE FROM documents" } });
  assert.ok(w.isError);
  const st2 = await c.callTool({ name: "get_graph_statistics", arguments: {} });
  assert.equal(st2.structuredContent.documents, n);
  const status = await c.callTool({ name: "get_system_status", arguments: {} });
  const s = status.structuredContent;
  assert.ok(s.tools.ingest.calls === 1 && s.cache.hits >= 1, JSON.stringify(s.cache));
  assert.ok(s.loop_lag_ms.max < 1000);
  // chunk_text on a stored document
  const doc = q.structuredContent.rows.length;
  assert.ok(doc);
  const ids = await c.callTool({ name: "read_query", arguments: { sql: "SELECT id FROM documents", max_rows: 1 } });
  const ch = await c.callTool({ name: "chunk_text",
                                arguments: { document_id: ids.structuredContent.rows[0][0], chunk_size: 64 } });
  assert.ok(!ch.isError && ch.structuredContent.chunk_count >= 1, JSON.stringify(ch.content));
  const ld = await c.callTool({ name: "load_documents",
                                arguments: { document_paths: [path.join(DEMO, fs.readdirSync(DEMO)[0])] } });
  assert.equal(ld.structuredContent.documents.length, 1);
});

tests.resources_list_read_templates = () => withServer(async (c) => {
  await c.callTool({ name: "ingest", arguments: { paths: [DEMO] } });
  const { resources } = await c.listResources();
  assert.ok(resources.length >= 1);
  const d = resources.find((r) => r.uri.startsWith("kgas://document/"));
  const rd = await c.readResource({ uri: d.uri });
  assert.ok(rd.contents[0].text.length > 100);
  const { resourceTemplates } = await c.listResourceTemplates();
  assert.ok(resourceTemplates.some((t) => t.uriTemplate === "kgas://entity/{id}"));
  await assert.rejects(c.readResource({ uri: "kgas://document/doc_nope" }),
                       (e) => e instanceof McpError && e.code === -32002);
});

tests.graph_tools_query_top_details_resource = () => withServer(async (c) => {
  const ing = await c.callTool({ name: "ingest", arguments: { paths: [DEMO] } });
  assert.ok(!ing.isError && ing.structuredContent.graph.entities > 10, JSON.stringify(ing.content));
  const { tools } = await c.listTools();
  for (const n of ["extract_entities", "extract_relationships", "build_entities", "build_edges",
                   "calculate_pagerank", "query_graph", "get_top_entities", "get_entity_details"])
    assert.ok(tools.some((t) => t.name === n), `tools/list has ${n}`);
  const q = await c.callTool({ name: "query_graph", arguments: {
    query_text: "Which university does the researcher who proposed the Graph Echo Network work for?" } });
  assert.ok(!q.isError, JSON.stringify(q.content));
  const a0 = q.structuredContent.answers[0];
  assert.equal(a0.entity.name, "University of Lisbon");
  assert.match(a0.path, /Graph Echo Network .*Maria Keller .*University of Lisbon/);
  assert.ok(a0.evidence.length >= 1 && a0.evidence.every((e) => e.sentence && e.document));
  const top = await c.callTool({ name: "get_top_entities", arguments: { limit: 5 } });
  assert.equal(top.structuredContent.entities.length, 5);
  assert.ok(top.structuredContent.entities.every((e, i) => e.rank === i + 1));
  const d = await c.callTool({ name: "get_entity_details", arguments: { name: "Maria Keller" } });
  assert.ok(!d.isError, JSON.stringify(d.content));
  assert.equal(d.structuredContent.type, "PERSON");
  assert.ok(d.structuredContent.relations.some((r) => r.type === "be professor at" &&
                                               r.other.name === "University of Lisbon"));
  const uri = `kgas://entity/${d.structuredContent.id}`;
  const { resources } = await c.listResources();
  assert.ok(resources.some((r) => r.uri === uri), "entity listed as a resource");
  const rd = await c.readResource({ uri });
  assert.equal(rd.contents[0].mimeType, "application/json");
  assert.equal(JSON.parse(rd.contents[0].text).name, "Maria Keller");
  // the extraction tools chain: text -> mentions -> entities; relations -> edges
  const text = "Dr. Maria Keller is a professor at the University of Lisbon. " +
               "In 2019 Keller proposed the Graph Echo Network.";
  const ee = await c.callTool({ name: "extract_entities", arguments: { text } });
  const be = await c.callTool({ name: "build_entities", arguments: {
    mentions: ee.structuredContent.mentions, text } });
  assert.ok(be.structuredContent.entities.some((e) => e.id === d.structuredContent.id),
            "build_entities gives the stored id");
  const er = await c.callTool({ name: "extract_relationships", arguments: { text } });
  const bd = await c.callTool({ name: "build_edges", arguments: {
    relationships: er.structuredContent.relationships } });
  assert.ok(bd.structuredContent.edges.some((e) => e.type === "be professor at"));
  const pr = await c.callTool({ name: "calculate_pagerank", arguments: { damping_factor: 0.8 } },
                              undefined, { onprogress: () => {} });
  assert.ok(pr.structuredContent.converged);
  const bad = await c.callTool({ name: "query_graph", arguments: { query_text: "x", max_hops: 9 } });
  assert.ok(bad.isError && /argument 'max_hops'/.test(bad.content[0].text));
});

tests.bad_arguments_and_unknown_tool = () => withServer(async (c) => {
  const r = await c.callTool({ name: "read_query", arguments: { sql: "SELECT 1", max_rows: 0 } });
  assert.ok(r.isError);
  assert.match(r.content[0].text, /argument 'max_rows': 0 is below the minimum 1/);
  const r2 = await c.callTool({ name: "ingest", arguments: { path: ["x"] } });
  assert.ok(r2.isError);
  assert.match(r2.content[0].text, /argument 'paths' is required/);
  const r3 = await c.callTool({ name: "chunk_text", arguments: { text: "x", chunk_size: "big" } });
  assert.match(r3.content[0].text, /argument 'chunk_size': expected an integer/);
  await assert.rejects(c.callTool({ name: "no_such_tool", arguments: {} }),
                       (e) => e instanceof McpError && e.code === -32602);
});

tests.cancellation = () => withServer(async (c) => {
  await c.callTool({ name: "ingest", arguments: { paths: [DEMO] } });
  const ac = new AbortController();
  const t0 = Date.now();
  const p = c.callTool({ name: "read_query", arguments: {
    sql: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c" } },
    undefined, { signal: ac.signal });
  setTimeout(() => ac.abort("test"), 200);
  await assert.rejects(p);
  // the worker stops at its next checkpoint: nothing stays in flight
  let inflight = 1;
  for (let i = 0; i < 50 && inflight > 0; i++) {
    const s = await c.callTool({ name: "get_system_status", arguments: {} });
    inflight = s.structuredContent.in_flight - 1; // minus this call
    if (inflight > 0) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(inflight, 0, "cancelled query stopped");
  assert.ok(Date.now() - t0 < 4000, "stopped well before the 5 s time limit");
});

tests.nothing_blocks_during_big_ingest = () => withServer(async (c, dir) => {
  const big = path.join(dir, "big.txt");
  const para = "The loop thread must answer pings while workers parse and chunk text. ".repeat(20) + "\n\n";
  const fd = fs.openSync(big, "w");
  for (let n = 0; n < 50e6; n += para.length * 100) fs.writeSync(fd, para.repeat(100));
  fs.closeSync(fd);
  const paths = [big];
  const papers = path.join(SHARED, "pdf", "papers");
  if (fs.existsSync(papers)) paths.push(papers);
  let ended = false, statsBeforeEnd = false;
  const ingest = c.callTool({ name: "ingest", arguments: { paths } }, undefined,
                            { timeout: 600000, resetTimeoutOnProgress: true })
    .then((r) => { ended = true; return r; });
  const lat = [];
  const pinger = (async () => {
    while (!ended) {
      const t = performance.now();
      await c.ping();
      lat.push(performance.now() - t);
      if (!statsBeforeEnd && lat.length === 10) {
        await c.callTool({ name: "get_graph_statistics", arguments: {} });
        statsBeforeEnd = !ended;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const r = await ingest;
  await pinger;
  assert.ok(!r.isError, JSON.stringify(r.content));
  lat.sort((a, b) => a - b);
  const p99 = lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))];
  console.log(`    ${lat.length} pings during ingest, p50 ${lat[lat.length >> 1].toFixed(2)} ms, ` +
              `p99 ${p99.toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms`);
  assert.ok(lat.length >= 10, `enough pings (${lat.length})`);
  assert.ok(p99 < 50, `ping p99 ${p99} ms`);
  assert.ok(statsBeforeEnd, "get_graph_statistics answered before the ingest ended");
  const s = await c.callTool({ name: "get_system_status", arguments: {} });
  console.log(`    server loop lag: max ${s.structuredContent.loop_lag_ms.max.toFixed(2)} ms, ` +
              `p99 ${s.structuredContent.loop_lag_ms.p99.toFixed(2)} ms`);
});

let passed = 0, failed = 0, skipped = 0;
const filter = process.argv[3];
for (const [name, fn] of Object.entries(tests)) {
  if (filter && !name.includes(filter)) continue;
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok    ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    if (e instanceof Skip) { skipped++; console.log(`skip  ${name}: ${e.message}`); continue; }
    failed++;
    console.log(`FAIL  ${name}: ${e.stack || e}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
