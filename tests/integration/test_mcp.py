#!/usr/bin/env python3
"""Integration tests for `kgas mcp`, `kgas tools` and `kgas tool`.

Raw-byte stdio tests (what a broken or hostile client can send) live here;
the protocol flows with the official MCP TypeScript SDK client live in
tests/mcp/run.mjs, which test_sdk_client runs (installing its pinned
dependencies with `npm ci` when node_modules is missing).
"""
import json
import os
import select
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import Skip, eq, ok, run, run_json  # noqa: E402

DEMO = os.path.join(h.SRC, "demo", "corpus")
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "raw", "version": "0"}}}


class Raw:
    """A kgas mcp process driven with raw bytes over its stdin."""

    def __init__(self, extra_env=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
        env.update(extra_env or {})
        self.p = subprocess.Popen([h.KGAS, "mcp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.buf = b""

    def send(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def msg(self, obj):
        self.send(json.dumps(obj).encode() + b"\n")

    def read(self, timeout=10):
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            ok(left > 0, "timed out waiting for a message")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 1 << 16)
                ok(chunk, "server closed stdout")
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def quiet(self, wait=0.3):
        r, _, _ = select.select([self.p.stdout], [], [], wait)
        return not r and b"\n" not in self.buf

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)
        err = self.p.stderr.read()
        self.p.stderr.close()
        self.p.stdout.close()
        return err


def error_code(m):
    return m.get("error", {}).get("code")


def test_stdio_bad_input_keeps_serving():
    s = Raw()
    s.msg({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    m = s.read()
    eq(error_code(m), -32600, "request before initialize")
    ok("initialize" in m["error"]["message"], m)
    s.msg(INIT)
    m = s.read()
    eq(m["id"], 1, "initialize answered")
    eq(m["result"]["protocolVersion"], "2025-06-18", "client's version kept")
    s.msg({"jsonrpc": "2.0", "method": "notifications/initialized"})
    ok(s.quiet(), "notifications are never answered")
    s.send(b'{"jsonrpc": "2.0", "id": 2, "method": \n')
    eq(error_code(s.read()), -32700, "malformed JSON")
    s.send(b"[1, 2]\n")
    eq(error_code(s.read()), -32600, "array")
    s.send(b"42\n")
    eq(error_code(s.read()), -32600, "non-object")
    s.send(b'{"jsonrpc": "2.0", "id": 3, "method": "bogus/method"}\n')
    m = s.read()
    eq((m["id"], error_code(m)), (3, -32601), "unknown method")
    s.send(b'{"jsonrpc": "2.0", "id": 4, "method": "ping", "params": {"x": "\xff\xfe"}}\n')
    eq(error_code(s.read()), -32700, "invalid UTF-8")
    s.send(b'{"jsonrpc": "2.0", "method": "bogus/notification"}\n')
    ok(s.quiet(), "unknown notification not answered")
    # 100 MB on one line: one error, memory stays bounded, the session lives
    chunk = b"x" * (1 << 20)
    s.send(b'{"jsonrpc": "2.0", "id": 5, "method": "ping", "params": {"pad": "')
    for _ in range(100):
        s.send(chunk)
    s.send(b'"}}\n')
    m = s.read(timeout=60)
    eq(error_code(m), -32600, "100 MB line refused")
    ok("longer than" in m["error"]["message"], m)
    eq(m["id"], 5, "the refusal names the request (its id stood at the start of the line)")
    # An id past the limit cannot be read: the error then has id null.
    s.send(b'{"jsonrpc": "2.0", "method": "ping", "params": {"pad": "' + b"y" * (5 << 20) +
           b'"}, "id": 55}\n')
    m = s.read(timeout=60)
    eq((m["id"], error_code(m)), (None, -32600), "id beyond the limit")
    s.msg({"jsonrpc": "2.0", "id": 6, "method": "ping"})
    m = s.read()
    eq((m["id"], m["result"]), (6, {}), "still serving after all of that")
    s.msg({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
           "params": {"name": "nope", "arguments": {}}})
    m = s.read()
    eq(error_code(m), -32602, "unknown tool")
    err = s.close()
    eq(s.p.returncode, 0, f"clean exit at EOF: {err!r}")


def test_stdio_stdout_holds_only_protocol():
    s = Raw()
    s.msg(INIT)
    s.read()
    s.msg({"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "debug"}})
    eq(s.read()["result"], {}, "setLevel")
    s.msg({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
           "params": {"name": "read_query", "arguments": {"sql": "DROP TABLE documents"}}})
    seen = []
    while True:
        m = s.read()
        ok(m.get("jsonrpc") == "2.0", f"protocol message: {m}")
        seen.append(m)
        if m.get("id") == 3:
            break
    ok(any(m.get("method") == "notifications/message" for m in seen), "log notification sent")
    s.close()


def test_stdio_batches_only_in_2025_03_26():
    """2025-03-26 requires servers to accept JSON-RPC batches; later
    versions removed them.  kgas takes them in sessions of that version
    only, answering a batch's requests as one array."""
    s = Raw()
    s.msg(INIT)
    s.read()
    s.send(b'[{"jsonrpc": "2.0", "id": 2, "method": "ping"}]\n')
    m = s.read()
    eq(error_code(m), -32600, "batch in a 2025-06-18 session")
    ok("2025-03-26" in m["error"]["message"], m)
    s.close()
    s = Raw()
    init = json.loads(json.dumps(INIT))
    init["params"]["protocolVersion"] = "2025-03-26"
    s.msg(init)
    eq(s.read()["result"]["protocolVersion"], "2025-03-26", "version")
    s.msg([{"jsonrpc": "2.0", "method": "notifications/initialized"},
           {"jsonrpc": "2.0", "id": 2, "method": "ping"},
           {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
            "params": {"name": "get_system_status", "arguments": {}}},
           {"jsonrpc": "2.0", "id": 4, "method": "nope"}])
    m = s.read()
    ok(isinstance(m, list), f"one array: {m}")
    eq(sorted(x["id"] for x in m), [2, 3, 4], "one answer per request")
    by = {x["id"]: x for x in m}
    eq(by[2]["result"], {}, "ping")
    eq(by[3]["result"]["structuredContent"]["transport"], "stdio", "tool call")
    eq(error_code(by[4]), -32601, "unknown method")
    s.msg([{"jsonrpc": "2.0", "method": "notifications/initialized"}])
    ok(s.quiet(), "a batch of notifications gets no answer")
    s.close()


def test_unsupported_version_gets_latest():
    s = Raw()
    init = json.loads(json.dumps(INIT))
    init["params"]["protocolVersion"] = "1999-01-01"
    s.msg(init)
    eq(s.read()["result"]["protocolVersion"], "2025-11-25", "our latest")
    s.close()


def test_tools_cli_list_validate_and_call():
    p = run("tools", check=0)
    for name in ("ingest", "read_query", "get_system_status"):
        ok(name in p.stdout, name)
    j, _ = run_json("tools", "--json", check=0)
    ok(all("inputSchema" in t for t in j["tools"]), "schemas")
    v, _ = run_json("tools", "--validate", "--json", check=0)
    ok(all(t["passed"] or t.get("skipped") for t in v["tools"]), v)
    # Without llm.* settings the LLM tool cannot run: skipped, saying why
    # (test_llm.py runs it against the fake service).
    eq([t["name"] for t in v["tools"] if t.get("skipped")], ["extract_entities_llm"], "skipped")
    ok("extract_entities_llm" in p.stdout, "listed by `kgas tools`")
    ok(v["average_ms"] >= 0, v)
    run_json("tool", "ingest", "--args", json.dumps({"paths": [DEMO]}), check=0)
    r, _ = run_json("tool", "read_query", "--args",
                    '{"sql": "SELECT count(*) AS n FROM documents"}', check=0)
    ok(r["rows"][0][0] >= 1, r)
    p = run("tool", "read_query", "--args", '{"sql": "SELECT 1", "max_rows": 99999}', check=1)
    ok("argument 'max_rows': 99999 is above the maximum 10000" in p.stderr, p.stderr)
    p = run("tool", "nope", check=2)
    p = run("tool", "read_query", "--args", "{bad", check=2)


def test_graph_cache_invalidated_by_other_process():
    """Read tools answer from the cache; a write by another process (an
    ingest, a calculate_pagerank) must be seen at once, not after the TTL."""
    import tempfile
    d = tempfile.mkdtemp(prefix="kgas-cache-")
    db = os.path.join(d, "k.db")
    env = {"KGAS_DB": db, "KGAS_ALLOWED_ROOTS": h.SRC}
    try:
        run("--db", db, "ingest", os.path.join(DEMO, "lisbon_graph_echo.md"), check=0,
            env={"KGAS_ALLOWED_ROOTS": h.SRC})
        s = Raw(env)
        s.msg(INIT)
        s.read()
        n = [10]

        def call(name, args):
            n[0] += 1
            s.msg({"jsonrpc": "2.0", "id": n[0], "method": "tools/call",
                   "params": {"name": name, "arguments": args}})
            m = s.read()
            ok(not m["result"]["isError"], m)
            return m["result"]["structuredContent"]

        def hits():
            return call("get_system_status", {})["cache"]["hits"]

        top1 = call("get_top_entities", {"limit": 50})
        h0 = hits()
        eq(call("get_top_entities", {"limit": 50}), top1, "same answer")
        eq(hits(), h0 + 1, "second call was a cache hit")
        # another process re-ranks with another damping factor, at once
        run("--db", db, "tool", "calculate_pagerank", "--args", '{"damping_factor": 0.3}',
            check=0)
        top2 = call("get_top_entities", {"limit": 50})
        ok(top2 != top1, "new scores after another process's calculate_pagerank")
        # another process ingests more documents
        q = {"query_text": "Who works for the University of Lisbon?"}
        call("query_graph", q)
        run("--db", db, "ingest", DEMO, check=0, env={"KGAS_ALLOWED_ROOTS": h.SRC})
        top3 = call("get_top_entities", {"limit": 50})
        ok(len(top3["entities"]) > len(top2["entities"]), "new entities after ingest")
        det = call("get_entity_details", {"name": "Maria Keller"})
        eq(det["name"], "Maria Keller", "details")
        s.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_cli_tool_and_mcp_options():
    """The text outputs and usage errors of `kgas tools`, `kgas tool` and
    `kgas mcp`'s options (token file, workers)."""
    import tempfile
    p = run("tools", "--validate", check=0)
    ok("query_graph" in p.stdout and "slowest but ingest" in p.stdout, p.stdout)
    run("tools", "--bogus", check=2)
    run("tool", check=2)
    run("tool", "read_query", "extra", check=2)
    run("tool", "read_query", "--args", check=2)
    d = tempfile.mkdtemp(prefix="kgas-cli-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    try:
        db = os.path.join(d, "k.db")
        p = run("--db", db, "tool", "get_top_entities", check=1)
        ok("no database" in p.stderr, p.stderr)
        run("--db", db, "ingest", DEMO, check=0, env={"KGAS_ALLOWED_ROOTS": h.SRC})
        p = run("--db", db, "stats", check=0)
        ok("entities" in p.stdout, p.stdout)
        good = os.path.join(d, "tok")
        with open(good, "w") as f:
            f.write("a-token-long-enough-for-kgas\n")
        short = os.path.join(d, "short")
        with open(short, "w") as f:
            f.write("short\n")
        for args, code, what in (
                (["--token-file", good, "--workers", "3"], 0, None),
                (["--token-file", short], 2, "shorter than 16"),
                (["--token-file", os.path.join(d, "none")], 2, "cannot read"),
                (["--workers", "0x"], 2, "--workers"),
                (["--bogus"], 2, "unknown argument"),
                (["--http"], 2, "--http")):
            p = subprocess.run([h.KGAS, "--db", db, "mcp", *args], input="", capture_output=True,
                               text=True, env=env, timeout=30, cwd=d)
            eq(p.returncode, code, f"mcp {args}: {p.stderr}")
            if what:
                ok(what in p.stderr, f"mcp {args}: {p.stderr}")
    finally:
        shutil.rmtree(d, ignore_errors=True)


class Http:
    """A `kgas mcp --http 127.0.0.1:0` process; .url is its endpoint."""

    def __init__(self, token=None, extra_env=None):
        import re
        env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
        if token:
            env["KGAS_MCP_TOKEN"] = token
        env.update(extra_env or {})
        self.p = subprocess.Popen([h.KGAS, "mcp", "--http", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        line = self.p.stderr.readline().decode()
        m = re.search(r"listening on (http://\S+)", line)
        ok(m, f"server announced its address: {line!r}")
        self.url = m.group(1)

    def post(self, body, headers=None, method="POST"):
        import urllib.error
        import urllib.request
        hd = {"Content-Type": "application/json",
              "Accept": "application/json, text/event-stream"}
        hd.update(headers or {})
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        rq = urllib.request.Request(self.url, data=data if method == "POST" else None,
                                    headers=hd, method=method)
        try:
            with urllib.request.urlopen(rq, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def close(self):
        self.p.terminate()
        self.p.wait(timeout=10)
        self.p.stdout.close()
        self.p.stderr.close()


def test_http_sessions_origin_delete_and_limits():
    s = Http(extra_env={"KGAS_MCP_MAX_BODY_BYTES": "65536"})
    try:
        st, _, _ = s.post({"jsonrpc": "2.0", "id": 1, "method": "ping"})
        eq(st, 400, "no session id")
        st, _, _ = s.post({"jsonrpc": "2.0", "id": 1, "method": "ping"},
                          {"Mcp-Session-Id": "deadbeef"})
        eq(st, 404, "unknown session")
        st, hd, body = s.post(INIT)
        eq(st, 200, "initialize")
        sid = hd.get("Mcp-Session-Id")
        ok(sid and len(sid) == 32, f"session id {sid}")
        eq(json.loads(body)["result"]["protocolVersion"], "2025-06-18", "version")
        st, _, body = s.post({"jsonrpc": "2.0", "id": 2, "method": "ping"},
                             {"Mcp-Session-Id": sid})
        eq((st, json.loads(body)["result"]), (200, {}), "ping in session")
        st, _, body = s.post({"jsonrpc": "2.0", "method": "notifications/initialized"},
                             {"Mcp-Session-Id": sid})
        eq((st, body), (202, b""), "notification accepted, no body")
        st, _, _ = s.post({"jsonrpc": "2.0", "id": 3, "method": "ping"},
                          {"Mcp-Session-Id": sid, "Origin": "http://evil.example"})
        eq(st, 403, "foreign Origin")
        st, _, _ = s.post({"jsonrpc": "2.0", "id": 3, "method": "ping"},
                          {"Mcp-Session-Id": sid, "Origin": "http://localhost:3000"})
        eq(st, 200, "localhost Origin")
        st, _, body = s.post(b"{nope", {"Mcp-Session-Id": sid})
        eq((st, json.loads(body)["error"]["code"]), (400, -32700), "parse error over HTTP")
        st, _, body = s.post({"jsonrpc": "1.0", "id": 9, "method": "ping"},
                             {"Mcp-Session-Id": sid})
        eq((st, json.loads(body)["error"]["code"]), (400, -32600), "not a JSON-RPC message")
        st, _, _ = s.post(b'{"jsonrpc":"2.0","id":4,"method":"ping","params":{"p":"' +
                          b"x" * 100000 + b'"}}', {"Mcp-Session-Id": sid})
        eq(st, 413, "body limit")
        # content negotiation, as the SDK's servers answer
        ping = {"jsonrpc": "2.0", "id": 5, "method": "ping"}
        st, _, body = s.post(ping, {"Mcp-Session-Id": sid, "Accept": "text/html"})
        eq(st, 406, "Accept allows neither JSON nor SSE")
        st, _, _ = s.post(ping, {"Mcp-Session-Id": sid, "Accept": "application/json;q=0, */*;q=0"})
        eq(st, 406, "q=0 refuses")
        st, hd, body = s.post(ping, {"Mcp-Session-Id": sid, "Accept": "text/event-stream"})
        eq((st, hd.get("Content-Type")), (200, "text/event-stream"), "SSE only: an event")
        ok(b'"id":5' in body, body)
        st, _, body = s.post(ping, {"Mcp-Session-Id": sid, "Accept": "*/*"})
        eq((st, json.loads(body)["id"]), (200, 5), "*/* gets JSON")
        st, _, _ = s.post(ping, {"Mcp-Session-Id": sid, "Content-Type": "text/plain"})
        eq(st, 415, "wrong Content-Type")
        st, _, _ = s.post(ping, {"Mcp-Session-Id": sid,
                                 "Content-Type": "Application/JSON; charset=utf-8"})
        eq(st, 200, "Content-Type parameters and case")
        st, _, _ = s.post(ping, {"Mcp-Session-Id": sid, "MCP-Protocol-Version": "1999-01-01"})
        eq(st, 400, "unknown protocol version header")
        for method in ("GET", "PUT", "PATCH"):
            st, hd, _ = s.post(None, {"Mcp-Session-Id": sid}, method=method)
            eq(st, 405, method)
            ok("POST" in hd.get("Allow", ""), f"405 {method} names what is allowed: {hd}")
        st, _, _ = s.post(None, {}, method="DELETE")
        eq(st, 400, "DELETE without a session id")
        st, _, _ = s.post(None, {"Mcp-Session-Id": "f" * 32}, method="DELETE")
        eq(st, 404, "DELETE of an unknown session")
        st, _, _ = s.post(None, {"Mcp-Session-Id": sid}, method="DELETE")
        eq(st, 200, "DELETE ends the session")
        st, _, _ = s.post({"jsonrpc": "2.0", "id": 5, "method": "ping"},
                          {"Mcp-Session-Id": sid})
        eq(st, 404, "session gone after DELETE")
    finally:
        s.close()


def test_http_browsers_cors_and_host():
    """CORS for the origins the Origin check allows, none for others; a
    foreign Host is refused like a foreign Origin (DNS rebinding)."""
    s = Http(extra_env={"KGAS_MCP_ALLOWED_ORIGINS": "https://app.example",
                        "KGAS_MCP_ALLOWED_HOSTS": "kgas.internal"})
    try:
        pre = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "content-type, mcp-session-id"}
        st, hd, _ = s.post(None, pre, method="OPTIONS")
        eq(st, 204, "preflight")
        eq(hd.get("Access-Control-Allow-Origin"), "https://app.example", "allowed origin")
        ok("POST" in hd.get("Access-Control-Allow-Methods", ""), hd)
        ok("mcp-session-id" in hd.get("Access-Control-Allow-Headers", "").lower(), hd)
        st, hd, _ = s.post(None, dict(pre, Origin="https://evil.example"), method="OPTIONS")
        eq(st, 403, "preflight from a foreign origin")
        ok("Access-Control-Allow-Origin" not in hd, f"no CORS for it: {hd}")
        st, hd, _ = s.post(INIT, {"Origin": "https://app.example"})
        eq(st, 200, "initialize from the browser")
        eq(hd.get("Access-Control-Allow-Origin"), "https://app.example", "CORS on the answer")
        ok("mcp-session-id" in hd.get("Access-Control-Expose-Headers", "").lower(),
           f"the session id is readable by the page: {hd}")
        st, hd, _ = s.post(INIT)
        eq(st, 200, "no Origin: not a browser")
        ok("Access-Control-Allow-Origin" not in hd, f"no CORS without Origin: {hd}")
        for host, code in (("evil.example", 403), ("evil.example:80", 403),
                           ("localhost.evil.example", 403), ("localhost:1234", 200),
                           ("127.0.0.1", 200), ("[::1]:99", 200), ("kgas.internal:8765", 200),
                           ("KGAS.internal", 200)):
            st, _, _ = s.post(INIT, {"Host": host})
            eq(st, code, f"Host {host}")
    finally:
        s.close()


def test_http_batches_only_in_2025_03_26():
    s = Http()
    try:
        init = json.loads(json.dumps(INIT))
        init["params"]["protocolVersion"] = "2025-03-26"
        st, hd, _ = s.post(init)
        sid = hd["Mcp-Session-Id"]
        batch = [{"jsonrpc": "2.0", "id": 2, "method": "ping"},
                 {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                  "params": {"name": "get_system_status", "arguments": {}}}]
        st, hd, body = s.post(batch, {"Mcp-Session-Id": sid, "Accept": "application/json"})
        eq(st, 200, "batch")
        got = json.loads(body)
        eq(sorted(m["id"] for m in got), [2, 3], "both answered in one array")
        st, _, body = s.post([{"jsonrpc": "2.0", "method": "notifications/initialized"}],
                             {"Mcp-Session-Id": sid})
        eq((st, body), (202, b""), "notifications only")
        st, hd, _ = s.post(INIT)
        st, _, body = s.post(batch, {"Mcp-Session-Id": hd["Mcp-Session-Id"]})
        eq((st, json.loads(body)["error"]["code"]), (400, -32600), "refused in 2025-06-18")
    finally:
        s.close()


def test_http_idle_sockets_do_not_lock_clients_out():
    """Connections that send nothing used to hold every slot until the
    session timeout.  Now one past mcp.max_connections is answered 503 with
    Retry-After at once, the oldest idle one is closed within a second, and
    idle ones go after mcp.request_timeout_s anyway.  Polled with deadlines."""
    import socket
    s = Http(extra_env={"KGAS_MCP_MAX_CONNECTIONS": "8", "KGAS_MCP_REQUEST_TIMEOUT_S": "3"})
    port = int(s.url.split(":")[2].split("/")[0])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
    try:
        # Accepted and counted: a ninth connection is over the limit.
        deadline = time.time() + 20
        got = None
        while time.time() < deadline:
            st, hd, _ = s.post(INIT)
            if st == 503:
                got = hd
                break
            time.sleep(0.05)
        ok(got is not None, "a connection past the limit is answered 503 (not left hanging)")
        eq(got.get("Retry-After"), "1", "Retry-After")
        # Retrying as told gets through: the oldest idle socket was closed.
        deadline = time.time() + 20
        st = 503
        while st == 503 and time.time() < deadline:
            time.sleep(1)
            st, _, _ = s.post(INIT)
        eq(st, 200, "a retry after Retry-After gets in")
        # Idle sockets are closed by the server after the request timeout.
        for c in idle:
            c.settimeout(20)
            try:
                ok(c.recv(1) == b"", "the server closed an idle connection")
            except ConnectionResetError:
                pass
    finally:
        for c in idle:
            c.close()
        s.close()


def test_http_token_required():
    tok = "a-long-enough-test-token"
    s = Http(token=tok)
    try:
        st, hd, _ = s.post(INIT)
        eq(st, 401, "no token")
        ok("Bearer" in hd.get("WWW-Authenticate", ""), hd)
        st, _, _ = s.post(INIT, {"Authorization": "Bearer wrong-token-of-some-length"})
        eq(st, 401, "wrong token")
        st, _, _ = s.post(INIT, {"Authorization": f"Bearer {tok}"})
        eq(st, 200, "right token")
    finally:
        s.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    p = subprocess.run([h.KGAS, "mcp", "--http", "0.0.0.0:0"], capture_output=True, text=True,
                       env=env, timeout=10)
    eq(p.returncode, 1, "refused")
    ok("without a bearer token" in p.stderr, p.stderr)
    p = subprocess.run([h.KGAS, "mcp", "--http", "nonsense"], capture_output=True, text=True,
                       env=env, timeout=10)
    ok("HOST:PORT" in p.stderr, p.stderr)


MCP_DIR = os.path.join(h.SRC, "tests", "mcp")


def node_modules():
    """node, with tests/mcp's pinned packages installed (npm ci from the
    lockfile), or Skip saying why not."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        raise Skip("node/npm not installed")
    if not os.path.isdir(os.path.join(MCP_DIR, "node_modules", "@modelcontextprotocol",
                                      "conformance")):
        p = subprocess.run([npm, "ci", "--prefix", MCP_DIR, "--no-audit", "--no-fund"],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            raise Skip("cannot install tests/mcp's npm packages (offline?): " +
                       p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "npm ci failed")
    return node


def test_sdk_client():
    node = node_modules()
    p = subprocess.run([node, os.path.join(MCP_DIR, "run.mjs"), h.KGAS], capture_output=True,
                       text=True, timeout=900)
    print(p.stdout, end="")
    eq(p.returncode, 0, p.stdout[-3000:] + p.stderr[-2000:])


def test_inspector_cli():
    """The MCP Inspector's CLI mode (pinned @modelcontextprotocol/inspector)
    lists and calls kgas's tools over stdio."""
    node_modules()
    insp = os.path.join(MCP_DIR, "node_modules", ".bin", "mcp-inspector")
    import tempfile
    d = tempfile.mkdtemp(prefix="kgas-insp-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    try:
        db = os.path.join(d, "k.db")
        run("--db", db, "ingest", DEMO, check=0, env={"KGAS_ALLOWED_ROOTS": h.SRC})
        p = subprocess.run([insp, "--cli", h.KGAS, "--db", db, "mcp", "--method", "tools/list"],
                           capture_output=True, text=True, timeout=120, env=env, cwd=d)
        eq(p.returncode, 0, p.stderr[-2000:])
        names = [t["name"] for t in json.loads(p.stdout)["tools"]]
        for n in ("ingest", "query_graph", "get_top_entities", "get_entity_details",
                  "extract_entities", "calculate_pagerank"):
            ok(n in names, f"inspector sees {n}")
        p = subprocess.run([insp, "--cli", h.KGAS, "--db", db, "mcp", "--method", "tools/call",
                            "--tool-name", "get_entity_details", "--tool-arg",
                            "name=Maria Keller"],
                           capture_output=True, text=True, timeout=120, env=env, cwd=d)
        eq(p.returncode, 0, p.stderr[-2000:])
        eq(json.loads(p.stdout)["structuredContent"]["name"], "Maria Keller", "inspector call")
        print(f"    inspector: {len(names)} tools listed, get_entity_details called")
    finally:
        shutil.rmtree(d, ignore_errors=True)


# The conformance suite's server scenarios (0.1.13, `--suite all`: the
# active ones and the pending ones).  Those that apply to a server with its
# own tools must pass.  The others need the suite's fixtures (tools named
# test_*, resources test://...) or features kgas does not offer (prompts,
# completion, resource subscriptions, sampling and elicitation requests to
# the client); each is listed with the reason and must fail for exactly
# that reason (the message names the missing tool, resource or method), so
# a scenario failing for any other cause is caught too.
CONFORMANCE_REQUIRED = ["server-initialize", "ping", "logging-set-level", "tools-list",
                        "resources-list", "server-sse-multiple-streams",
                        "dns-rebinding-protection"]
FIXTURE_TOOL = "needs the suite's fixture tool (kgas serves its own tools)"
CONFORMANCE_NOT_APPLICABLE = {
    "completion-complete": ("kgas offers no completion (not a declared capability)",
                            "Method not found: completion/complete"),
    "prompts-list": ("kgas offers no prompts", "Method not found: prompts/list"),
    "prompts-get-simple": ("kgas offers no prompts", "Method not found: prompts/get"),
    "prompts-get-with-args": ("kgas offers no prompts", "Method not found: prompts/get"),
    "prompts-get-embedded-resource": ("kgas offers no prompts", "Method not found: prompts/get"),
    "prompts-get-with-image": ("kgas offers no prompts", "Method not found: prompts/get"),
    "resources-subscribe": ("kgas offers no resource subscriptions (subscribe: false)",
                            "Method not found: resources/subscribe"),
    "resources-unsubscribe": ("kgas offers no resource subscriptions (subscribe: false)",
                              "Method not found: resources/subscribe"),
    "resources-read-text": ("reads the suite's fixture resource test://static-text",
                            "unknown resource test://static-text"),
    "resources-read-binary": ("reads the suite's fixture resource test://static-binary",
                              "unknown resource test://static-binary"),
    "resources-templates-read": ("reads the suite's fixture template test://template/{id}/data",
                                 "unknown resource test://template/"),
    "tools-call-simple-text": (FIXTURE_TOOL, "Unknown tool: test_simple_text"),
    "tools-call-image": (FIXTURE_TOOL, "Unknown tool: test_image_content"),
    "tools-call-audio": (FIXTURE_TOOL, "Unknown tool: test_audio_content"),
    "tools-call-embedded-resource": (FIXTURE_TOOL, "Unknown tool: test_embedded_resource"),
    "tools-call-mixed-content": (FIXTURE_TOOL, "Unknown tool: test_multiple_content_types"),
    "tools-call-with-logging": (FIXTURE_TOOL, "Unknown tool: test_tool_with_logging"),
    "tools-call-with-progress": (FIXTURE_TOOL, "Unknown tool: test_tool_with_progress"),
    "tools-call-error": (FIXTURE_TOOL, "Unknown tool: test_error_handling"),
    "tools-call-sampling": ("asks the client to sample (kgas never calls the client's model)",
                            "Unknown tool: test_sampling"),
    "tools-call-elicitation": ("asks the client for input (kgas never elicits)",
                               "Unknown tool: test_elicitation"),
    "elicitation-sep1034-defaults": ("asks the client for input (kgas never elicits)",
                                     "Unknown tool: test_elicitation_sep1034_defaults"),
    "elicitation-sep1330-enums": ("asks the client for input (kgas never elicits)",
                                  "Unknown tool: test_elicitation_sep1330_enums"),
    "json-schema-2020-12": ("pending scenario: looks for its fixture tool json_schema_2020_12_tool",
                            "Tool 'json_schema_2020_12_tool' not found"),
}
# Pending, and makes no pass/fail check against kgas: it calls the fixture
# tool test_reconnection, which is answered at once (JSON), so its stream
# tests do not apply (reported as INFO).  kgas's own stream resumption is
# tested in test_mcp_http.py.
CONFORMANCE_INFO_ONLY = {"server-sse-polling": "Server returned JSON instead of SSE stream"}


def test_conformance_suite():
    import re
    import tempfile
    node = node_modules()
    conf = os.path.join(MCP_DIR, "node_modules", ".bin", "conformance")
    out = tempfile.mkdtemp(prefix="kgas-conf-")
    s = Http()
    try:
        p = subprocess.run([node, conf, "server", "--url", s.url, "--suite", "all", "-o", out],
                           capture_output=True, text=True, timeout=900)
        results = {}
        for d in os.listdir(out):
            f = os.path.join(out, d, "checks.json")
            if not os.path.exists(f):
                continue
            name = re.sub(r"-\d{4}-\d\d-\d\dT.*$", "", d)
            name = name[len("server-"):] if name.startswith("server-") else name
            with open(f) as fh:
                results[name] = json.load(fh)
        failing = {n: " ".join(x.get("errorMessage") or "" for x in c
                               if x.get("status") == "FAILURE")
                   for n, c in results.items()}
        passed = sorted(n for n, why in failing.items()
                        if not why and n not in CONFORMANCE_INFO_ONLY)
        known = set(CONFORMANCE_REQUIRED) | set(CONFORMANCE_NOT_APPLICABLE) | \
            set(CONFORMANCE_INFO_ONLY)
        eq(sorted(set(results) - known), [], "every scenario the suite ran is accounted for")
        for n in CONFORMANCE_REQUIRED:
            ok(n in results, f"scenario {n} ran: {p.stdout[-1500:]}")
            ok(not failing[n], f"scenario {n}: {json.dumps(results[n])[:1500]}")
        for n, (why, cause) in CONFORMANCE_NOT_APPLICABLE.items():
            ok(n in results, f"scenario {n} ran")
            ok(cause in failing[n], f"{n} should fail only because it {why}; it failed with: "
                                    f"{failing[n][:500]}")
        for n, info in CONFORMANCE_INFO_ONLY.items():
            ok(n in results and not failing[n], f"{n}: {failing.get(n)}")
            ok(any(info in json.dumps(x) for x in results[n]), f"{n}: {results[n]}")
        print(f"    conformance 0.1.13 (all suites): {len(passed)} of {len(results)} scenarios "
              f"pass ({', '.join(passed)}); {len(CONFORMANCE_NOT_APPLICABLE)} not applicable, "
              f"each failing for its stated reason; {', '.join(CONFORMANCE_INFO_ONLY)} makes "
              f"no check against kgas")
    finally:
        s.close()
        shutil.rmtree(out, ignore_errors=True)


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
