#!/usr/bin/env python3
"""What each channel of `kgas search --mode hybrid` contributes (issue 15).

Usage:
  multihop_ablate.py KGAS WORK_DIR [WORK_DIR...]

WORK_DIR is a data set prepared and ingested by bench/multihop.sh
(BENCH_WORK/multihop_<set>: kgas.db, gold.json, texts.json).  Runs every
question with hybrid search under each setting below (KG_BENCH_HYBRID, see
search/hybrid.h; the default first), one process per question, and prints
recall@2 / recall@5 on all questions and on each half (odd: 1st, 3rd, ...;
even: 2nd, 4th, ...), beside the same-run BM25 of bench/multihop.py.
Settings are chosen on the odd half only; the even half is the check.
"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multihop as mh  # noqa: E402

SETTINGS = [
    ("default", ""),
    ("round 2's seeds (10 text seeds at 0.05)", "text_seeds=10,text_weight=0.05"),
    ("no graph seeds (text+vector seeds walk only)", "entity_weight=0,title_weight=0"),
    ("no entity seeds", "entity_weight=0"),
    ("no title seeds", "title_weight=0"),
    ("no text seeds", "text_seeds=0"),
    ("no entity-entity edges", "relation_fanout=0"),
    ("typed relations only", "cooccur_scale=0"),
    ("co-occurrence only", "typed_scale=0"),
    ("typed x2", "typed_scale=2"),
    ("walk of 1 step", "levels=1"),
]


def halves(per_q, key):
    out = {}
    for name, sl in (("all", slice(None)), ("odd", slice(0, None, 2)),
                     ("even", slice(1, None, 2))):
        out[name] = 100 * statistics.fmean(key(q) for q in per_q[sl])
    return out


def run_setting(kgas, db, qs, spec):
    env = dict(os.environ)
    env.pop("KG_BENCH_HYBRID", None)
    if spec:
        env["KG_BENCH_HYBRID"] = spec
    rows = []
    for q in qs:
        p = subprocess.run(mh.kgas_argv(kgas, db, "hybrid", q["question"]),
                           capture_output=True, text=True, env=env)
        r = mh.ranking("hybrid", json.loads(p.stdout)) if p.returncode == 0 else []
        rows.append({"r2": mh.recall(r, q["gold"], 2), "r5": mh.recall(r, q["gold"], 5)})
    return rows


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kgas = sys.argv[1]
    for work in sys.argv[2:]:
        g = json.load(open(os.path.join(work, "gold.json"), encoding="utf-8"))
        texts = json.load(open(os.path.join(work, "texts.json"), encoding="utf-8"))
        qs = [q for q in g["questions"] if q["gold"]]
        bm = mh.BM25(texts)
        ref = []
        for q in qs:
            r = bm.rank(q["question"], 5)
            ref.append({"r2": mh.recall(r, q["gold"], 2), "r5": mh.recall(r, q["gold"], 5)})
        print(f"{g['name']}: {len(qs)} questions; R@2 / R@5 on all | odd | even halves")
        rows = [("BM25 (reference)", "", ref)]
        for name, spec in SETTINGS:
            rows.append((name, spec, run_setting(kgas, os.path.join(work, "kgas.db"), qs, spec)))
        for name, spec, per_q in rows:
            r2 = halves(per_q, lambda q: q["r2"])
            r5 = halves(per_q, lambda q: q["r5"])
            cells = "  ".join(f"{r2[h]:5.1f} {r5[h]:5.1f}" for h in ("all", "odd", "even"))
            print(f"  {name:<46} {cells}   {spec}")


if __name__ == "__main__":
    main()
