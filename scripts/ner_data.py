#!/usr/bin/env python3
"""ner_data: prepare what `make model` trains the NER model on.

Only SciREX needs preparing: ner-train/scirex/train.tsv holds its 275 papers
one after another with no document marks.  This splits it into papers (the
number of sentences of each comes from its JSON in
ner-train/scirex/orig/docs/train_docs, the papers being in sorted doc_id
order), puts a -DOCSTART- line before each, and writes the papers listed in
models/ner-scirex-dev.txt to scirex.dev.conll and the others to
scirex.train.conll.  The token and tag lines are copied unchanged.

Usage: ner_data.py NER_TRAIN_DIR DEV_LIST OUT_DIR
"""
import glob
import json
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: ner_data.py NER_TRAIN_DIR DEV_LIST OUT_DIR")
    src, dev_list, out = sys.argv[1:]
    tsv = os.path.join(src, "scirex", "train.tsv")
    docs = sorted(glob.glob(os.path.join(src, "scirex", "orig", "docs", "train_docs", "*.json")))
    if not os.path.exists(tsv) or not docs:
        sys.exit(f"ner_data: {tsv} or the SciREX JSON documents beside it are missing")
    dev = {line.strip() for line in open(dev_list) if line.strip() and not line.startswith("#")}
    counts = []
    for path in docs:
        with open(path) as f:
            counts.append((os.path.basename(path)[:-5], len(json.load(f)["sentences"])))
    ids = {d for d, _ in counts}
    if not dev <= ids:
        sys.exit(f"ner_data: {dev_list} names papers that are not in {src}/scirex")
    # Sentences of train.tsv: blocks separated by blank lines.
    sents, cur = [], []
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                cur.append(line if line.endswith("\n") else line + "\n")
            elif cur:
                sents.append(cur)
                cur = []
    if cur:
        sents.append(cur)
    total = sum(n for _, n in counts)
    if total != len(sents):
        sys.exit(f"ner_data: {tsv} has {len(sents)} sentences, the JSON documents {total}")
    os.makedirs(out, exist_ok=True)
    outs = {name: open(os.path.join(out, f"scirex.{name}.conll.tmp"), "w", encoding="utf-8")
            for name in ("train", "dev")}
    i = 0
    for doc_id, n in counts:
        f = outs["dev" if doc_id in dev else "train"]
        f.write("-DOCSTART- O\n\n")
        for s in sents[i:i + n]:
            f.writelines(s)
            f.write("\n")
        i += n
    for name, f in outs.items():
        f.close()
        os.replace(os.path.join(out, f"scirex.{name}.conll.tmp"),
                   os.path.join(out, f"scirex.{name}.conll"))
    print(f"ner_data: {len(counts) - len(dev)} SciREX papers for training, {len(dev)} held out")


if __name__ == "__main__":
    main()
