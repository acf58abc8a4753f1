#!/usr/bin/env python3
"""Integration tests for the libraries kgas opens at first use (poppler-glib,
libcurl, libmicrohttpd; src/base/dynlib.h): the binary does not link them,
`kgas doctor` reports them, and when one cannot be loaded the commands that
need it fail with a message naming it while everything else works.
KG_TEST_DLOPEN_FAIL=all makes every such load fail for real."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

LAZY = ("libpoppler-glib", "libcurl", "libmicrohttpd", "libglib", "libgobject", "libcairo",
        "libgnutls", "libssl")
NO_LIBS = {"KG_TEST_DLOPEN_FAIL": "all"}


def test_binary_does_not_link_them():
    p = subprocess.run(["readelf", "-d", h.KGAS], capture_output=True, text=True, check=True)
    needed = [line for line in p.stdout.splitlines() if "(NEEDED)" in line]
    h.ok(needed, "no NEEDED entries found: " + p.stdout[:300])
    for line in needed:
        for lib in LAZY:
            h.ok(lib not in line, f"kgas links {lib} at start-up: {line.strip()}")


def test_doctor_lists_libraries():
    d, _ = h.run_json("doctor", "--json", check=0)
    names = [x["soname"] for x in d["libraries"]]
    h.eq(len(names), 3, "three libraries")
    for lib, x in zip(("libpoppler-glib.so.", "libcurl.so.", "libmicrohttpd.so."),
                      d["libraries"]):
        h.ok(x["soname"].startswith(lib), x["soname"])
        h.ok(x["ok"] and x["version"], x)
    p = h.run("doctor", check=0)
    h.ok("libraries (opened when first needed):" in p.stdout, p.stdout)


def test_doctor_reports_missing_libraries():
    p = h.run("doctor", "--json", env=NO_LIBS, check=1)
    d = json.loads(p.stdout)
    h.eq(d["ok"], False, "ok")
    for x in d["libraries"]:
        h.eq(x["ok"], False, x["soname"])
        h.ok(x["soname"] in x["error"] and "install the package" in x["error"], x["error"])
    p = h.run("doctor", env=dict(NO_LIBS, KGAS_LLM_BASE_URL="http://127.0.0.1:1/v1"),
              check=1)
    h.ok("libcurl" in p.stdout and "FAILED" in p.stdout, p.stdout)


def test_ingest_without_poppler():
    h.write("docs/paper.pdf", "%PDF-1.4\n%%EOF\n")
    h.write("docs/notes.txt", "Ada Lovelace worked with Charles Babbage in London.\n")
    d, p = h.run_json("--db", "k.db", "ingest", "--json", "docs", env=NO_LIBS, check=1)
    h.eq(d["added"], 1, "the text file is stored")
    h.eq(len(d["failures"]), 1, "the PDF fails")
    reason = d["failures"][0]["reason"]
    h.ok("cannot read PDFs" in reason and "libpoppler-glib.so." in reason
         and "install the package" in reason, reason)
    # Commands that need none of the libraries work without them.
    s, _ = h.run_json("--db", "k.db", "stats", "--json", env=NO_LIBS, check=0)
    h.eq(s["documents"], 1, "documents")
    h.run("--db", "k.db", "top", env=NO_LIBS, check=0)


def test_mcp_http_without_microhttpd():
    p = h.run("--db", "k.db", "mcp", "--http", "127.0.0.1:0", env=NO_LIBS, timeout=30)
    h.ok(p.returncode != 0, f"exit {p.returncode}")
    h.ok("cannot serve MCP over HTTP" in p.stderr and "libmicrohttpd.so." in p.stderr,
         p.stderr)


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    sys.exit(h.main(tests))
