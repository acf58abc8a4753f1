#!/usr/bin/env python3
"""Layering check for src/: fails on an include cycle or an upward include,
on the store's backend showing outside src/store/, and on a long file.

The layers are docs/architecture.md's layer map, bottom (0) to top.  A file may include headers
from its own layer or any layer below it, never from one above; and the
graph of "module includes module" (a module is a .c/.h pair) must have no
cycles.  Only quoted includes ("dir/file.h") are project includes.  A
subfolder belongs to its top folder's layer (store/sqlite/ is store/).

The store is a seam (src/store/backend.h): outside src/store/ no file may
name SQLite's API (`sqlite3_`, `<sqlite3.h>`), hold a `PRAGMA`, or include
a backend's own headers (src/store/<backend>/), so no layer above the store
can reach past its interface.  And no source file may be over MAX_LINES
lines (the project's rule: a longer file has grown a second purpose).
"""
import os
import re
import sys

LAYERS = {
    "base": 0,                 # errors, logging, buffers, hashing, safe files
    "config": 1,               # settings
    "net": 2, "ml": 2,         # outbound HTTP | learning machinery (pure)
    "store": 3,                # the store interface; its backends in subfolders (store/sqlite/)
    "services": 3,             # the API service loops and their clients (over net/)
    "text": 4, "nlp": 4, "graph": 4, "vec": 4,   # pure computation (nlp: Open IE, relations)
    "ner": 4,                  # entity recogniser: scanner, rules, gazetteer, model, CoNLL
    "paper": 4,                # papers read as papers: header, sections, references, citations
    "pdf": 4,                  # a PDF page's glyphs into lines, blocks, reading order, kinds
    "syntax": 4,               # words, lemmas, part-of-speech tagger, dependency parser
    "export": 5, "search": 5, "graphops": 5,     # operations over the store
    "ingest": 6,               # files -> store
    "tools": 7,                # the tool registry
    "cli": 8, "server": 8,     # front doors
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# What only src/store/ may contain: SQLite's API and SQL pragmas.
STORE_ONLY = re.compile(r"sqlite3_|<sqlite3\.h>|PRAGMA")
# A backend's private headers: store/<backend>/...
BACKEND_INCLUDE = re.compile(r"^store/[^/]+/")

MAX_LINES = 800
# Files over MAX_LINES that another change is splitting, with why.  The
# check notes them, and fails once one is short again (remove it here).
LONG_FILES_PENDING = {
}


def module_of(stem):
    """A module is a .c/.h pair; its private header X_internal.h belongs to it."""
    return stem[:-len("_internal")] if stem.endswith("_internal") else stem


def check_length(rel, n, problems, notes):
    pending = LONG_FILES_PENDING.get(rel.replace(os.sep, "/"))
    if n > MAX_LINES and pending:
        notes.append(f"{rel} has {n} lines (over {MAX_LINES}; pending: {pending})")
    elif n > MAX_LINES:
        problems.append(f"{rel}: {n} lines, over {MAX_LINES}: split it along its purposes")
    elif pending:
        problems.append(f"{rel}: {n} lines now: remove it from LONG_FILES_PENDING")


def main(root):
    src = os.path.join(root, "src")
    problems = []
    notes = []
    edges = {}
    for dirpath, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src)
            layer_dir = rel.split(os.sep)[0]
            if layer_dir not in LAYERS:
                problems.append(f"{rel}: folder '{layer_dir}' is not a layer of docs/architecture.md")
                continue
            module = module_of(os.path.splitext(rel)[0])
            in_store = layer_dir == "store"
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.readlines()
            check_length(rel, len(lines), problems, notes)
            for lineno, line in enumerate(lines, 1):
                if not in_store and STORE_ONLY.search(line):
                    problems.append(
                        f"{rel}:{lineno}: '{STORE_ONLY.search(line).group(0)}' outside src/store/: "
                        f"SQLite and its SQL live behind the store's interface (store/store.h)")
                m = INCLUDE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                if not in_store and BACKEND_INCLUDE.match(inc):
                    problems.append(
                        f"{rel}:{lineno}: includes {inc}: a store backend's own header; "
                        f"outside src/store/ use the store's public headers")
                target_dir = inc.split("/")[0]
                if "/" not in inc or target_dir not in LAYERS:
                    continue  # generated or local header
                if LAYERS[target_dir] > LAYERS[layer_dir]:
                    problems.append(
                        f"{rel}:{lineno}: includes {inc}: {layer_dir}/ (layer "
                        f"{LAYERS[layer_dir]}) may not include from {target_dir}/ "
                        f"(layer {LAYERS[target_dir]}, above it)")
                target = module_of(os.path.splitext(inc)[0])
                if target != module:
                    edges.setdefault(module, set()).add(target)
    # Cycle detection (iterative DFS with colours).
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {}
    for start in sorted(edges):
        if colour.get(start, WHITE) != WHITE:
            continue
        stack = [(start, iter(sorted(edges.get(start, ()))))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
                continue
            c = colour.get(nxt, WHITE)
            if c == GREY:
                cyc = path[path.index(nxt):] + [nxt]
                problems.append("include cycle: " + " -> ".join(cyc))
            elif c == WHITE:
                colour[nxt] = GREY
                stack.append((nxt, iter(sorted(edges.get(nxt, ())))))
                path.append(nxt)
    for n in notes:
        print("layering: note: " + n)
    if problems:
        for p in problems:
            print("layering: " + p)
        return 1
    nmod = len(set(edges) | {t for s in edges.values() for t in s})
    long = f"no file over {MAX_LINES} lines" + (f" but {len(notes)} noted" if notes else "")
    print(f"layering: ok ({nmod} modules, no cycles, no upward includes, the store's "
          f"backend hidden, {long})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
