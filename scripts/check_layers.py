#!/usr/bin/env python3
"""Layering check for src/: fails on an include cycle or an upward include.

The layers are docs/architecture.md's layer map, bottom (0) to top.  A file may include headers
from its own layer or any layer below it, never from one above; and the
graph of "module includes module" (a module is a .c/.h pair) must have no
cycles.  Only quoted includes ("dir/file.h") are project includes.
"""
import os
import re
import sys

LAYERS = {
    "base": 0,                 # errors, logging, buffers, hashing, safe files
    "config": 1,               # settings
    "net": 2, "ml": 2,         # outbound HTTP | learning machinery (pure)
    "store": 3,                # the store interface and its backends
    "services": 3,             # the API service loops and their clients (over net/)
    "text": 4, "nlp": 4, "graph": 4, "vec": 4,   # pure computation
    "paper": 4,                # papers read as papers: header, sections, references, citations
    "export": 5, "search": 5, "graphops": 5,     # operations over the store
    "ingest": 6,               # files -> store
    "tools": 7,                # the tool registry
    "cli": 8, "server": 8,     # front doors
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(stem):
    """A module is a .c/.h pair; its private header X_internal.h belongs to it."""
    return stem[:-len("_internal")] if stem.endswith("_internal") else stem


def main(root):
    src = os.path.join(root, "src")
    problems = []
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
            with open(path, encoding="utf-8", errors="replace") as f:
                for lineno, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
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
    if problems:
        for p in problems:
            print("layering: " + p)
        return 1
    nmod = len(set(edges) | {t for s in edges.values() for t in s})
    print(f"layering: ok ({nmod} modules, no cycles, no upward includes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
