#!/usr/bin/env python3
"""Integration tests for API embeddings (`kgas embed --model api`, search
and the MCP tools with model api) against the fake OpenAI-compatible server
(tests/fake_openai/server.py).  "Paid" means an /embeddings request the
server answered 200, counted from the server's own log.  The test key must
never appear in any output, log or database file."""
import glob
import json
import math
import os
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from test_net import Fake  # noqa: E402
from test_llm import control  # noqa: E402

KEY = "sk-embed-it-KEY-97531"
MODEL = "api:fake-embed"
OUTS = []


def env(f, **extra):
    e = {"KGAS_EMBED_BASE_URL": f.url, "KGAS_EMBED_API_KEY": KEY,
         "KGAS_EMBED_MODEL": "fake-embed", "KGAS_EMBED_REQUESTS_PER_MINUTE": "60000",
         "KGAS_EMBED_BATCH_SIZE": "4", "KGAS_LOG_LEVEL": "debug"}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def no_key(text):
    h.ok(KEY not in text, "the test key appears in an output")


def kgas(f, *args, check=None, **extra):
    p = h.run("--db", "k.db", *args, env=env(f, **extra), check=check)
    OUTS.append(p.stdout + p.stderr)
    no_key(p.stdout + p.stderr)
    return p


def embed(f, *args, check=0, **extra):
    p = kgas(f, "embed", "--model", "api", "--json", *args, check=check, **extra)
    return json.loads(p.stdout), p


def paid(log):
    """The texts of the /embeddings requests answered 200, one per input."""
    out = []
    for e in log:
        if e["path"] == "/embeddings" and e.get("status") == 200:
            out.extend(e["body"]["input"])
    return out


def docs(n, prefix="doc"):
    os.makedirs("in", exist_ok=True)
    for i in range(n):
        h.write(f"in/{prefix}{i:03d}.txt",
                f"Report {i}. Maria Keller reviewed case {i * 7 + 3} on graph {i % 5} and "
                f"memory cell {i * 11}.\n")
    h.run("--db", "k.db", "ingest", "in", check=0)
    return h.sql("k.db", "SELECT count(*) AS n FROM chunks")[0]["n"]


def vectors():
    return h.sql("k.db", "SELECT owner_id, model, dim, hex(vector) AS v FROM embeddings "
                         "WHERE model = 'api:fake-embed'")


def unit_length(hexblob, dim):
    v = struct.unpack(f"<{dim}f", bytes.fromhex(hexblob))
    return abs(math.sqrt(sum(x * x for x in v)) - 1.0) < 1e-5


def test_embed_search_rerun_pays_nothing():
    n = docs(10)
    f = Fake()
    try:
        control(f, embed_dim=16)
        d, _ = embed(f)
        h.eq(d["model"], MODEL, "model id")
        h.eq(d["dim"], 16, "dim from the answer")
        h.eq(d["embedded"], n, "every chunk embedded")
        h.eq(d["from_cache"], 0, "nothing cached yet")
        log = f.log()
        h.eq(d["requests"], len(log), "requests counted as the server saw them")
        h.eq(d["batches"], math.ceil(n / 4), "batches of embed.batch_size")
        texts = paid(log)
        h.eq(len(texts), n, "one paid input per chunk")
        h.eq(len(set(texts)), n, "no text paid twice")
        rows = vectors()
        h.eq(len(rows), n, "vectors stored")
        h.ok(all(r["dim"] == 16 and unit_length(r["v"], 16) for r in rows), "unit vectors")
        # Rerun: nothing left, nothing asked.
        d, _ = embed(f)
        h.eq((d["embedded"], d["requests"], d["missing"]), (0, 0, 0), "rerun")
        h.eq(len(f.log()), len(log), "the rerun sent nothing")
        # Vectors lost (e.g. chunks re-created under new ids): served by the cache.
        subprocess.run(["sqlite3", "k.db", "DELETE FROM embeddings"], check=True)
        d, _ = embed(f)
        h.eq((d["embedded"], d["from_cache"], d["requests"]), (n, n, 0), "from the cache")
        h.eq(len(f.log()), len(log), "the cache paid nothing")
        # Search by the API model: the query is embedded once, then cached.
        p = kgas(f, "search", "--mode", "vector", "--model", "api", "--json", "memory cell 11",
                 check=0)
        r = json.loads(p.stdout)
        h.eq(r["unembedded"], 0, "unembedded")
        h.ok(r["results"] and -1.0001 <= r["results"][0]["score"] <= 1.0001, r)
        h.eq(len(f.log()), len(log) + 1, "one request for the query")
        h.eq(f.log()[-1]["body"]["input"], ["memory cell 11"], "the query was sent")
        kgas(f, "search", "--mode", "hybrid", "--model", "api", "memory cell 11", check=0)
        h.eq(len(f.log()), len(log) + 1, "the query's vector came from the cache")
        # The local model's vectors are a separate model: never mixed.
        p = kgas(f, "search", "--mode", "vector", "memory cell", check=1)
        h.ok("kgas embed" in p.stderr, p.stderr)
        kgas(f, "embed", check=0)
        models = h.sql("k.db", "SELECT model, dim, count(*) AS n FROM embeddings"
                               " WHERE model NOT LIKE 'entity%' GROUP BY 1, 2")
        h.eq([(m["model"], m["dim"], m["n"]) for m in models],
             [(MODEL, 16, n), ("local-tfidf-rp-v1-d256", 256, n)], "two models side by side")
    finally:
        f.close()


def test_duplicate_texts_sent_once():
    os.makedirs("in", exist_ok=True)
    shared = "Maria Keller founded the Lisbon graph laboratory in the spring of 2019.\n\n"
    h.write("in/a.txt", shared + "The laboratory studied citation networks of papers.\n")
    h.write("in/b.txt", shared + "Later the laboratory moved on to protein graphs.\n")
    h.run("--db", "k.db", "ingest", "--chunk-size", "16", "--chunk-overlap", "0", "in", check=0)
    n = h.sql("k.db", "SELECT count(*) AS n, count(DISTINCT text) AS u FROM chunks")[0]
    h.ok(n["u"] < n["n"], f"the corpus shares a chunk text {n}")
    f = Fake()
    try:
        d, _ = embed(f)
        h.eq(d["embedded"], n["n"], "every chunk has a vector")
        h.eq(d["sent"], n["u"], "each distinct text sent once")
        h.eq(len(paid(f.log())), n["u"], "paid inputs")
    finally:
        f.close()


def test_retries_429_500_drop():
    n = docs(12)
    f = Fake()
    try:
        control(f, script=[{"do": "status", "code": 429, "headers": {"Retry-After": "0"}},
                           {"do": "status", "code": 500}, {"do": "drop"},
                           {"do": "status", "code": 503}])
        d, _ = embed(f, KGAS_EMBED_RETRIES=6, KGAS_EMBED_BREAKER_FAILURES=50)
        h.eq(d["embedded"], n, "every chunk embedded despite the failures")
        h.eq(d["left"], 0, "left")
        h.ok(not d["stopped"], d)
        log = f.log()
        # Four failures, each retried.  libcurl itself re-sends a request
        # whose reused connection was dropped before any answer (the "drop"
        # step) when the connection had served before, without our retry
        # logic seeing a failure: then kgas counts one retry and one request
        # fewer than the server saw.  Either way every failure is accounted.
        h.ok(d["retries"] in (3, 4), f"failed requests retried: {d['retries']}")
        h.eq(len(log) - d["requests"], 4 - d["retries"],
             "requests counted as the server saw them, but curl's own re-send")
        texts = paid(log)
        h.eq(sorted(texts), sorted(set(texts)), "no text paid twice")
        h.eq(len(texts), n, "paid inputs")
    finally:
        f.close()


def test_breaker_open_stops_and_says_so():
    n = docs(12)
    f = Fake()
    try:
        control(f, fail_rate=1.0)
        extra = dict(KGAS_EMBED_RETRIES=1, KGAS_EMBED_BREAKER_FAILURES=2,
                     KGAS_EMBED_BREAKER_COOLDOWN_S=600, KGAS_EMBED_MAX_CONCURRENCY=1)
        d, p = embed(f, check=1, **extra)
        h.ok(d["stopped"] and d["breaker_open"], d)
        h.ok("500" in d["stop_reason"] or "circuit open" in d["stop_reason"], d["stop_reason"])
        h.eq((d["embedded"], d["left"]), (0, n), "nothing embedded, all left")
        h.ok("circuit breaker is open" in p.stderr, p.stderr)
        h.ok(len(f.log()) <= 3, f"the breaker saved requests ({len(f.log())} made)")
        h.eq(len(vectors()), 0, "no vectors")
        h.eq(h.sql("k.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"], 0, "nothing cached")
        # The text summary says it too; --fallback local embeds with the local model,
        # under its own id.
        p = kgas(f, "embed", "--model", "api", "--fallback", "local", check=1, **extra)
        h.ok("stopped:" in p.stdout and "circuit breaker is open" in p.stdout, p.stdout)
        h.ok(f"fallback: {n} chunks embedded by the local model local-tfidf-rp-v1-d256"
             in p.stdout, p.stdout)
        models = h.sql("k.db", "SELECT DISTINCT model FROM embeddings")
        h.eq([m["model"] for m in models], ["local-tfidf-rp-v1-d256"], "only local vectors")
        p = kgas(f, "search", "--mode", "vector", "--model", "api", "memory", check=1)
        h.ok("no vectors for model api:fake-embed" in p.stderr, p.stderr)
        kgas(f, "search", "--mode", "vector", "memory", check=0)
        # The service is back: the rerun embeds everything.
        control(f, fail_rate=0)
        d, _ = embed(f, **extra)
        h.eq((d["embedded"], d["left"], d["stopped"]), (n, 0, False), "after recovery")
    finally:
        f.close()


def test_kill_and_rerun_repays_no_committed_batch():
    n = docs(40)
    f = Fake()
    try:
        control(f, latency=0.1)
        extra = dict(KGAS_EMBED_BATCH_SIZE=1, KGAS_EMBED_MAX_CONCURRENCY=2)
        p = subprocess.Popen([h.KGAS, "--db", "k.db", "embed", "--model", "api"],
                             env={**{k: v for k, v in os.environ.items()
                                     if not k.startswith("KGAS_")}, **env(f, **extra)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while len(paid(f.log())) < 10 and time.time() < deadline:
            time.sleep(0.05)
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        no_key(out + err)
        first = paid(f.log())
        committed = [r["text"] for r in h.sql(
            "k.db", "SELECT c.text FROM chunks c JOIN embeddings e ON e.owner_id = c.id "
                    "WHERE e.model = 'api:fake-embed'")]
        h.ok(0 < len(committed) < n, f"killed halfway ({len(committed)} of {n} committed)")
        control(f, reset=True, latency=0)
        d, _ = embed(f, **extra)
        h.eq(d["embedded"], n - len(committed), "the rest embedded")
        h.eq(len(vectors()), n, "every chunk has a vector")
        second = paid(f.log())
        h.ok(not set(committed) & set(second), "a committed chunk was paid for again")
        again = set(first) & set(second)
        # Only what was on the wire at the kill (at most max_concurrency) is paid twice.
        h.ok(len(again) <= 2, f"{len(again)} paid texts repeated")
    finally:
        f.close()


def test_rate_within_limit_from_server_timestamps():
    n = docs(100)
    f = Fake()
    try:
        rate = 20.0  # per second
        d, _ = embed(f, KGAS_EMBED_BATCH_SIZE=1, KGAS_EMBED_REQUESTS_PER_MINUTE=int(rate * 60),
                     KGAS_EMBED_MAX_CONCURRENCY=16)
        h.eq(d["embedded"], n, "embedded")
        t = sorted(e["t"] for e in f.log() if e["path"] == "/embeddings")
        h.eq(len(t), n, "one request per chunk")
        # Any stretch of w seconds holds at most 1 + rate * w requests (the
        # limiter starts with one request, then refills at the rate); 1 more
        # for the server's clock jitter.
        worst = max(j - i - rate * (t[j] - t[i]) for i in range(n) for j in range(i + 1, n))
        h.ok(worst <= 2.0, f"{worst:.2f} requests above the rate")
        achieved = (n - 1) / (t[-1] - t[0])
        h.ok(0.9 * rate <= achieved <= rate * 1.02, f"achieved {achieved:.2f}/s of {rate}/s")
        lag = d["loop_lag_ms"]
        h.ok(lag["samples"] > 100, lag)
        h.ok(lag["max"] < 100, f"the loop lagged {lag['max']:.1f} ms")
    finally:
        f.close()


def test_tools_embed_chunks_and_similarity_search():
    n = docs(8)
    f = Fake()
    try:
        control(f, embed_dim=16)
        p = kgas(f, "tool", "embed_chunks", "--args", '{"model": "api"}', check=0)
        r = json.loads(p.stdout)
        h.eq((r["model"], r["dim"], r["embedded"], r["stopped"]), (MODEL, 16, n, False), "tool")
        p = kgas(f, "tool", "similarity_search", "--args",
                 '{"query_text": "memory cell 22", "mode": "vector", "limit": 3, '
                 '"model": "api:fake-embed"}', check=0)
        r = json.loads(p.stdout)
        h.eq(len(r["results"]), 3, "limit")
        h.ok(all(x["vector_rank"] for x in r["results"]), r)
        # An unknown model has no vectors: an error before anything is paid.
        before = len(f.log())
        p = kgas(f, "tool", "similarity_search", "--args",
                 '{"query_text": "memory", "mode": "vector", "model": "api:other"}')
        h.ok(p.returncode != 0 and "no vectors for model api:other" in p.stdout + p.stderr,
             p.stdout + p.stderr)
        h.eq(len(f.log()), before, "nothing paid for a model with no vectors")
    finally:
        f.close()


def test_needs_service_and_model():
    docs(2)
    p = h.run("--db", "k.db", "embed", "--model", "api", check=2)
    h.ok("embed.model" in p.stderr, p.stderr)
    p = h.run("--db", "k.db", "embed", "--model", "api:m", check=2)
    h.ok("embed.base_url" in p.stderr, p.stderr)
    h.run("--db", "k.db", "embed", "--fallback", "local", check=2)
    h.run("--db", "k.db", "embed", "--api", "--fallback", "maybe", check=2)


def test_key_never_in_outputs_or_database():
    docs(6)
    f = Fake(keys=[KEY])
    try:
        d, _ = embed(f)
        h.eq(d["embedded"], 6, "embedded with the accepted key")
        h.ok(all(e["auth_ok"] for e in f.log()), "the key was sent")
    finally:
        f.close()
    for path in glob.glob("k.db*"):
        with open(path, "rb") as fh:
            h.ok(KEY.encode() not in fh.read(), f"the key is in {path}")
    for o in OUTS:
        no_key(o)


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    tests.sort(key=lambda t: t[0] == "test_key_never_in_outputs_or_database")
    sys.exit(h.main(tests))
