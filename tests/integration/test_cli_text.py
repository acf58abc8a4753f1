#!/usr/bin/env python3
"""Integration tests for the text a user types on the command line: a
question, a search or an entity name that is not valid UTF-8 (a byte
0xff, a truncated sequence) is refused with a clear error and exit 2,
before anything is looked up, instead of printing an empty answer with
exit 0 (JSON cannot hold such text).  Valid non-ASCII text still works."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import eq, ok, run, run_json  # noqa: E402

DEMO = os.path.join(h.SRC, "demo", "corpus")
# Bytes that are not UTF-8, passed through argv as they are
# (os.fsencode maps these surrogates back to the raw bytes).
BAD = "who works with \udcff\udcfe Maria Keller?"
TRUNCATED = "Graph Echo \udce2\udc82"


def test_broken_utf8_is_refused_with_exit_2():
    run("ingest", DEMO, check=0)
    for args in (["query", BAD], ["query", "--json", BAD], ["query", TRUNCATED],
                 ["search", BAD], ["search", "--json", TRUNCATED], ["entity", BAD],
                 ["path", BAD, "Maria Keller"]):
        p = run(*args, check=2)
        ok("not valid UTF-8" in p.stderr, f"{args}: {p.stderr}")
        eq(p.stdout, "", f"{args}: nothing printed on stdout")
    p = run("query", BAD, check=2)
    ok("byte 0xff at offset 15" in p.stderr, p.stderr)


def test_valid_non_ascii_text_still_answers():
    run("ingest", DEMO, check=0)
    r, _ = run_json("query", "--json", "Graph Echo Network — who proposed it?", check=0)
    ok(any(m["name"] == "Graph Echo Network" for m in r["matched"]), r["matched"])
    r, _ = run_json("search", "--json", "Lisboa café", check=0)
    ok("results" in r, r)


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
