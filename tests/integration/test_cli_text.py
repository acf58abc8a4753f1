#!/usr/bin/env python3
"""Integration tests for the text a user types on the command line: a
question, a search or an entity name that is not valid UTF-8 (a byte
0xff, a truncated sequence) is refused with a clear error and exit 2,
before anything is looked up, instead of printing an empty answer with
exit 0 (JSON cannot hold such text).  Valid non-ASCII text still works,
and lines up in `kgas top`'s columns; snippets print on one line under
their hit."""
import os
import re
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


def test_top_columns_line_up_with_non_ascii_names():
    # "Zoë" and "José" are one column a letter and two bytes: the type
    # column starts at the same column on every line, as it does for an
    # ASCII name (the column counted bytes before).
    with open("names.txt", "w", encoding="utf-8") as f:
        f.write("José Saramago met Zoë Baird in Lisbon in 1998. José Saramago wrote "
                "about Lisbon and Porto. Zoë Baird visited Portugal with Ana Gomes.\n")
    run("ingest", "names.txt", check=0)
    lines = run("top", check=0).stdout.splitlines()
    names = {ln[5:45].rstrip() for ln in lines}
    ok({"José Saramago", "Zoë Baird", "Ana Gomes"} <= names, lines)
    cols = {ln.index(" pagerank") for ln in lines}
    eq(len(cols), 1, f"the pagerank column starts at one column: {lines}")


def test_passages_and_snippets_print_one_line_each():
    # A snippet's line ends (a Markdown heading, a wrapped paragraph) do
    # not break the indented layout: each hit is its heading line and one
    # snippet line; a query's passages say where they are (bytes) and what
    # they hold, those the walk did not reach under a line of their own; a
    # section that is only the title is not said twice.
    run("ingest", DEMO, check=0)
    # a note that shares words with the question and no entity with it:
    # the walk does not reach it, and the list says so
    with open("note.txt", "w", encoding="utf-8") as f:
        f.write("the canteen staff work late on fridays\n")
    run("ingest", "note.txt", check=0)
    q = "Which university does the researcher who proposed the Graph Echo Network work for?"
    out = run("query", q, check=0).stdout.splitlines()
    at = out.index("passages (hybrid search):")
    sub = "  not reached from the question's entities, only sharing its words:"
    ok(sub in out, out)
    ok(out.index(sub) > at + 2 and "note.txt" in out[out.index(sub) + 1], out)
    passages = [ln for ln in out[at + 1:] if ln != sub]
    ok(len(passages) >= 4 and len(passages) % 2 == 0, passages)
    for head, snip in zip(passages[0::2], passages[1::2]):
        ok(re.match(r"^ +\d+\. .+ \(p\. \d+, bytes \d+-\d+\)$", head), head)
        ok(snip.startswith("      ") and snip.strip(), snip)
    ok(passages[0].endswith(". The Graph Echo Network (p. 1, bytes 0-983)"), passages[0])
    ok(passages[1].strip().startswith("# The Graph Echo Network ## Origins Dr. Maria Keller"),
       passages[1])
    ok(len(passages[1].strip()) <= 103 and passages[1].endswith("..."), passages[1])
    for args in (["search", "Graph Echo"], ["search", "--mode", "hybrid", "Graph Echo"]):
        lines = [ln for ln in run(*args, check=0).stdout.splitlines()
                 if not ln.startswith("channels:")]
        ok(len(lines) >= 4 and len(lines) % 2 == 0, lines)
        for head, snip in zip(lines[0::2], lines[1::2]):
            ok(re.match(r"^ ?\d+\. ", head) and "\u00a7 The Graph Echo Network" not in head,
               f"{args}: {head}")
            ok(snip.startswith("    ") and snip.strip(), f"{args}: {snip}")


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
