#!/usr/bin/env python3
"""ner_data: prepare what `make model` trains the NER model on.

1. CrossNER's dev files (crossner/{politics,science,music,literature}.dev.tsv
   and ai.dev.sci.tsv) are the only sizeable Wikipedia text with CoNLL-style
   labels besides its train and test files, so half of each goes into
   training and half stays out to pick the epoch: sentences 0, 2, 4... of
   each file to crossner.dev-train.conll (ai: crossner-ai.dev-train.conll),
   1, 3, 5... to crossner.dev-held.conll (crossner-ai.dev-held.conll).
2. SciREX: ner-train/scirex/train.tsv holds its 275 papers
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


def sentences(path):
    """Blocks of non-blank lines, each line ending in a newline."""
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                cur.append(line if line.endswith("\n") else line + "\n")
            elif cur:
                sents.append(cur)
                cur = []
    if cur:
        sents.append(cur)
    return sents


def write(path, blocks):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for b in blocks:
            f.writelines(b)
            f.write("\n")
    os.replace(path + ".tmp", path)


def crossner_halves(src, out):
    for name, files in (("crossner", ["politics.dev.tsv", "science.dev.tsv", "music.dev.tsv",
                                      "literature.dev.tsv"]),
                        ("crossner-ai", ["ai.dev.sci.tsv"])):
        train, held = [], []
        for fn in files:
            s = sentences(os.path.join(src, "crossner", fn))
            train += s[0::2]
            held += s[1::2]
        write(os.path.join(out, f"{name}.dev-train.conll"), train)
        write(os.path.join(out, f"{name}.dev-held.conll"), held)
        print(f"ner_data: {name} dev: {len(train)} sentences for training, {len(held)} held out")


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
    sents = sentences(tsv)
    total = sum(n for _, n in counts)
    if total != len(sents):
        sys.exit(f"ner_data: {tsv} has {len(sents)} sentences, the JSON documents {total}")
    os.makedirs(out, exist_ok=True)
    crossner_halves(src, out)
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
