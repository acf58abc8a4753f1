#!/usr/bin/env python3
"""Integration tests for kgas: the built binary on real files.

Each test runs in a fresh temporary directory.  Cases that need
../shared/data skip, saying so, when it is absent.
"""
import glob
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import Skip, eq, ok, run, run_json, shared, sql, write  # noqa: E402

DEMO = os.path.join(h.SRC, "demo", "corpus")


# ---- CLI basics ---------------------------------------------------------

def test_version_and_help():
    p = run("--version", check=0)
    ok(p.stdout.startswith("kgas "), "version line")
    p = run("--help", check=0)
    for cmd in ("ingest", "search", "stats", "documents", "config"):
        ok(f"  {cmd}" in p.stdout, f"--help lists {cmd}")
    for cmd in ("ingest", "search", "stats", "documents", "config"):
        p = run(cmd, "--help", check=0)
        ok(p.stdout.startswith("usage: kgas " + cmd), f"{cmd} --help")
    p = run(check=2)
    ok("usage" in p.stderr, "no command prints usage")


def test_usage_errors_exit_2():
    p = run("frobnicate", check=2)
    ok("unknown command 'frobnicate'" in p.stderr, p.stderr)
    p = run("ingets", check=2)
    ok("did you mean 'ingest'" in p.stderr, p.stderr)
    p = run("--bogus", check=2)
    ok("unknown option" in p.stderr, p.stderr)
    p = run("ingest", check=2)
    ok("at least one file" in p.stderr, p.stderr)
    p = run("ingest", "--jobs", check=2)
    ok("needs a value" in p.stderr, p.stderr)
    p = run("ingest", "--nope", "x", check=2)
    ok("unknown option '--nope'" in p.stderr, p.stderr)
    p = run("stats", "--db", check=2)
    ok("needs a value" in p.stderr, p.stderr)
    p = run("search", "--limit", "0", "x", check=2)
    ok("--limit" in p.stderr, p.stderr)
    p = run("search", check=2)
    p = run("stats", "extra", check=2)


# ---- ingest, stats, search, documents -----------------------------------

def test_ingest_demo_corpus():
    s, p = run_json("ingest", "--json", DEMO, check=0)
    n = len([f for f in os.listdir(DEMO) if not f.startswith(".")])
    eq(s["added"], n, "added")
    eq(s["failed"], 0, "failed")
    ok(s["chunks"] >= n, "chunks")
    ok(s["bytes"] > 0 and s["seconds"] >= 0, "bytes and seconds")
    st, _ = run_json("stats", "--json", check=0)
    eq(st["documents"], n, "documents")
    eq(st["chunks"], s["chunks"], "chunks")
    for k in ("entities", "relationships"):
        ok(k in st, k)
    docs, _ = run_json("documents", "--json", check=0)
    eq(len(docs["documents"]), n, "documents listed")
    kinds = {d["kind"] for d in docs["documents"]}
    ok({"md", "txt", "html"} <= kinds, f"kinds {kinds}")
    for d in docs["documents"]:
        ok(d["id"].startswith("doc_") and len(d["id"]) == 20, d["id"])
        ok(d["title"], "every document has a title")
    p = run("documents", check=0)
    ok("doc_" in p.stdout, "plain listing")


def test_search_json_shape():
    run("ingest", DEMO, check=0)
    r, _ = run_json("search", "memory network", "--json", check=0)
    ok(r["results"], "some results")
    first = r["results"][0]
    for k in ("document", "title", "page", "snippet", "score"):
        ok(k in first, f"result has {k}")
    ok("[" in first["snippet"], "snippet marks the match")
    scores = [x["score"] for x in r["results"]]
    eq(scores, sorted(scores, reverse=True), "BM25 order")
    r, _ = run_json("search", "--json", "--limit", "1", "the", check=0)
    ok(len(r["results"]) <= 1, "limit")
    p = run("search", "zzqqxxnotaword", check=0)
    ok("no matches" in p.stdout, p.stdout)
    p = run("search", "memory", check=0)
    ok("1." in p.stdout, p.stdout)


def test_read_commands_without_database():
    p = run("stats", "--db", "nothing-here.db", check=1)
    ok("no database" in p.stderr and "kgas ingest" in p.stderr, p.stderr)
    ok(not os.path.exists("nothing-here.db"), "a read command creates no database")


def test_idempotent_reingest():
    run("ingest", DEMO, check=0)
    before = sql("kgas.db", "SELECT id, hash FROM documents ORDER BY id")
    chunks = sql("kgas.db", "SELECT id, text FROM chunks ORDER BY id")
    s, _ = run_json("ingest", "--json", DEMO, check=0)
    eq(s["added"], 0, "added on re-run")
    eq(s["unchanged"], len(before), "unchanged on re-run")
    eq(sql("kgas.db", "SELECT id, hash FROM documents ORDER BY id"), before, "documents")
    eq(sql("kgas.db", "SELECT id, text FROM chunks ORDER BY id"), chunks, "chunks")
    # The same bytes under another name are stored once.
    write("copy/again.md", open(os.path.join(DEMO, sorted(os.listdir(DEMO))[0])).read())
    s, _ = run_json("ingest", "--json", "copy", check=0)
    eq((s["added"], s["unchanged"]), (0, 1), "duplicate content stored once")


def test_changed_file_replaces_previous_version():
    write("notes/a.txt", "Alpha beta gamma. The first version talks about quasars.\n")
    write("notes/b.txt", "Another note about pulsars.\n")
    s, _ = run_json("ingest", "--json", "notes", check=0)
    eq(s["added"], 2, "added")
    old = sql("kgas.db", "SELECT id FROM documents WHERE path LIKE '%a.txt'")[0]["id"]
    write("notes/a.txt", "Alpha beta gamma. The second version talks about magnetars.\n")
    s, _ = run_json("ingest", "--json", "notes", check=0)
    eq((s["added"], s["replaced"], s["unchanged"]), (0, 1, 1), "replaced")
    docs = sql("kgas.db", "SELECT id, path FROM documents")
    eq(len(docs), 2, "still two documents")
    eq(sql("kgas.db", f"SELECT count(*) AS n FROM chunks WHERE document_id = '{old}'")[0]["n"], 0,
       "old chunks gone")
    r, _ = run_json("search", "--json", "quasars", check=0)
    eq(r["results"], [], "old text no longer searchable")
    r, _ = run_json("search", "--json", "magnetars", check=0)
    eq(len(r["results"]), 1, "new text searchable")


def test_text_encodings_and_offsets():
    write("t/bom_crlf.txt", "\ufeffFirst line.\r\nSecond line with caf\u00e9.\r\n", mode="w")
    with open("t/bad_utf8.txt", "wb") as f:
        f.write(b"Good start. Bad bytes: \xff\xfe here. End.\n")
    write("t/page.html", "<html><head><title>Web Page</title><style>p{}</style>"
          "<script>var x = 'hidden';</script></head><body><h1>Head</h1>"
          "<p>Visible &amp; decoded.</p></body></html>")
    write("t/notes.md", "# Notes Title\n\nIntro text.\n\n## Methods\n\nWe used kriging.\n")
    s, p = run_json("ingest", "--json", "t", check=0)
    eq(s["added"], 4, "all four load")
    rows = {os.path.basename(r["path"]): r for r in sql(
        "kgas.db", "SELECT path, title, chars, confidence FROM documents")}
    eq(rows["page.html"]["title"], "Web Page", "html title")
    eq(rows["notes.md"]["title"], "Notes Title", "md title")
    eq(rows["bom_crlf.txt"]["title"], "bom_crlf.txt", "txt title is the file name")
    ok(rows["bad_utf8.txt"]["confidence"] < 1.0, "repaired text lowers confidence")
    text = sql("kgas.db", "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
                          " WHERE d.path LIKE '%bom_crlf.txt'")[0]["text"]
    ok("\r" not in text and "\ufeff" not in text, "CRLF and BOM normalised")
    ok("caf\u00e9" in text, "UTF-8 kept")
    bad = sql("kgas.db", "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
                         " WHERE d.path LIKE '%bad_utf8.txt'")[0]["text"]
    ok("\ufffd" in bad, "invalid bytes replaced")
    html = sql("kgas.db", "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
                          " WHERE d.path LIKE '%page.html'")[0]["text"]
    ok("hidden" not in html and "p{}" not in html, "script and style dropped")
    ok("Visible & decoded." in html, "entities decoded")
    sec = sql("kgas.db", "SELECT section FROM chunks c JOIN documents d ON d.id = c.document_id"
                         " WHERE d.path LIKE '%notes.md' ORDER BY ordinal")
    ok(any(r["section"] for r in sec), "markdown sections recorded")
    # Offsets: chunk spans lie inside the document and do not run backwards.
    for r in sql("kgas.db", "SELECT c.char_start, c.char_end, d.chars, length(CAST(c.text AS"
                            " BLOB)) AS n FROM chunks c JOIN documents d ON d.id = c.document_id"):
        ok(0 <= r["char_start"] < r["char_end"] <= r["chars"], f"span {r}")
        eq(r["char_end"] - r["char_start"], r["n"], "span length equals chunk bytes")


def test_chunk_settings_from_flags():
    words = " ".join(f"Word{i} is here." for i in range(3000))
    write("long.txt", words)
    s, _ = run_json("ingest", "--json", "--chunk-size", "64", "--chunk-overlap", "8", "long.txt",
                    check=0)
    rows = sql("kgas.db", "SELECT tokens, char_start, char_end FROM chunks ORDER BY ordinal")
    ok(len(rows) > 100, f"many small chunks ({len(rows)})")
    ok(max(r["tokens"] for r in rows) <= 64, "chunk size respected")
    overl = sum(1 for a, b in zip(rows, rows[1:]) if b["char_start"] < a["char_end"])
    ok(overl >= len(rows) - 2, "consecutive chunks overlap")
    p = run("ingest", "--chunk-size", "8", "long.txt", check=2)
    ok("chunk_size" in p.stderr and "16..8192" in p.stderr, p.stderr)
    p = run("ingest", "--chunk-size", "64", "--chunk-overlap", "40", "long.txt", check=2)
    ok("more than half" in p.stderr, p.stderr)


# ---- PDFs ---------------------------------------------------------------

def pdfinfo_pages(path):
    p = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def test_pdf_papers_page_counts():
    papers = shared("pdf/papers")
    s, _ = run_json("ingest", "--json", papers, check=0, timeout=600)
    files = sorted(glob.glob(os.path.join(papers, "*.pdf")))
    eq(s["added"], len(files), "every paper loads")
    rows = {os.path.basename(r["path"]): r for r in sql(
        "kgas.db", "SELECT path, pages, chunks, title FROM documents")}
    for f in files:
        eq(rows[os.path.basename(f)]["pages"], pdfinfo_pages(f), f"pages of {f}")
        ok(rows[os.path.basename(f)]["title"], f"title of {f}")
    # Page spans of chunks stay within the document's pages.
    for r in sql("kgas.db", "SELECT c.page_start, c.page_end, d.pages FROM chunks c"
                            " JOIN documents d ON d.id = c.document_id"):
        ok(1 <= r["page_start"] <= r["page_end"] <= r["pages"], f"page span {r}")
    r, _ = run_json("search", "--json", "trace", "tree", check=0)
    ok(any("tracemonkey" in x["path"].lower() or "Trace" in x["title"] for x in r["results"]),
       "tracemonkey found by full text")


def test_pdf_odd_files_never_crash():
    odd = shared("pdf/odd")
    s, p = run_json("ingest", "--json", odd, check=1, timeout=600)
    files = glob.glob(os.path.join(odd, "*.pdf"))
    eq(s["added"] + s["failed"] + s["unchanged"], len(files), "every file accounted for")
    ok(s["failed"] > 0, "some odd files fail")
    for f in s["failures"]:
        ok(f["reason"] and len(f["reason"]) > 5, f"failure has a reason: {f}")
    reasons = {os.path.basename(f["path"]): f["reason"] for f in s["failures"]}
    for enc in ("pr6531_1.pdf", "issue6010_1.pdf", "saslprep-r6.pdf"):
        ok("password" in reasons.get(enc, ""), f"{enc}: {reasons.get(enc)}")
    eq(sql("kgas.db", "PRAGMA integrity_check")[0]["integrity_check"], "ok", "integrity")


# ---- settings ------------------------------------------------------------

def test_config_precedence_and_sources():
    write("kgas.conf", "chunk_size = 300\njobs = 2\n[pagerank]\ndamping = 0.9\n")
    c, _ = run_json("config", "--json", check=0)
    eq(c["chunk_size"]["value"], 300, "file value")
    eq(c["chunk_size"]["source"], "file", "file source")
    eq(c["chunk_overlap"]["source"], "default", "default source")
    c, _ = run_json("config", "--json", env={"KGAS_CHUNK_SIZE": "400"}, check=0)
    eq((c["chunk_size"]["value"], c["chunk_size"]["source"]), (400, "env"), "env beats file")
    eq(c["jobs"]["value"], 2, "file still applies")
    c, _ = run_json("--db", "x.db", "config", "--json", env={"KGAS_DB": "y.db"}, check=0)
    eq((c["db"]["value"], c["db"]["source"]), ("x.db", "flag"), "flag beats env")
    c, _ = run_json("config", "--json", "--db=z.db", check=0)
    eq(c["db"]["value"], "z.db", "global option after the command")
    write("other.conf", "chunk_size = 128\n")
    c, _ = run_json("config", "--json", "--config", "other.conf", check=0)
    eq(c["chunk_size"]["value"], 128, "--config")
    c, _ = run_json("config", "--json", env={"KGAS_CONFIG": "other.conf"}, check=0)
    eq(c["chunk_size"]["value"], 128, "KGAS_CONFIG")
    p = run("config", "--config", "missing.conf", check=2)
    ok("missing.conf" in p.stderr, p.stderr)
    p = run("config", check=0)
    ok("chunk_size" in p.stdout and "(file:" in p.stdout, p.stdout)


def test_config_validation_errors():
    write("kgas.conf", "chunk_size = 4\n")
    p = run("config", check=2)
    ok("setting chunk_size from kgas.conf:1: 4 is out of range (allowed: 16..8192 tokens)"
       in p.stderr, p.stderr)
    os.remove("kgas.conf")
    p = run("config", env={"KGAS_CHUNKSIZE": "100"}, check=2)
    ok("did you mean KGAS_CHUNK_SIZE" in p.stderr, p.stderr)
    write("kgas.conf", "chunk_sise = 100\n")
    p = run("config", check=2)
    ok("did you mean 'chunk_size'" in p.stderr, p.stderr)
    os.remove("kgas.conf")
    p = run("--log-level", "loud", "config", check=2)
    ok("log_level" in p.stderr and "debug|info|warn|error|off" in p.stderr, p.stderr)


def test_secret_is_never_printed():
    secret = "tok-INTEGRATION-SECRET-9876"
    env = {"KGAS_MCP_TOKEN": secret}
    outputs = []
    for args in (["config"], ["config", "--json"], ["--log-level", "debug", "ingest", DEMO],
                 ["--log-format", "json", "--log-level", "debug", "stats", "--json"]):
        p = run(*args, env=env)
        outputs.append(p.stdout + p.stderr)
    c, _ = run_json("config", "--json", env=env, check=0)
    eq(c["mcp.token"]["value"], "[set]", "secret shown as [set]")
    for out in outputs:
        ok(secret not in out, "secret leaked in output")
    ok(any('"level":"info"' in o or '"level":"debug"' in o or "kgas info" in o
           for o in outputs), "some log lines were produced to check")


# ---- path safety ---------------------------------------------------------

def test_path_refusals():
    os.makedirs("root/sub")
    os.makedirs("outside")
    write("root/ok.txt", "Inside the root.\n")
    write("outside/secret.txt", "Outside the root.\n")
    os.symlink(os.path.abspath("outside/secret.txt"), "root/escape.txt")
    write("root/big.txt", "x" * 5000)
    s, _ = run_json("ingest", "--json", "--allowed-roots", "root", "--max-file-bytes", "4096",
                    "root/ok.txt", "root/escape.txt", "root/sub/../../outside/secret.txt",
                    "root/big.txt", "/dev/null", check=1)
    eq(s["added"], 1, "only the file inside the root loads")
    reasons = {f["path"]: f["reason"] for f in s["failures"]}
    ok(any("resolves to" in r and "outside the allowed roots" in r
           for p_, r in reasons.items() if "escape" in p_), reasons)
    ok(any("outside the allowed roots" in r for p_, r in reasons.items() if ".." in p_), reasons)
    ok(any("per-file limit" in r for p_, r in reasons.items() if "big" in p_), reasons)
    ok(any("refused" in r for p_, r in reasons.items() if "null" in p_), reasons)
    s, _ = run_json("ingest", "--json", "/dev/null", check=1)
    ok("not a regular file" in s["failures"][0]["reason"], s["failures"])
    s, _ = run_json("ingest", "--json", "--allowed-roots", "root", "outside", check=1)
    ok("outside the allowed roots" in s["failures"][0]["reason"], s["failures"])
    s, _ = run_json("ingest", "--json", "does-not-exist.txt", check=1)
    ok("No such file" in s["failures"][0]["reason"], s["failures"])
    write("strange.xyz", "data")
    s, _ = run_json("ingest", "--json", "strange.xyz", check=1)
    ok("unsupported file type" in s["failures"][0]["reason"], s["failures"])
    p = run("ingest", "--allowed-roots", "no/such/dir", "root", check=2)
    ok("allowed_roots" in p.stderr, p.stderr)


def test_include_exclude_globs():
    write("c/a.txt", "Text A.\n")
    write("c/b.md", "# B\n\nText B.\n")
    write("c/skip/c.txt", "Text C.\n")
    write("c/.hidden.txt", "Hidden.\n")
    s, _ = run_json("ingest", "--json", "--exclude", "skip", "c", check=0)
    eq(s["added"], 2, "excluded folder and hidden file skipped")
    s, _ = run_json("ingest", "--json", "--db", "two.db", "--include", "*.md", "c", check=0)
    eq(s["added"], 1, "include glob")


# ---- crash safety and concurrency ---------------------------------------

def make_corpus(folder, n, size):
    rnd = random.Random(42)
    words = ("graph knowledge entity method model theory data network learning memory "
             "analysis researcher university institute experiment result").split()
    for i in range(n):
        sentences = []
        total = 0
        while total < size:
            s = " ".join(rnd.choice(words) for _ in range(12)).capitalize() + "."
            sentences.append(s)
            total += len(s) + 1
        write(os.path.join(folder, f"doc{i:03d}.txt"), f"Document {i}. " + " ".join(sentences))


def snapshot(db):
    return (sql(db, "SELECT id, hash, chunks FROM documents ORDER BY id"),
            sql(db, "SELECT id, document_id, char_start, char_end, text FROM chunks ORDER BY id"))


def test_kill9_leaves_whole_documents():
    make_corpus("corpus", 40, 60000)
    run("--db", "clean.db", "ingest", "corpus", check=0)
    clean = snapshot("clean.db")
    rnd = random.Random(7)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    for attempt in range(6):
        p = subprocess.Popen([h.KGAS, "--db", "killed.db", "ingest", "--jobs", "2", "corpus"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(rnd.uniform(0.02, 0.6))  # test-side pacing of the kill, not in src/
        p.send_signal(signal.SIGKILL)
        p.wait()
        if not os.path.exists("killed.db"):
            continue
        eq(sql("killed.db", "PRAGMA integrity_check")[0]["integrity_check"], "ok",
           f"integrity after kill {attempt}")
        # Only whole documents: each stored document has all its chunks.
        for r in sql("killed.db", "SELECT d.id, d.chunks, count(c.id) AS n FROM documents d"
                                  " LEFT JOIN chunks c ON c.document_id = d.id GROUP BY d.id"):
            eq(r["n"], r["chunks"], f"document {r['id']} whole after kill {attempt}")
            ok(r["chunks"] > 0, "no empty half-made document")
        fts = sql("killed.db", "SELECT count(*) AS n FROM chunks_fts")[0]["n"]
        eq(fts, sql("killed.db", "SELECT count(*) AS n FROM chunks")[0]["n"], "FTS in step")
    run("--db", "killed.db", "ingest", "corpus", check=0)
    eq(snapshot("killed.db"), clean, "resumed run ends in the clean run's state")


def test_two_processes_one_database():
    make_corpus("big", 6, 2_000_000)
    run("ingest", "--db", "shared.db", os.path.join("big", "doc000.txt"), check=0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    p = subprocess.Popen([h.KGAS, "--db", "shared.db", "ingest", "--json", "big"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    reads = 0
    while p.poll() is None:
        st, q = run_json("--db", "shared.db", "stats", "--json", check=0)
        ok(st["documents"] >= 1, "reader sees committed documents")
        r, _ = run_json("--db", "shared.db", "search", "--json", "graph", check=0)
        reads += 1
    out, err = p.communicate()
    eq(p.returncode, 0, f"writer finished: {err}")
    ok(reads >= 1, "reads happened while the ingest ran")
    eq(json.loads(out)["added"], 5, "writer added the rest")
    eq(sql("shared.db", "PRAGMA integrity_check")[0]["integrity_check"], "ok", "integrity")


# ---- the source tree itself ------------------------------------------------

def test_layering_check_catches_violations():
    checker = os.path.join(h.SRC, "scripts", "check_layers.py")
    p = subprocess.run([sys.executable, checker, h.SRC], capture_output=True, text=True)
    eq(p.returncode, 0, p.stdout)
    write("bad/src/base/a.h", '#include "store/store.h"\n')
    write("bad/src/store/store.h", '#include "base/a.h"\n')
    write("bad/src/graph/x.c", '#include "graph/y.h"\n')
    write("bad/src/graph/y.h", '#include "graph/x.h"\n')
    write("bad/src/graph/x.h", "\n")
    write("bad/src/weird/z.c", "\n")
    p = subprocess.run([sys.executable, checker, "bad"], capture_output=True, text=True)
    eq(p.returncode, 1, "violations found")
    ok("base/ (layer 0) may not include from store/" in p.stdout, p.stdout)
    ok("include cycle" in p.stdout, p.stdout)
    ok("'weird' is not a layer" in p.stdout, p.stdout)


def test_no_sleep_calls_in_src():
    p = subprocess.run(["grep", "-rnE", r"\b(sleep|usleep|nanosleep)\s*\(",
                        os.path.join(h.SRC, "src")], capture_output=True, text=True)
    eq(p.stdout, "", "blocking sleeps under src/")


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
