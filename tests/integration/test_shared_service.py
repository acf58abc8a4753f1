#!/usr/bin/env python3
"""Integration tests for the API services shared by the calls of one
`kgas mcp` server (services/service_pool): the rate limit and the circuit
breaker of the embed service hold for all concurrent tool calls together,
and two calls wanting the same embeddings pay for each once
(services/claims); the llm service's rate limit holds for concurrent
`ingest` calls with extractor llm; SIGHUP re-reads the keys of the pooled
service.  Everything is judged
from the fake OpenAI-compatible server's own log (tests/fake_openai)."""
import json
import os
import select
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from test_embed_api import KEY, docs, env  # noqa: E402
import test_llm as llm_it  # noqa: E402
from test_llm import control  # noqa: E402
from test_net import Fake  # noqa: E402

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "it", "version": "0"}}}


class Mcp:
    """One `kgas --db k.db mcp` process over stdio."""

    def __init__(self, extra_env):
        e = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
        e.update(extra_env)
        e["KGAS_LOG_LEVEL"] = "info"  # a full stderr pipe would stall the server
        self.p = subprocess.Popen([h.KGAS, "--db", "k.db", "mcp", "--workers", "4"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=e)
        self.buf = b""
        self.send(INIT)
        h.eq(self.read()["id"], 1, "initialize answered")
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, obj):
        self.p.stdin.write(json.dumps(obj).encode() + b"\n")
        self.p.stdin.flush()

    def read(self, timeout=120):
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            h.ok(left > 0, "timed out waiting for the server")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 1 << 16)
                h.ok(chunk, "the server closed stdout")
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def call(self, rid, tool, args):
        self.send({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                   "params": {"name": tool, "arguments": args}})

    def results(self, ids):
        """The structured results of the calls ids, in any order."""
        out = {}
        while len(out) < len(ids):
            m = self.read()
            if m.get("id") in ids:
                h.ok("result" in m, m)
                r = m["result"]
                h.ok(not r.get("isError"), r)
                out[m["id"]] = r["structuredContent"]
        return [out[i] for i in ids]

    def close(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass  # the server is gone: its stderr says why
        self.p.wait(timeout=60)
        err = self.p.stderr.read().decode()
        self.p.stderr.close()
        self.p.stdout.close()
        h.ok(KEY not in err, "the test key appears in the server's log")
        # Stopping the pooled services at exit is clean (and, in a sanitizer
        # build, free of leaks and races).
        h.eq(self.p.returncode, 0, f"the server's exit status; stderr: {err[-2000:]}")
        h.ok("Sanitizer" not in err and "runtime error:" not in err, err[-3000:])
        return err


def test_concurrent_calls_share_one_rate_limit_and_pay_once():
    """Two embed_chunks calls at once in one server, for the same chunks:
    every chunk text is paid for once, by one of them (services/claims: the
    other waits for the answer and takes it from the cache), both report
    every chunk embedded, and the fake server's own timestamps show the
    rate within embed.requests_per_minute."""
    n = docs(24)
    f = Fake()
    srv = None
    try:
        rate = 8.0  # per second, for the whole server
        srv = Mcp(env(f, KGAS_EMBED_BATCH_SIZE=1,
                      KGAS_EMBED_REQUESTS_PER_MINUTE=int(rate * 60),
                      KGAS_EMBED_MAX_CONCURRENCY=8))
        srv.call(2, "embed_chunks", {"model": "api"})
        srv.call(3, "embed_chunks", {"model": "api:fake-embed"})  # the same model
        a, b = srv.results([2, 3])
        err = srv.close()
        srv = None
        for r in (a, b):
            h.eq((r["embedded"], r["left"]), (n, 0), f"every chunk embedded: {r}")
        t = sorted(e["t"] for e in f.log() if e["path"] == "/embeddings")
        h.eq(len(t), n, "each chunk text paid for once")
        h.eq(a["requests"] + b["requests"], n, "requests as the calls counted them")
        h.eq(a["from_cache"] + b["from_cache"], n,
             "what one call paid for, the other took from the cache")
        texts = [e["body"]["input"][0] for e in f.log() if e["path"] == "/embeddings"]
        h.eq(len(set(texts)), n, "no text asked twice")
        # Any stretch of w seconds holds at most 1 + rate * w requests (one
        # limiter: a burst of one, then the rate); 1 more for clock jitter.
        worst = worst_excess(t, rate)
        h.ok(worst <= 2.0, f"{worst:.2f} requests above the server-wide rate")
        h.ok("Traceback" not in err, err[-2000:])
    finally:
        if srv:
            srv.close()
        f.close()


def worst_excess(t, rate):
    """The most requests any stretch of time holds above 1 + rate * w."""
    return max((j - i - rate * (t[j] - t[i])
                for i in range(len(t)) for j in range(i + 1, len(t))), default=0.0)


def test_concurrent_llm_ingests_share_one_rate_limit():
    """Two `ingest` calls with extractor llm at once, over different
    folders: one llm service (same prompt and schema) paces both."""
    for d in ("a", "b"):
        for i in range(10):
            h.write(f"{d}/{d}{i:02d}.txt",
                    f"Note {d}{i}. Maria Keller filed report {i * 13 + len(d)} in {d} today.\n")
    f = Fake()
    srv = None
    try:
        rate = 6.0
        e = llm_it.env(f, KGAS_LLM_REQUESTS_PER_MINUTE=int(rate * 60),
                         KGAS_LLM_MAX_CONCURRENCY=8)
        e["KGAS_LLM_API_KEY"] = KEY  # the key Mcp.close looks for in the log
        srv = Mcp(e)
        srv.call(2, "ingest", {"paths": ["a"], "extractor": "llm"})
        srv.call(3, "ingest", {"paths": ["b"], "extractor": "llm"})
        a, b = srv.results([2, 3])
        srv.close()
        srv = None
        for r in (a, b):
            h.eq(r["extraction"]["chunks_llm"], r["chunks"], f"every chunk by the LLM: {r}")
        t = sorted(x["t"] for x in f.log() if x["path"] == "/chat/completions")
        h.eq(len(t), a["chunks"] + b["chunks"], "one request per chunk")
        worst = worst_excess(t, rate)
        h.ok(worst <= 2.0, f"{worst:.2f} requests above the server-wide rate")
    finally:
        if srv:
            srv.close()
        f.close()


def test_open_breaker_protects_the_next_call():
    """The breaker one call opened makes the next call in the same server
    fail fast: no request reaches the server while it is open, and the
    result says why (stopped, breaker_open, stop_reason)."""
    n = docs(12)
    f = Fake()
    srv = None
    try:
        control(f, fail_rate=1.0)
        srv = Mcp(env(f, KGAS_EMBED_RETRIES=1, KGAS_EMBED_BREAKER_FAILURES=2,
                      KGAS_EMBED_BREAKER_COOLDOWN_S=600, KGAS_EMBED_MAX_CONCURRENCY=1))
        srv.call(2, "embed_chunks", {"model": "api"})
        (a,) = srv.results([2])
        h.ok(a["stopped"] and a["breaker_open"], a)
        h.eq((a["embedded"], a["left"]), (0, n), "nothing embedded")
        sent = len(f.log())
        h.ok(0 < sent <= 3, f"the breaker opened after its failures ({sent} requests)")
        # The server is healthy again, but the breaker is open for 600 s: the
        # next calls (one after the other and two at once) send nothing.
        control(f, fail_rate=0)
        srv.call(3, "embed_chunks", {"model": "api"})
        (b,) = srv.results([3])
        srv.call(4, "embed_chunks", {"model": "api"})
        srv.call(5, "embed_chunks", {"model": "api:fake-embed"})
        c, d = srv.results([4, 5])
        for r in (b, c, d):
            h.ok(r["stopped"] and r["breaker_open"], r)
            h.ok("circuit open" in r["stop_reason"], r["stop_reason"])
            h.eq((r["embedded"], r["left"], r["requests"]), (0, n, 0), "failed fast")
        h.eq(len(f.log()), sent, "no request reached the server while the breaker was open")
        srv.close()
        srv = None
        # A new server process has a new breaker: the rerun embeds everything.
        srv = Mcp(env(f))
        srv.call(2, "embed_chunks", {"model": "api"})
        (e,) = srv.results([2])
        h.eq((e["embedded"], e["left"], e["stopped"]), (n, 0, False), "after a restart")
    finally:
        if srv:
            srv.close()
        f.close()


def test_sighup_rereads_the_pooled_embed_key():
    """The pooled embed service outlives the call that started it; the key
    file rewritten and SIGHUP sent to the server, the next call's requests
    carry the new key, with no 401 first.  A SIGHUP before any service
    exists leaves the server running."""
    docs(6)
    key_a, key_b = KEY + "-A", KEY + "-B"
    h.write("key.txt", key_a + "\n")
    f = Fake()
    srv = None
    try:
        control(f, keys=[key_a, key_b])
        e = env(f, KGAS_EMBED_KEY_FILE=os.path.abspath("key.txt"))
        del e["KGAS_EMBED_API_KEY"]
        srv = Mcp(e)
        # Before any service exists, SIGHUP must not end the server.
        srv.p.send_signal(signal.SIGHUP)
        time.sleep(0.2)
        h.eq(srv.p.poll(), None, "the server survived a SIGHUP")
        srv.call(2, "embed_chunks", {"model": "api"})
        (a,) = srv.results([2])
        h.eq(a["embedded"], 6, "first call")
        first = len(f.log())
        h.ok(all(x["key_index"] == 0 for x in f.log()), "key A first")
        h.write("key.txt", key_b + "\n")
        srv.p.send_signal(signal.SIGHUP)
        time.sleep(0.5)  # the reload runs on the service's worker pool
        subprocess.run(["sqlite3", "k.db", "DELETE FROM embeddings; DELETE FROM llm_cache"],
                       check=True)
        srv.call(3, "embed_chunks", {"model": "api"})
        (b,) = srv.results([3])
        h.eq(b["embedded"], 6, "second call")
        err = srv.close()
        srv = None
        later = f.log()[first:]
        h.ok(later, "the second call sent requests")
        h.eq([x for x in f.log() if x.get("status") == 401], [], "no request was refused")
        h.ok(all(x["key_index"] == 1 for x in later), f"key B after SIGHUP: {later}")
        h.ok("embed: keys re-read from embed.key_file" in err, err[-2000:])
        h.ok(key_a not in err and key_b not in err, "a key appears in the log")
    finally:
        if srv:
            srv.close()
        f.close()


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    sys.exit(h.main(tests))
