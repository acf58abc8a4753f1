#!/usr/bin/env python3
"""Fail when a listed module's line coverage is under its floor."""
import json
import sys

summary = json.load(open(sys.argv[1]))
floors = []
for line in open(sys.argv[2]):
    line = line.split("#")[0].strip()
    if line:
        prefix, floor = line.split()
        floors.append((prefix, float(floor)))
files = {f["filename"]: f for f in summary["files"]}
bad = 0
for prefix, floor in floors:
    covered = total = 0
    for name, f in files.items():
        if name.startswith(prefix):
            covered += f["line_covered"]
            total += f["line_total"]
    pct = 100.0 * covered / total if total else 100.0
    ok = pct >= floor
    bad += not ok
    print(f"coverage: {prefix:<20} {pct:5.1f}% (floor {floor:.0f}%) {'ok' if ok else 'UNDER FLOOR'}")
total_c = sum(f["line_covered"] for f in files.values())
total_t = sum(f["line_total"] for f in files.values())
print(f"coverage: src/ total {100.0 * total_c / max(total_t, 1):.1f}% of {total_t} lines")
sys.exit(1 if bad else 0)
