// mcp_load: many concurrent MCP sessions over Streamable HTTP, through the
// official MCP TypeScript SDK client (the client real users run).
//   node bench/mcp_load.mjs URL SESSIONS CALLS TOOL ARGS_JSON IDLE_SOCKETS OUT_JSON
// Phase 1 (load): SESSIONS sessions start at once; each connects
// (initialize, notifications/initialized, the GET the SDK tries), makes
// CALLS tools/call of TOOL with ARGS_JSON one after another, and closes.
// Reported: the latency of every tools/call and of every session start,
// p50/p95/p99/max in ms, errors, wall time.
// Phase 2 (idle sockets): a fresh client connects and pings, PINGS times in
// a row, first with nothing else open, then with IDLE_SOCKETS raw TCP
// connections open that send nothing; reported: both sets of ping latencies
// and the fresh client's connect latencies.
// Loopback only; bounded: every phase has a deadline.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import fs from "node:fs";
import net from "node:net";

const [URL_, SESSIONS, CALLS, TOOL, ARGS, IDLE, OUT] = process.argv.slice(2);
const url = new URL(URL_);
const nSessions = Number(SESSIONS);
const nCalls = Number(CALLS);
const args = JSON.parse(ARGS);
const PINGS = 40;
const DEADLINE_MS = 300000;

function stats(v) {
  const s = [...v].sort((a, b) => a - b);
  const at = (p) => s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.length ? s[s.length - 1] : NaN };
}

function deadline(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: deadline`)), ms).unref());
}

async function session(calls, startLat, errors) {
  const t0 = performance.now();
  const transport = new StreamableHTTPClientTransport(url);
  const c = new Client({ name: "load", version: "1.0.0" });
  try {
    await c.connect(transport);
    startLat.push(performance.now() - t0);
    for (let i = 0; i < nCalls; i++) {
      const a = performance.now();
      const r = await c.callTool({ name: TOOL, arguments: args });
      if (r.isError) throw new Error(r.content?.[0]?.text);
      calls.push(performance.now() - a);
    }
  } catch (e) {
    errors.push(String(e.message || e).slice(0, 200));
  } finally {
    try { await transport.terminateSession(); } catch { /* already gone */ }
    await c.close().catch(() => {});
  }
}

async function load() {
  const calls = [], starts = [], errors = [];
  const t0 = performance.now();
  await Promise.race([
    Promise.all(Array.from({ length: nSessions }, () => session(calls, starts, errors))),
    deadline(DEADLINE_MS, "load phase"),
  ]);
  return { sessions: nSessions, calls_per_session: nCalls, wall_s: (performance.now() - t0) / 1000,
           call_ms: stats(calls), start_ms: stats(starts), errors: errors.length,
           first_errors: [...new Set(errors)].slice(0, 5) };
}

async function pings() {
  const transport = new StreamableHTTPClientTransport(url);
  const c = new Client({ name: "ping", version: "1.0.0" });
  const t0 = performance.now();
  await c.connect(transport);
  const connect = performance.now() - t0;
  const lat = [];
  for (let i = 0; i < PINGS; i++) {
    const a = performance.now();
    await c.ping();
    lat.push(performance.now() - a);
  }
  await transport.terminateSession().catch(() => {});
  await c.close();
  return { connect, lat };
}

function openIdle(n) {
  return Promise.race([Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const s = net.connect(Number(url.port), url.hostname, () => resolve(s));
    s.on("error", reject);
  }))), deadline(30000, "opening idle sockets")]);
}

async function idlePhase(n) {
  const quiet = [], busy = [], quietConnect = [], busyConnect = [];
  for (let r = 0; r < 3; r++) {
    const q = await pings();
    quiet.push(...q.lat);
    quietConnect.push(q.connect);
  }
  const socks = await openIdle(n);
  await new Promise((r) => setTimeout(r, 200)); // let the server accept them all
  let closedEarly = 0;
  for (const s of socks) s.on("close", () => { closedEarly++; });
  for (let r = 0; r < 3; r++) {
    const b = await pings();
    busy.push(...b.lat);
    busyConnect.push(b.connect);
  }
  for (const s of socks) s.destroy();
  return { idle_sockets: n, closed_by_server_during: closedEarly,
           quiet_ping_ms: stats(quiet), idle_ping_ms: stats(busy),
           quiet_connect_ms: stats(quietConnect), idle_connect_ms: stats(busyConnect) };
}

const out = { load: await load(), idle: await idlePhase(Number(IDLE)) };
fs.writeFileSync(OUT, JSON.stringify(out, null, 1));
console.log(JSON.stringify(out));
process.exit(0);
