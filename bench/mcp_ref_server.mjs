// mcp_ref_server: the reference for bench/mcp_load.sh: the official MCP
// TypeScript SDK's own Streamable HTTP server (StreamableHTTPServerTransport
// with sessions, on node:http), serving one tool named like kgas's that
// answers a fixed small object (no database: it does less work per call
// than kgas does).  Prints "listening on http://127.0.0.1:PORT/mcp".
//   node bench/mcp_ref_server.mjs TOOL_NAME
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import http from "node:http";

const TOOL = process.argv[2] || "get_graph_statistics";
const transports = new Map();

function newServer() {
  const s = new McpServer({ name: "ref", version: "1.0.0" });
  s.tool(TOOL, "fixed statistics", async () => ({
    content: [{ type: "text", text: JSON.stringify({ documents: 4, chunks: 12, entities: 60 }) }],
    structuredContent: { documents: 4, chunks: 12, entities: 60 },
  }));
  return s;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let b = "";
    req.on("data", (d) => { b += d; });
    req.on("end", () => { try { resolve(b ? JSON.parse(b) : undefined); } catch (e) { reject(e); } });
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const sid = req.headers["mcp-session-id"];
    let t = sid ? transports.get(sid) : undefined;
    const body = req.method === "POST" ? await readBody(req) : undefined;
    if (!t && req.method === "POST" && isInitializeRequest(body)) {
      t = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, t),
      });
      t.onclose = () => { if (t.sessionId) transports.delete(t.sessionId); };
      await newServer().connect(t);
    }
    if (!t) {
      res.writeHead(sid ? 404 : 400).end();
      return;
    }
    await t.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => {
  console.error(`listening on http://127.0.0.1:${server.address().port}/mcp`);
});
