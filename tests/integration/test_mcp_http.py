#!/usr/bin/env python3
"""Integration tests for the Streamable HTTP transport's streams.

A raw socket client (so the test sees exactly what goes over the wire, and
can hang up mid-response) drives `kgas mcp --http 127.0.0.1:0`:

- progress notifications of a long call arrive as Server-Sent Events while
  the call still runs (get_system_status on another connection says so);
- a client that hangs up mid-call gets its call cancelled: the ingest stops
  at its next checkpoint, leaves no partial document, and the server serves on;
- notifications/cancelled for a streamed call ends that stream without an
  answer (it does not hang);
- log messages about a call (logging/setLevel) travel on that call's stream,
  ahead of its answer.

The corpus is generated (bench/gen_text.py): six different 1.5 MB files, so
an ingest takes seconds and reports progress after each.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import eq, ok  # noqa: E402

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "raw-http", "version": "0"}}}
NFILES = 8


def corpus(d):
    os.makedirs(d, exist_ok=True)
    gen = os.path.join(h.SRC, "bench", "gen_text.py")
    first = os.path.join(d, "f0.txt")
    subprocess.run([sys.executable, gen, first, "1.5"], check=True, capture_output=True)
    with open(first) as f:
        text = f.read()
    for i in range(1, NFILES):  # different bytes: each file is its own document
        with open(os.path.join(d, f"f{i}.txt"), "w") as f:
            f.write(f"Variant {i}.\n" + text)


class Server:
    def __init__(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
        self.p = subprocess.Popen([h.KGAS, "--db", "m.db", "--log-level", "info", "mcp",
                                   "--http", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        line = ""
        while "listening on" not in line:
            line = self.p.stderr.readline().decode()
            ok(line, "server exited before listening")
        self.port = int(re.search(r":(\d+)/mcp", line).group(1))
        s = self.post(INIT)
        head, _ = self.read_all(s)
        self.sid = re.search(r"Mcp-Session-Id: (\w+)", head, re.I).group(1)

    def post(self, body, timeout=60):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        data = json.dumps(body).encode()
        hd = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              "Accept: application/json, text/event-stream\r\nConnection: close\r\n"
              f"Content-Length: {len(data)}\r\n")
        if getattr(self, "sid", None):
            hd += f"Mcp-Session-Id: {self.sid}\r\n"
        s.sendall(hd.encode() + b"\r\n" + data)
        return s

    @staticmethod
    def read_all(s):
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
        s.close()
        head, _, body = out.decode().partition("\r\n\r\n")
        return head, body

    def call(self, rid, name, args):
        s = self.post({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                       "params": {"name": name, "arguments": args}})
        return messages(self.read_all(s)[1])

    def in_flight(self, rid):
        """Calls running besides this one."""
        res = [m for m in self.call(rid, "get_system_status", {}) if m.get("id") == rid]
        return res[0]["result"]["structuredContent"]["in_flight"] - 1

    def close(self):
        self.p.terminate()
        self.p.wait(timeout=20)
        err = self.p.stderr.read().decode()
        self.p.stderr.close()
        self.p.stdout.close()
        return err


def messages(body):
    """JSON-RPC messages of an SSE or JSON body (chunked framing ignored)."""
    out = []
    for m in re.finditer(r"^data: (.*)$", body, re.M):
        out.append(json.loads(m.group(1)))
    if not out and body.strip().startswith("{"):
        out.append(json.loads(body))
    return out


def start_ingest(srv, rid):
    s = srv.post({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                  "params": {"name": "ingest", "arguments": {"paths": ["docs"]},
                             "_meta": {"progressToken": f"tok{rid}"}}})
    buf = b""
    while b"notifications/progress" not in buf:
        b = s.recv(4096)
        ok(b, f"stream ended before any progress: {buf[-500:]!r}")
        buf += b
    ok(b"text/event-stream" in buf.split(b"\r\n\r\n")[0], "answered as an event stream")
    return s, buf


def wait_idle(srv, rid, deadline_s=60):
    """Poll until no other call runs; fails after the deadline."""
    end = time.time() + deadline_s
    while time.time() < end:
        if srv.in_flight(rid) == 0:
            return
        rid += 1
    ok(False, "a call was still running after the deadline")


def test_progress_streams_while_the_call_runs():
    corpus("docs")
    srv = Server()
    try:
        s, buf = start_ingest(srv, 10)
        # The first progress event is here; the ingest must still be running.
        ok(srv.in_flight(11) >= 1, "progress arrived before the answer was ready")
        while True:
            b = s.recv(65536)
            if not b:
                break
            buf += b
        s.close()
        msgs = messages(buf.decode(errors="replace"))
        prog = [m["params"]["progress"] for m in msgs
                if m.get("method") == "notifications/progress"]
        ok(len(prog) >= 2, f"several progress events: {prog}")
        ok(all(b > a for a, b in zip(prog, prog[1:])), f"progress increases: {prog}")
        final = [m for m in msgs if m.get("id") == 10]
        eq(len(final), 1, "one answer, last")
        eq(msgs[-1].get("id"), 10, "the answer ends the stream")
        eq(final[0]["result"]["structuredContent"]["added"], NFILES, "all files ingested")
    finally:
        srv.close()


def test_client_hanging_up_cancels_its_call():
    corpus("docs")
    srv = Server()
    try:
        s, _ = start_ingest(srv, 20)
        s.close()  # the client leaves mid-call
        wait_idle(srv, 21)
        docs = h.sql("m.db", "SELECT count(*) AS n FROM documents")[0]["n"]
        ok(docs < NFILES, f"the ingest stopped early ({docs} of {NFILES} documents)")
        orphans = h.sql("m.db", "SELECT count(*) AS n FROM chunks WHERE document_id NOT IN "
                                "(SELECT id FROM documents)")[0]["n"]
        eq(orphans, 0, "no partial document left behind")
        st = srv.call(90, "get_graph_statistics", {})
        eq(st[-1]["result"]["structuredContent"]["documents"], docs, "the server serves on")
    finally:
        err = srv.close()
    ok("client left during a call" in err, f"the server says why it cancelled: {err[-800:]}")


def test_cancelled_stream_ends_without_an_answer():
    corpus("docs")
    srv = Server()
    try:
        s, buf = start_ingest(srv, 30)
        n = srv.post({"jsonrpc": "2.0", "method": "notifications/cancelled",
                      "params": {"requestId": 30, "reason": "test"}})
        head, _ = srv.read_all(n)
        ok(" 202 " in head.split("\r\n")[0], head)
        s.settimeout(60)
        while True:  # the stream must end (not hang) once the call stops
            b = s.recv(65536)
            if not b:
                break
            buf += b
        s.close()
        msgs = messages(buf.decode(errors="replace"))
        eq([m for m in msgs if m.get("id") == 30], [], "no answer for a cancelled request")
        wait_idle(srv, 31)
    finally:
        srv.close()


def test_log_messages_ride_the_calls_stream():
    corpus("docs")
    srv = Server()
    try:
        s = srv.post({"jsonrpc": "2.0", "id": 40, "method": "logging/setLevel",
                      "params": {"level": "info"}})
        eq(messages(srv.read_all(s)[1])[-1].get("result"), {}, "level set")
        msgs = srv.call(41, "ingest", {"paths": ["docs/f0.txt"]})
        logs = [m for m in msgs if m.get("method") == "notifications/message"]
        ok(logs and "tool ingest finished" in logs[-1]["params"]["data"], f"log line: {msgs}")
        eq(msgs[-1].get("id"), 41, "the answer comes after the log line")
    finally:
        srv.close()


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
