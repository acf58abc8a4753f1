#!/usr/bin/env python3
"""Print the entity names in `kgas top --json` output (stdin), one per line.

The output's exact shape is the CLI's business, so this takes every object
with a string "name" anywhere in the document, in order, without repeats.
"""
import json
import sys


def names(node):
    if isinstance(node, dict):
        if isinstance(node.get("name"), str):
            yield node["name"]
        for v in node.values():
            yield from names(v)
    elif isinstance(node, list):
        for v in node:
            yield from names(v)


seen = set()
for name in names(json.load(sys.stdin)):
    name = " ".join(name.split())
    if name and name not in seen:
        seen.add(name)
        print(name)
