#!/usr/bin/env python3
"""Turn a HippoRAG corpus (a JSON list of {"title", "text"}) into text files.

Usage: corpus_to_text.py CORPUS.json OUT_DIR LIMIT

One .txt per passage, the first LIMIT passages in file order (deterministic),
the title as the first line so kgas sees the name the passage is about.  File
names are the title made safe for a file system, with the passage's ordinal
in front so two passages with one title do not collide.
"""
import json
import os
import re
import sys


def main():
    corpus, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(corpus, encoding="utf-8") as f:
        passages = json.load(f)[:limit]
    os.makedirs(out, exist_ok=True)
    for i, p in enumerate(passages):
        safe = re.sub(r"[^\w.-]+", "_", p["title"]).strip("._")[:80] or "untitled"
        with open(os.path.join(out, f"{i:05d}_{safe}.txt"), "w", encoding="utf-8") as f:
            f.write(p["title"] + "\n\n" + p["text"] + "\n")
    print(len(passages))


if __name__ == "__main__":
    main()
