#!/usr/bin/env python3
"""Multi-hop retrieval benchmark: kgas's search modes against a plain BM25.

Usage:
  multihop.py prepare NAME QA.json CORPUS.json OUT_DIR
      One .txt per passage under OUT_DIR/passages (the title on the first
      line, a blank line, the text: as bench/corpus_to_text.py writes them),
      and OUT_DIR/gold.json: per question, its text and the ordinals of its
      gold passages.
  multihop.py run KGAS DB OUT_DIR [--modes text,vector,hybrid,query] [--json FILE]
                 [--half odd|even]
      Runs every question in every mode, one kgas process per question and
      mode, and prints recall@2 / recall@5 per mode beside the reference
      BM25, then the latency of each mode (wall p50, p99, questions per
      second; and the CPU time, user + system, of the process: the machine
      may be shared, and CPU time is what load does not inflate).  --half
      keeps every other question (odd: 1st, 3rd, ...), for choosing settings
      on one half and checking them on the other.

The measure is HippoRAG's (../shared/data/qa/SOURCES.md): for each question,
the fraction of its gold passages among the first k distinct passages
retrieved, averaged over the questions.  A passage is a document here (one
file per passage); a hit is mapped back to its passage by the ordinal in
its file name.

Reference: Okapi BM25 in this file, computed on exactly the text kgas
ingests (title line + text), tokens = lower-cased Unicode \\w+ runs, no
stemming, no stop list; k1 = 1.2, b = 0.75; idf = ln(1 + (N - n + 0.5) /
(n + 0.5)) (Lucene's).  It is independent of kgas (kgas's text mode is
SQLite FTS5's BM25 over Porter-stemmed tokens of 512-token chunks).

`kgas query`: its `passages` list when the output has one (the documents
its evidence is chosen from), else the documents of its answers' evidence
in order.
"""
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE)
K1, B = 1.2, 0.75


def passages_of(name, corpus_path):
    with open(corpus_path, encoding="utf-8") as f:
        c = json.load(f)
    if isinstance(c, dict):  # HotpotQA: title -> sentences
        return [{"title": t, "text": "".join(s)} for t, s in c.items()]
    return [{"title": p["title"], "text": p["text"]} for p in c]


def gold_of(name, qa_path, passages):
    with open(qa_path, encoding="utf-8") as f:
        qa = json.load(f)
    by_pair, by_title = {}, {}
    for i, p in enumerate(passages):
        by_pair.setdefault((p["title"], p["text"]), []).append(i)
        by_title.setdefault(p["title"], []).append(i)
    out = []
    for q in qa:
        gold = set()
        if "paragraphs" in q:  # MuSiQue, 2Wiki (HippoRAG format)
            for p in q["paragraphs"]:
                if p.get("is_supporting"):
                    key = (p["title"], p.get("paragraph_text", p.get("text")))
                    gold.update(by_pair.get(key, by_title.get(p["title"], [])))
        elif "supporting_facts" in q:  # HotpotQA
            for title, _ in q["supporting_facts"]:
                gold.update(by_title.get(title, []))
        answers = [q.get("answer")] + list(q.get("answer_aliases") or [])
        out.append({"question": q["question"], "gold": sorted(gold),
                    "answers": [a for a in answers if isinstance(a, str) and a.strip()]})
    return out


def safe_name(i, title):
    safe = re.sub(r"[^\w.-]+", "_", title).strip("._")[:80] or "untitled"
    return f"{i:05d}_{safe}.txt"


def prepare(name, qa_path, corpus_path, out):
    passages = passages_of(name, corpus_path)
    pdir = os.path.join(out, "passages")
    os.makedirs(pdir, exist_ok=True)
    for i, p in enumerate(passages):
        with open(os.path.join(pdir, safe_name(i, p["title"])), "w", encoding="utf-8") as f:
            f.write(p["title"] + "\n\n" + p["text"] + "\n")
    gold = gold_of(name, qa_path, passages)
    with open(os.path.join(out, "gold.json"), "w", encoding="utf-8") as f:
        json.dump({"name": name, "passages": len(passages), "questions": gold}, f)
    with open(os.path.join(out, "texts.json"), "w", encoding="utf-8") as f:
        json.dump([p["title"] + "\n\n" + p["text"] + "\n" for p in passages], f)
    print(f"{name}: {len(passages)} passages, {len(gold)} questions, "
          f"{sum(len(q['gold']) for q in gold)} gold passages")


class BM25:
    def __init__(self, texts):
        self.docs = [Counter(TOKEN.findall(t.lower())) for t in texts]
        self.len = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.len) / max(1, len(self.len))
        df = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.post = {}
        for i, d in enumerate(self.docs):
            for w, tf in d.items():
                self.post.setdefault(w, []).append((i, tf))

    def rank(self, query, k):
        scores = Counter()
        for w in set(TOKEN.findall(query.lower())):
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i, tf in self.post[w]:
                norm = K1 * (1 - B + B * self.len[i] / self.avg)
                scores[i] += idf * tf * (K1 + 1) / (tf + norm)
        return [i for i, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


def recall(ranked, gold, k):
    if not gold:
        return None
    return len(set(ranked[:k]) & set(gold)) / len(gold)


ORDINAL = re.compile(r"(\d{5})_[^/]*$")


def ordinal(path):
    m = ORDINAL.search(path or "")
    return int(m.group(1)) if m else None


def distinct(seq):
    seen, out = set(), []
    for x in seq:
        if x is not None and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def kgas_argv(kgas, db, mode, question):
    if mode == "query":
        return [kgas, "--db", db, "query", "--json", question]
    return [kgas, "--db", db, "search", "--mode", mode, "--limit", "10", "--json", question]


def ranking(mode, out):
    if mode == "query":
        if "passages" in out:
            return distinct(ordinal(p.get("path")) for p in out["passages"])
        paths = [ev.get("path") for a in out.get("answers", []) for ev in a.get("evidence", [])]
        return distinct(ordinal(p) for p in paths)
    return distinct(ordinal(r.get("path")) for r in out.get("results", []))


def answer_words(s):
    return TOKEN.findall(s.lower())


def contains(big, small):
    return bool(small) and any(big[i:i + len(small)] == small
                               for i in range(len(big) - len(small) + 1))


def names_answer(name, answers):
    """Does an answer entity's name give a gold answer: the same words, or
    the one's words a run of the other's ("Bach" is no answer to "Carl
    Philipp Emanuel Bach", but "Carl Philipp Emanuel Bach" answers "C. P.
    E. Bach"'s alias "Carl Philipp Emanuel Bach")?  A one-word name must
    equal the answer."""
    n = answer_words(name)
    for a in answers:
        w = answer_words(a)
        if n == w or (len(n) > 1 and contains(w, n)) or (len(w) > 1 and contains(n, w)):
            return True
    return False


def answer_hit(out, answers, k):
    names = [a.get("entity", {}).get("name", "") for a in out.get("answers", [])][:k]
    return any(names_answer(n, answers) for n in names)


def run(kgas, db, out_dir, modes, json_out, half=None):
    with open(os.path.join(out_dir, "gold.json"), encoding="utf-8") as f:
        g = json.load(f)
    with open(os.path.join(out_dir, "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)
    qs = [q for q in g["questions"] if q["gold"]]
    if half:
        qs = qs[0 if half == "odd" else 1::2]
    t0 = time.perf_counter()
    bm = BM25(texts)
    ref = {k: [] for k in (2, 5)}
    for q in qs:
        r = bm.rank(q["question"], 5)
        for k in ref:
            ref[k].append(recall(r, q["gold"], k))
    bm_secs = time.perf_counter() - t0
    res = {"name": g["name"], "questions": len(qs), "passages": g["passages"],
           "bm25": {"r2": 100 * statistics.fmean(ref[2]), "r5": 100 * statistics.fmean(ref[5]),
                    "seconds": bm_secs}, "modes": {}}
    for mode in modes:
        rec = {2: [], 5: []}
        times, cpu, failed, empty = [], [], 0, 0
        per_q = []
        hit = {1: [], 5: []}  # kgas query: a gold answer among the answers' entities
        for q in qs:
            argv = kgas_argv(kgas, db, mode, q["question"])
            ru = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            p = subprocess.run(argv, capture_output=True, text=True)
            times.append((time.perf_counter() - t) * 1000)
            ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(1000 * (ru2.ru_utime - ru.ru_utime + ru2.ru_stime - ru.ru_stime))
            r = []
            out = {}
            if p.returncode != 0:
                failed += 1
            else:
                try:
                    out = json.loads(p.stdout)
                    r = ranking(mode, out)
                except json.JSONDecodeError:
                    failed += 1
            if mode == "query" and q.get("answers"):
                for k in hit:
                    hit[k].append(answer_hit(out, q["answers"], k))
            empty += not r
            for k in rec:
                rec[k].append(recall(r, q["gold"], k))
            per_q.append({"question": q["question"], "gold": q["gold"], "ranked": r[:10]})
        ts, cs = sorted(times), sorted(cpu)
        res["modes"][mode] = {
            "r2": 100 * statistics.fmean(rec[2]), "r5": 100 * statistics.fmean(rec[5]),
            "p50_ms": statistics.median(ts), "p99_ms": ts[math.ceil(0.99 * len(ts)) - 1],
            "qps": 1000 * len(ts) / sum(ts),
            "cpu_p50_ms": statistics.median(cs), "cpu_p99_ms": cs[math.ceil(0.99 * len(cs)) - 1], "failed": failed, "empty": empty, "per_question": per_q}
        if hit[1]:
            res["modes"][mode]["answer_hit1"] = 100 * statistics.fmean(hit[1])
            res["modes"][mode]["answer_hit5"] = 100 * statistics.fmean(hit[5])
    b = res["bm25"]
    print(f"{res['name']}: {res['questions']} questions, {res['passages']} passages")
    print(f"  {'mode':<8} {'R@2':>6} {'R@5':>6}   {'vs BM25 R@2':>11} {'R@5':>6}"
          f"   {'p50 ms':>7} {'p99 ms':>7} {'q/s':>6}   {'cpu p50':>7} {'p99':>5}  failed empty")
    print(f"  {'BM25':<8} {b['r2']:6.1f} {b['r5']:6.1f}   (reference, python, "
          f"{len(qs) / b['seconds']:.0f} q/s in-process incl. indexing)")
    for mode, m in res["modes"].items():
        print(f"  {mode:<8} {m['r2']:6.1f} {m['r5']:6.1f}   {m['r2'] - b['r2']:+11.1f} "
              f"{m['r5'] - b['r5']:+6.1f}   {m['p50_ms']:7.1f} {m['p99_ms']:7.1f} "
              f"{m['qps']:6.1f}   {m['cpu_p50_ms']:7.1f} {m['cpu_p99_ms']:5.1f}  {m['failed']:>6} {m['empty']:>5}")
    q = res["modes"].get("query", {})
    if "answer_hit1" in q:
        print(f"  query answers: a gold answer (or alias) named by the first answer "
              f"{q['answer_hit1']:.1f}%, by one of the first five {q['answer_hit5']:.1f}%")
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1)


def main():
    a = sys.argv[1:]
    if a and a[0] == "prepare" and len(a) == 5:
        prepare(*a[1:])
    elif a and a[0] == "run" and len(a) >= 4:
        modes = ["text", "vector", "hybrid", "query"]
        json_out = half = None
        rest = a[4:]
        while rest:
            if rest[0] == "--modes":
                modes = rest[1].split(",")
            elif rest[0] == "--json":
                json_out = rest[1]
            elif rest[0] == "--half":
                half = rest[1]
            rest = rest[2:]
        run(a[1], a[2], a[3], modes, json_out, half)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
