#!/usr/bin/env python3
"""Integration tests for the Streamable HTTP transport's streams.

A raw socket client (so the test sees exactly what goes over the wire, and
can hang up mid-response) drives `kgas mcp --http 127.0.0.1:0`:

- progress notifications of a long call arrive as Server-Sent Events while
  the call still runs (get_system_status on another connection says so);
- every event has an id; a client whose stream broke resumes it with GET and
  Last-Event-ID and gets exactly what it missed, while the call ran on or
  after it ended; sessions of 2025-11-25 get the priming event first;
- a client that hangs up mid-call and does not come back within
  mcp.resume_grace_s gets its call cancelled: the ingest stops at its next
  checkpoint, leaves no partial document, and the server serves on;
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
    def __init__(self, version="2025-06-18", **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
        env.update({k: str(v) for k, v in extra.items()})
        self.p = subprocess.Popen([h.KGAS, "--db", "m.db", "--log-level", "info", "mcp",
                                   "--http", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        line = ""
        while "listening on" not in line:
            line = self.p.stderr.readline().decode()
            ok(line, "server exited before listening")
        self.port = int(re.search(r":(\d+)/mcp", line).group(1))
        init = json.loads(json.dumps(INIT))
        init["params"]["protocolVersion"] = version
        s = self.post(init)
        head, _ = self.read_all(s)
        self.sid = re.search(r"Mcp-Session-Id: (\w+)", head, re.I).group(1)

    def post(self, body, timeout=60):
        return self.send("POST", json.dumps(body).encode(), timeout=timeout)

    def send(self, method, data=b"", headers=None, timeout=60):
        """A raw request on a new connection (closed after the answer)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        hd = {"Host": "127.0.0.1", "Content-Type": "application/json",
              "Accept": "application/json, text/event-stream", "Connection": "close"}
        if getattr(self, "sid", None):
            hd["Mcp-Session-Id"] = self.sid
        hd.update(headers or {})
        if data or method == "POST":
            hd["Content-Length"] = str(len(data))
        head = f"{method} /mcp HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hd.items()
                                                      if v is not None)
        s.sendall(head.encode() + b"\r\n" + data)
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
    """JSON-RPC messages of an SSE or JSON body (chunked framing ignored;
    the priming event's empty data skipped)."""
    out = []
    for m in re.finditer(r"^data: (.*)$", body, re.M):
        if m.group(1).strip():
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


def wait_idle(srv, rid, deadline_s=300):
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


def test_client_gone_past_the_grace_period_is_cancelled():
    corpus("docs")
    srv = Server(KGAS_MCP_RESUME_GRACE_S=1)
    try:
        s, _ = start_ingest(srv, 20)
        s.close()  # the client leaves mid-call and does not come back
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
    ok("client left stream" in err and "no resume of stream" in err,
       f"the server says why it cancelled: {err[-800:]}")


def dechunk(buf):
    """The body of an HTTP/1.1 response read so far (chunked or not)."""
    head, _, rest = buf.partition(b"\r\n\r\n")
    if b"chunked" not in head.lower():
        return rest
    body = b""
    while True:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return body
        size = int(line.split(b";")[0] or b"0", 16)
        if size == 0:
            return body
        body += rest[:size]
        rest = rest[size + 2:]


def events(buf):
    """(id, message or None) of each whole SSE event in an HTTP response's bytes."""
    out = []
    body = dechunk(buf).decode(errors="replace")
    body = body[:body.rfind("\n\n") + 2]  # whole events only
    for block in re.findall(r"(?:^|\n)(id: [^\n]*\n(?:[a-z]+: [^\n]*\n)*)", body):
        eid = re.search(r"^id: (\S+)", block).group(1)
        data = re.search(r"^data: (.*)$", block, re.M)
        out.append((eid, json.loads(data.group(1)) if data and data.group(1).strip() else None))
    return out


def read_until(s, buf, pred, what, timeout=60):
    s.settimeout(timeout)
    while not pred(buf):
        b = s.recv(65536)
        ok(b, f"stream ended before {what}: {buf[-400:]!r}")
        buf += b
    return buf


def read_to_end(s, buf):
    s.settimeout(120)
    while True:
        b = s.recv(65536)
        if not b:
            return buf
        buf += b


def seqs(evs, stream):
    return [int(e.split("-")[1]) for e, _ in evs if e.split("-")[0] == stream]


def test_stream_resumes_with_last_event_id():
    corpus("docs")
    srv = Server()
    try:
        s, buf = start_ingest(srv, 50)
        buf = read_until(s, buf, lambda b: len(events(b)) >= 2, "two events")
        got = events(buf)
        stream = got[0][0].split("-")[0]
        last = got[-1][0]
        s.close()  # the connection breaks; the call runs on
        r = srv.send("GET", headers={"Last-Event-ID": last, "Accept": "text/event-stream",
                                     "Content-Type": None})
        rest = read_to_end(r, b"")
        ok(b" 200 " in rest.split(b"\r\n")[0], rest[:300])
        more = events(rest)
        n = [int(last.split("-")[1])] + seqs(more, stream)
        eq(n, list(range(n[0], n[0] + len(n))), "the events the client missed, in order, once")
        final = [m for _, m in more if m and m.get("id") == 50]
        eq(len(final), 1, "the answer came on the resumed stream")
        eq(final[0]["result"]["structuredContent"]["added"], NFILES, "the call was not cancelled")
        # the stream is over and delivered: it cannot be resumed again
        r = srv.send("GET", headers={"Last-Event-ID": last, "Accept": "text/event-stream"})
        head, _ = srv.read_all(r)
        ok(" 400 " in head.split("\r\n")[0], head)
    finally:
        srv.close()


def test_stream_resumes_after_the_call_ended():
    corpus("docs")
    srv = Server(KGAS_MCP_RESUME_GRACE_S=120)
    try:
        s, buf = start_ingest(srv, 60)
        got = events(buf)
        s.close()
        wait_idle(srv, 61)  # the call ends while nobody listens
        r = srv.send("GET", headers={"Last-Event-ID": got[-1][0],
                                     "Accept": "text/event-stream"})
        more = events(read_to_end(r, b""))
        ok(more and more[-1][1].get("id") == 60, f"the answer, kept for the client: {more[-2:]}")
    finally:
        srv.close()


def test_priming_event_and_bad_resumes():
    corpus("docs")
    for version, primed in (("2025-11-25", True), ("2025-06-18", False)):
        srv = Server(version)
        try:
            s, buf = start_ingest(srv, 70)
            first = events(buf)[0]
            if primed:
                ok(first[0].endswith("-0") and first[1] is None, f"priming event: {first}")
            else:
                ok(first[1] is not None, f"no empty event for {version}: {first}")
            s.close()
            for hd, code in (({"Last-Event-ID": "nonsense"}, 400),
                             ({"Last-Event-ID": "999-1"}, 400),
                             ({}, 405),
                             ({"Last-Event-ID": "1-1", "Accept": "application/json"}, 406),
                             ({"Last-Event-ID": "1-1", "Mcp-Session-Id": "f" * 32}, 404)):
                hd.setdefault("Accept", "text/event-stream")
                head, _ = srv.read_all(srv.send("GET", headers=hd))
                ok(f" {code} " in head.split("\r\n")[0], f"GET {hd}: {head}")
                if code == 405:
                    ok(re.search(r"^Allow: .*POST", head, re.M | re.I), head)
        finally:
            srv.close()


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
