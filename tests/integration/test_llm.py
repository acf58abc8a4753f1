#!/usr/bin/env python3
"""Integration tests for `kgas ingest --extractor llm` against the fake
OpenAI-compatible server (tests/fake_openai/server.py): a flaky server,
kill -9 and rerun, the response cache across documents, the circuit
breaker's fallback to the local rules.  "Paid" means a chat request the
server answered 200 (its own log).  The test key must never appear in any
output."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from test_net import Fake  # noqa: E402

KEY = "sk-llm-it-KEY-24680"
OUTS = []


def env(f, **extra):
    e = {"KGAS_LLM_BASE_URL": f.url, "KGAS_LLM_API_KEY": KEY, "KGAS_LLM_MODEL": "fake-chat",
         "KGAS_LLM_REQUESTS_PER_MINUTE": "60000", "KGAS_LOG_LEVEL": "debug"}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def ingest(f, *args, check=0, **extra):
    p = h.run("ingest", "--extractor", "llm", "--json", *args, env=env(f, **extra), check=check)
    OUTS.append(p.stdout + p.stderr)
    no_key(p.stdout + p.stderr)
    return json.loads(p.stdout), p


def no_key(text):
    h.ok(KEY not in text, "the test key appears in an output")


def control(f, **ctl):
    import urllib.request
    req = urllib.request.Request(f"http://127.0.0.1:{f.port}/_control",
                                 data=json.dumps(ctl).encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        r.read()


def paid(log):
    """User messages (chunk texts) of the chat requests answered 200."""
    out = []
    for e in log:
        if e["path"] == "/chat/completions" and e.get("status") == 200:
            out.append(e["body"]["messages"][-1]["content"])
    return out


def docs(n, prefix="doc"):
    os.makedirs("in", exist_ok=True)
    for i in range(n):
        h.write(f"in/{prefix}{i:02d}.txt",
                f"Report {i}. Maria Keller reviewed case {i * 7 + 3} in the archive.\n")


def test_flaky_server_every_chunk_by_llm():
    docs(20)
    f = Fake()
    try:
        control(f, fail_rate=0.3, seed=7)
        d, _ = ingest(f, "--jobs", "4", "in", KGAS_LLM_RETRIES=12, KGAS_LLM_BREAKER_FAILURES=100)
        x = d["extraction"]
        h.eq(d["added"], 20, "documents")
        h.eq(x["chunks_llm"], d["chunks"], "every chunk answered by the LLM")
        h.eq(x["chunks_fallback"], 0, "fallback")
        h.eq(x["chunks_cache"], 0, "cache")
        log = f.log()
        failed = [e for e in log if e.get("status") == 500]
        h.ok(len(failed) >= 2, f"the server failed requests ({len(failed)})")
        texts = paid(log)
        h.eq(len(texts), d["chunks"], "one paid request per chunk")
        h.eq(len(set(texts)), len(texts), "no paid request repeated")
        rows = h.sql("kgas.db", "SELECT c.id, (SELECT count(*) FROM mentions m WHERE "
                                "m.chunk_id = c.id AND m.method = 'llm') AS n FROM chunks c")
        h.eq(len(rows), 20, "chunks")
        h.ok(all(r["n"] >= 1 for r in rows), "a chunk without LLM mentions")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM mentions WHERE method != 'llm'")[0]["n"],
             0, "non-LLM mentions")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"], 20, "cache rows")
        ents = h.sql("kgas.db", "SELECT name, type, mentions FROM entities")
        h.eq([(e["name"], e["type"], e["mentions"]) for e in ents],
             [("Maria Keller", "PERSON", 20)], "one resolved entity")
        # The operation record says what the model did, like the summary.
        op = h.sql("kgas.db", "SELECT parameters, outputs FROM operations "
                              "WHERE tool = 'ingest' ORDER BY started_at DESC LIMIT 1")[0]
        h.eq(json.loads(op["parameters"])["extractor"], "llm", "recorded extractor")
        rec = json.loads(op["outputs"])["extraction"]
        h.eq((rec["chunks_llm"], rec["chunks_fallback"]), (20, 0), "recorded LLM counts")
    finally:
        f.close()


def received(log, kills, latency):
    """Chunk texts of the chat answers (200) kgas received: sent before the
    kill that followed their request, if any.  The server logs a request's
    "t" when it arrives and answers "latency" seconds later; a request in
    flight at a kill was never answered to kgas (asked again on rerun, as
    any client would).  Returns (received texts, in flight at each kill)."""
    got, flying = [], [0] * len(kills)
    for e in log:
        if e["path"] != "/chat/completions":
            continue
        k = next((i for i, t in enumerate(kills) if e["t"] < t), None)
        if k is not None and e["t"] + latency > kills[k]:
            flying[k] += 1
        elif e.get("status") == 200:
            got.append(e["body"]["messages"][-1]["content"])
    return got, flying


def kill_when_waiting(p, f, jobs, latency, rng):
    """SIGKILL p at a random moment when every worker waits on a request
    younger than half the latency (so no answer is on its way to kgas,
    and every answer received is already cached: a worker asks its next
    question only after caching its last answer).  Returns the kill's
    monotonic time, or None when p ended first."""
    time.sleep(rng.uniform(0.2, 3.0))
    deadline = time.time() + 60
    while p.poll() is None and time.time() < deadline:
        t0 = time.monotonic()
        open_ = [e for e in f.log() if "status" not in e and e["path"] == "/chat/completions"]
        now = time.monotonic()
        if (len(open_) == jobs and all(now - e["t"] < latency / 2 for e in open_)
                and now - t0 < latency / 4):
            p.send_signal(signal.SIGKILL)
            t = time.monotonic()
            p.communicate()
            h.ok(t - open_[0]["t"] < latency and t - open_[-1]["t"] < latency, "killed late")
            return t
        time.sleep(0.01)
    p.communicate()
    return None


def test_kills_at_random_moments_never_pay_twice():
    """Issue 16: with an endpoint failing 30% of the time, kill -9 the LLM
    ingest at random moments, rerun, and no answer kgas received is ever
    paid for again: each is cached as it arrives, not with its chunk."""
    import random
    docs(24)
    f = Fake()
    rng = random.Random(16)  # the moments vary with timing too
    latency, jobs = 0.4, 2
    try:
        control(f, fail_rate=0.3, seed=11, latency=latency)
        extra = {"KGAS_LLM_RETRIES": 12, "KGAS_LLM_BREAKER_FAILURES": 100}
        kills = []
        for _ in range(4):
            p = subprocess.Popen([h.KGAS, "ingest", "--extractor", "llm", "--jobs", str(jobs),
                                  "in"],
                                 env={**{k: v for k, v in os.environ.items()
                                         if not k.startswith("KGAS_")}, **env(f, **extra)},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            t = kill_when_waiting(p, f, jobs, latency, rng)
            if t is None:
                break
            kills.append(t)
        h.ok(len(kills) >= 2, f"only {len(kills)} kills landed")
        got, _ = received(f.log(), kills, latency)
        cached = h.sql("kgas.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"]
        h.eq(cached, len(set(got)), "every answer received before the kills is cached")
        d, _ = ingest(f, "--jobs", str(jobs), "in", **extra)
        h.eq(d["added"] + d["unchanged"], 24, "all documents stored after the reruns")
        got, flying = received(f.log(), kills, latency)
        h.ok(all(n <= jobs for n in flying), f"in flight at the kills: {flying}")
        repeated = sorted({t for t in got if got.count(t) > 1})
        h.eq(repeated, [], "answers paid for twice")
        h.eq(len(got), 24, "one received answer per chunk")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"], 24, "cache rows")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM mentions WHERE method != 'llm'")[0]["n"],
             0, "every chunk by the LLM")
        failed = [e for e in f.log() if e.get("status") == 500]
        h.ok(len(failed) >= 3, f"the server failed requests ({len(failed)})")
    finally:
        f.close()


def test_slow_llm_ingest_does_not_hold_the_write_lock():
    # A document's chunks arrive as fast as the service answers.  The writer
    # takes the database's write lock only once the whole document is there,
    # so another ingest with a 1 s busy timeout runs meanwhile instead of
    # failing with "database is locked".
    h.write("slow/long.txt", " ".join(f"Maria Keller reviewed case {i} in the archive at Basel."
                                      for i in range(40)) + "\n")
    h.write("other/quick.txt", "Dr. Jonas Weber works for Acme Corporation in Zurich.\n")
    f = Fake()
    try:
        control(f, script=[{"do": "slow", "delay": 0.4}] * 80)
        p = subprocess.Popen([h.KGAS, "ingest", "--extractor", "llm", "--chunk-size", "24",
                              "--chunk-overlap", "0", "--json", "slow"],
                             env={**{k: v for k, v in os.environ.items()
                                     if not k.startswith("KGAS_")}, **env(f)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while len(paid(f.log())) < 3 and time.time() < deadline:
            time.sleep(0.05)
        h.ok(len(paid(f.log())) >= 3, "the LLM ingest got going")
        q = h.run("ingest", "--json", "other", env={"KGAS_BUSY_TIMEOUT_MS": "1000"}, check=0)
        h.ok(p.poll() is None, "the LLM ingest was still running (make its document longer)")
        h.eq(json.loads(q.stdout)["added"], 1, "the other ingest stored its document")
        out, err = p.communicate(timeout=120)
        OUTS.append(out + err)
        h.eq(p.returncode, 0, err)
        d = json.loads(out)
        h.eq(d["added"], 1, "the LLM ingest stored its document")
        h.ok(d["chunks"] >= 8, f"{d['chunks']} chunks")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM documents")[0]["n"], 2, "both stored")
    finally:
        f.close()


def test_second_document_hits_cache():
    shared = "Maria Keller founded the Lisbon graph laboratory in the spring of 2019 with two " \
             "students.\n\n"
    h.write("a.txt", shared + "The laboratory first studied citation networks of physics "
                              "papers from several archives.\n")
    h.write("b.txt", shared + "Later the laboratory moved on to protein interaction graphs "
                              "and drug discovery work.\n")
    f = Fake()
    try:
        args = ("--chunk-size", "20", "--chunk-overlap", "0")
        a, _ = ingest(f, *args, "a.txt")
        b, p = ingest(f, *args, "b.txt")
        h.eq(a["extraction"]["chunks_llm"], 2, "first document asks twice")
        h.eq(b["extraction"]["chunks_cache"], 1, "shared chunk from the cache")
        h.eq(b["extraction"]["chunks_llm"], 1, "new chunk asked")
        texts = paid(f.log())
        h.eq(len(texts), 3, "paid requests")
        h.eq(len(set(texts)), 3, "no paid request repeated")
        # The text summary says the same.
        d = h.run("ingest", "--extractor", "llm", *args, "a.txt", env=env(f), check=0)
        h.ok("extraction (llm)" not in d.stdout or "from the cache" in d.stdout, d.stdout)
    finally:
        f.close()


def test_same_chunk_at_the_same_time_paid_once():
    """Four files with the same paragraph ingested by four workers at once:
    the first worker asks, the others wait for its answer (services/
    llm_inflight), so the paragraph is paid for once, not four times."""
    shared = ("Maria Keller founded the Lisbon graph laboratory in the spring of 2019 with "
              "two students.\n\n")
    for i in range(4):
        h.write(f"same/d{i}.txt", shared + f"Note {i}: the archive holds case {i * 11 + 5}.\n")
    f = Fake()
    try:
        # Slow answers, so the four requests for the paragraph overlap.
        control(f, script=[{"do": "slow", "delay": 0.6}] * 8)
        d, _ = ingest(f, "--jobs", "4", "--chunk-size", "20", "--chunk-overlap", "0", "same")
        x = d["extraction"]
        texts = paid(f.log())
        h.eq(len(texts), len(set(texts)), f"a text paid twice: {len(texts)} requests")
        h.eq(len(texts), 5, "the shared paragraph once, each note once")
        h.eq(x["chunks_llm"] + x["chunks_cache"], d["chunks"], "every chunk by the LLM")
        h.eq(x["chunks_cache"], 3, "three workers shared the first one's answer")
    finally:
        f.close()


def test_breaker_open_falls_back_to_rules():
    os.makedirs("in", exist_ok=True)
    for i in range(6):
        h.write(f"in/r{i}.txt", f"Dr. Maria Keller is a professor at the University of Lisbon. "
                                f"She wrote report {i}.\n")
    f = Fake()
    try:
        control(f, fail_rate=1.0)
        extra = dict(KGAS_LLM_RETRIES=1, KGAS_LLM_BREAKER_FAILURES=2,
                     KGAS_LLM_BREAKER_COOLDOWN_S=600)
        d, _ = ingest(f, "--jobs", "1", "in", **extra)
        x = d["extraction"]
        h.eq(d["added"], 6, "documents stored")
        h.eq(x["chunks_fallback"], d["chunks"], "every chunk by the rules")
        h.eq(x["chunks_llm"], 0, "LLM chunks")
        h.ok("500" in x["fallback_reason"] or "breaker" in x["fallback_reason"],
             x["fallback_reason"])
        h.ok(len(f.log()) <= 4, f"the breaker saved requests ({len(f.log())} made)")
        methods = h.sql("kgas.db", "SELECT DISTINCT method FROM mentions")
        h.eq([m["method"] for m in methods], ["rules"], "mention methods")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"], 0, "nothing cached")
        # The text summary reports it too.
        h.write("in/r9.txt", "Dr. Maria Keller is a professor at the University of Porto.\n")
        p = h.run("ingest", "--extractor", "llm", "in", env=env(f, **extra), check=0)
        OUTS.append(p.stdout + p.stderr)
        no_key(p.stdout + p.stderr)
        h.ok("1 by the local rules (fallback)" in p.stdout, p.stdout)
        h.ok("fallback because:" in p.stdout, p.stdout)
    finally:
        f.close()


def test_ctrl_c_ends_the_wait():
    docs(6)
    f = Fake()
    try:
        control(f, script=[{"do": "slow", "delay": 3.0}] * 20)
        p = subprocess.Popen([h.KGAS, "ingest", "--extractor", "llm", "--jobs", "2", "--json",
                              "in"],
                             env={**{k: v for k, v in os.environ.items()
                                     if not k.startswith("KGAS_")}, **env(f)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while not f.log() and time.time() < deadline:
            time.sleep(0.05)
        t0 = time.time()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        no_key(out + err)
        # The workers stop waiting at once (the run ends well before the
        # 3 s answer); requests already on the wire are let finish before
        # the loop thread ends, so the process exits a little later.
        d = json.loads(out)
        h.ok(d["cancelled"], out)
        h.ok(d["seconds"] < 2.5, f"the run took {d['seconds']:.1f}s after a Ctrl-C")
        h.ok(time.time() - t0 < 15, f"took {time.time() - t0:.1f}s to exit")
        h.eq(p.returncode, 1, "exit code")
        h.eq(d["failures"][0]["reason"], "cancelled", "reason")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM llm_cache")[0]["n"], 0, "nothing cached")
    finally:
        f.close()


def test_sighup_rereads_the_key_file():
    """Rotation without restart: the key file is rewritten and kgas told with
    SIGHUP; the requests that follow carry the new key, with no 401 first."""
    docs(30)
    key_a, key_b = KEY + "-A", KEY + "-B"
    h.write("key.txt", key_a + "\n")
    f = Fake()
    try:
        control(f, keys=[key_a, key_b], script=[{"do": "slow", "delay": 0.15}] * 60)
        e = env(f, KGAS_LLM_KEY_FILE=os.path.abspath("key.txt"))
        del e["KGAS_LLM_API_KEY"]
        p = subprocess.Popen([h.KGAS, "ingest", "--extractor", "llm", "--jobs", "1", "--json",
                              "in"],
                             env={**{k: v for k, v in os.environ.items()
                                     if not k.startswith("KGAS_")}, **e},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while len(f.log()) < 4 and time.time() < deadline:
            time.sleep(0.05)
        h.write("key.txt", key_b + "\n")
        p.send_signal(signal.SIGHUP)
        out, err = p.communicate(timeout=120)
        OUTS.append(out + err)
        h.ok(key_a not in out + err and key_b not in out + err, "a key appears in an output")
        h.eq(p.returncode, 0, err[-2000:])
        h.ok("keys re-read from llm.key_file" in err, err[-2000:])
        used = [x["key_index"] for x in f.log()]
        h.eq([x for x in f.log() if x.get("status") == 401], [], "no request was refused")
        h.ok(used[0] == 0 and used[-1] == 1, f"key A first, key B last: {used}")
        h.eq(used, sorted(used), "once B is used, A never is again")
        h.eq(json.loads(out)["extraction"]["chunks_llm"], 30, "every chunk by the LLM")
    finally:
        f.close()


def test_ingest_tool_with_llm_extractor():
    """The MCP/CLI `ingest` tool takes extractor "llm" like `kgas ingest`."""
    docs(4)
    f = Fake()
    try:
        p = h.run("tool", "ingest", "--args", '{"paths": ["in"], "extractor": "llm"}',
                  env=env(f), check=0)
        OUTS.append(p.stdout + p.stderr)
        no_key(p.stdout + p.stderr)
        r = json.loads(p.stdout)
        x = r["extraction"]
        h.eq(x["extractor"], "llm", "extractor")
        h.eq(x["chunks_llm"], r["chunks"], "every chunk answered by the LLM")
        h.eq(len(paid(f.log())), r["chunks"], "one paid request per chunk")
        methods = h.sql("kgas.db", "SELECT DISTINCT method FROM mentions")
        h.eq([m["method"] for m in methods], ["llm"], "mention methods")
        # The default is the server's setting (rules here), and a bad value
        # is refused by the schema before anything runs.
        h.write("in/extra.txt", "Dr. Maria Keller is a professor at the University of Lisbon.\n")
        r2, _ = h.run_json("tool", "ingest", "--args", '{"paths": ["in"]}', check=0)
        h.eq(r2["extraction"], {"extractor": "rules"}, "default extractor")
        h.eq(len(paid(f.log())), r["chunks"], "no request for the rules")
        p = h.run("tool", "ingest", "--args", '{"paths": ["in"], "extractor": "magic"}')
        h.ok(p.returncode != 0 and "extractor" in p.stdout + p.stderr, p.stdout + p.stderr)
        # The same through the MCP server (stdio), as a client calls it.
        from test_mcp import INIT, Raw
        h.write("in/mcp.txt", "Dr. Maria Keller spoke at the University of Porto.\n")
        s = Raw({**env(f), "KGAS_DB": os.path.abspath("kgas.db"),
                 "KGAS_ALLOWED_ROOTS": os.getcwd()})
        s.msg(INIT)
        s.read()
        s.msg({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "ingest", "arguments": {"paths": ["in/mcp.txt"], "extractor": "llm"}}})
        r3 = s.read(timeout=120)["result"]["structuredContent"]
        s.close()
        h.eq((r3["added"], r3["extraction"]["extractor"], r3["extraction"]["chunks_llm"]),
             (1, "llm", r3["chunks"]), "ingest over MCP with extractor llm")
        # Without a configured service: a clear tool error.
        p = h.run("tool", "ingest", "--args", '{"paths": ["in"], "extractor": "llm"}')
        h.ok(p.returncode != 0 and "llm.base_url" in p.stdout + p.stderr, p.stdout + p.stderr)
    finally:
        f.close()


def test_extract_entities_llm_tool():
    """The T23C tool: mentions and relations by the model, anchored to the
    text, under the call's ontology; a chunk's spans are document offsets;
    the answer is cached (asked again: not paid again) and nothing else is
    written (readOnlyHint); a failing service falls back to the rules, and
    says so."""
    text = "Dr. Maria Keller is a professor at the University of Lisbon."
    content = {"entities": [
        {"name": "Maria Keller", "type": "PERSON", "quote": "Maria Keller", "confidence": 0.9},
        {"name": "University of Lisbon", "type": "ORG", "quote": "University of Lisbon",
         "confidence": 0.95},
        {"name": "Atlantis", "type": "GPE", "quote": "Atlantis", "confidence": 0.9}],
        "relationships": [{"source": "Maria Keller", "target": "University of Lisbon",
                           "type": "WORKS_FOR", "quote": text, "confidence": 0.8}]}
    f = Fake()
    try:
        control(f, chat_content=content)

        def tool(args, **extra):
            p = h.run("tool", "extract_entities_llm", "--args", json.dumps(args),
                      env=env(f, **extra))
            OUTS.append(p.stdout + p.stderr)
            h.eq(p.returncode, 0, p.stdout + p.stderr)
            return json.loads(p.stdout)

        r = tool({"text": text})
        got = {(m["surface"], m["type"], m["method"]) for m in r["mentions"]}
        h.eq(got, {("Maria Keller", "PERSON", "llm"), ("University of Lisbon", "ORG", "llm")},
             "anchored mentions (Atlantis is not in the text)")
        for m in r["mentions"]:
            h.eq(text.encode()[m["start"]:m["end"]].decode(), m["surface"], "span")
        h.eq([(x["source"], x["type"], x["target"]) for x in r["relationships"]],
             [("Maria Keller", "WORKS_FOR", "University of Lisbon")], "relation")
        h.eq((r["extraction"]["chunks_llm"], r["extraction"]["dropped"]["unanchored"]), (1, 1),
             "counts")
        # The call's ontology and threshold.
        r = tool({"text": text, "ontology": {"entity_types": ["person"]},
                  "confidence_threshold": 0.85})
        h.eq([m["type"] for m in r["mentions"]], ["PERSON"], "only the ontology's types")
        h.eq(r["relationships"], [], "no relation without its endpoints")
        # A stored chunk: document offsets, and the cache.
        h.write("d.txt", "Preface line.\n\n" + text + "\n")
        h.run("ingest", "d.txt", check=0)
        chunk = h.sql("kgas.db", "SELECT id, char_start FROM chunks")[0]
        paid_before = len(paid(f.log()))
        before = h.sql("kgas.db", "SELECT count(*) AS n FROM mentions")[0]["n"]
        r = tool({"chunk_id": chunk["id"]})
        doc = open("d.txt").read()
        for m in r["mentions"]:
            h.eq(doc.encode()[m["start"]:m["end"]].decode(), m["surface"], "document span")
        h.eq(r["offset"], chunk["char_start"], "offset")
        r2 = tool({"chunk_id": chunk["id"]})
        h.eq((r2["extraction"]["chunks_cache"], r2["extraction"]["chunks_llm"]), (1, 0),
             "asked again: from the cache")
        h.eq(len(paid(f.log())), paid_before + 1, "paid once")
        h.eq(r2["mentions"], r["mentions"], "same answer")
        h.eq(h.sql("kgas.db", "SELECT count(*) AS n FROM mentions")[0]["n"], before,
             "nothing of the graph written")
        # `kgas tools --validate` runs it when the service is there.
        v = h.run("tools", "--validate", "--json", env=env(f), check=0)
        row = [t for t in json.loads(v.stdout)["tools"] if t["name"] == "extract_entities_llm"][0]
        h.ok(row["passed"] and "skipped" not in row, row)
        # A failing service: the rules answer, and the result says so.
        control(f, fail_rate=1.0)
        r = tool({"text": text + " Extra."}, KGAS_LLM_RETRIES=0)
        h.eq(r["extraction"]["chunks_fallback"], 1, "fallback counted")
        h.ok(r["extraction"]["fallback_reason"], r["extraction"])
        h.ok(r["mentions"] and all(m["method"] == "rules" for m in r["mentions"]), r["mentions"])
    finally:
        f.close()
    p = h.run("tool", "extract_entities_llm", "--args", json.dumps({"text": text}))
    h.ok(p.returncode != 0 and "llm.base_url" in p.stdout + p.stderr, p.stdout + p.stderr)
    p = h.run("tool", "extract_entities_llm", "--args", json.dumps({"text": text, "chunk_id": "x"}))
    h.ok(p.returncode != 0, "text and chunk_id together are refused")


def test_extractor_needs_service_and_valid_value():
    h.write("a.txt", "Maria Keller.\n")
    p = h.run("ingest", "--extractor", "llm", "a.txt", check=1)
    h.ok("llm.base_url" in p.stderr, p.stderr)
    h.run("ingest", "--extractor", "magic", "a.txt", check=2)
    h.run("ingest", "--extractor", "rules", "a.txt", check=0)
    p = h.run("ingest", "--extractor", "llm", "a.txt", check=1,
              env={"KGAS_LLM_BASE_URL": "http://127.0.0.1:1/v1", "KGAS_LLM_API_KEY": KEY,
                   "KGAS_LLM_ENTITY_TYPES": "PER SON", "KGAS_LLM_MODEL": "m"})
    h.ok("llm.entity_types" in p.stderr, p.stderr)
    no_key(p.stdout + p.stderr)


def test_outputs_never_hold_the_key():
    for o in OUTS:
        no_key(o)


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    # The key check reads what the others printed: run it last.
    tests.sort(key=lambda t: t[0] == "test_outputs_never_hold_the_key")
    sys.exit(h.main(tests))
