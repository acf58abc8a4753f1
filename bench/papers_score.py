#!/usr/bin/env python3
"""Score `kgas paper --json` on the ten papers against tests/data/papers/gold.json.

Usage: papers_score.py KGAS PAPERS_DIR GOLD.json [--json OUT]

Measures, per paper and overall:
  - title: correct when equal to the gold title after case folding, Unicode
    NFKC and keeping only letters, digits and single spaces;
  - authors: precision / recall / F1 of the author list, names compared
    without initials and case ("Ivo H. M. van Stokkum" = "ivo van stokkum"),
    as multisets; micro-averaged over the papers;
  - references: the number parsed, beside the number on the page; a paper
    counts as "5 or more" when at least 5 entries were parsed;
  - TAMReview.pdf: whose bibliography is unreadable, must say so
    (references_status names the undecodable pages).

Same-run reference: what kgas had before issue 13, rebuilt from poppler's own
tools on the same files: the title from the PDF metadata (pdfinfo) when it
looks like one, else the first line of `pdftotext -l 1`; the authors from the
metadata Author field split at commas and "and"; the references as the lines of
`pdftotext` starting with "[n]".
Goals (issue 13): titles >= 9/10, author F1 >= 0.9, >= 7 papers with 5+ refs.
"""
import json
import os
import re
import subprocess
import sys
import unicodedata


def norm_title(s):
    s = unicodedata.normalize("NFKC", s or "").casefold()
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def norm_name(s):
    s = unicodedata.normalize("NFC", s or "").casefold()
    out = []
    for tok in s.replace(",", " ").split():
        bare = tok.replace(".", "").replace("-", "")
        if len(bare) <= 1 or (tok.endswith(".") and len(bare) <= 3):
            continue  # an initial ("h.", "m", "h.m.")
        out.append(tok)
    return " ".join(out)


def prf(pred, gold):
    p = [norm_name(x) for x in pred]
    g = [norm_name(x) for x in gold]
    left = list(g)
    tp = 0
    for x in p:
        if x in left:
            left.remove(x)
            tp += 1
    return tp, len(p), len(g)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    return r.stdout


BAD_META = re.compile(r"^(microsoft (word|powerpoint)|untitled)|\.(docx?|pdf|dvi|tex|ps|rtf|odt)$", re.I)


def baseline(path):
    info = run(["pdfinfo", path])
    meta = {}
    for line in info.splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip()
    title = meta.get("Title", "")
    if not title or BAD_META.search(title) or (" " not in title and "_" in title):
        first = [l.strip() for l in run(["pdftotext", "-l", "1", path, "-"]).splitlines() if l.strip()]
        title = first[0] if first else ""
    authors = [a.strip() for a in re.split(r",|;|\band\b|&", meta.get("Author", "")) if a.strip()]
    text = run(["pdftotext", path, "-"])
    refs = len(set(re.findall(r"^\[(\d+)\]", text, re.M)))
    return title, authors, refs


def main():
    kgas, papers, gold_path = sys.argv[1:4]
    out_json = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    gold = json.load(open(gold_path, encoding="utf-8"))["papers"]
    rows = []
    tot = {"kgas": [0, 0, 0], "base": [0, 0, 0]}
    titles = {"kgas": 0, "base": 0}
    five = {"kgas": 0, "base": 0}
    said_unreadable = None
    for g in gold:
        path = os.path.join(papers, g["file"])
        r = subprocess.run([kgas, "paper", "--json", path], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{g['file']}: kgas failed: {r.stderr.strip()}", file=sys.stderr)
            k = {"title": None, "authors": [], "references": [], "references_status": "failed"}
        else:
            k = json.loads(r.stdout)
        kt = norm_title(k.get("title")) == norm_title(g["title"])
        ka = [a["name"] for a in k.get("authors", [])]
        kp = prf(ka, g["authors"])
        kr = len(k.get("references", []))
        bt, ba, br = baseline(path)
        bt_ok = norm_title(bt) == norm_title(g["title"])
        bp = prf(ba, g["authors"])
        for key, ok, p, n in (("kgas", kt, kp, kr), ("base", bt_ok, bp, br)):
            titles[key] += ok
            for i in range(3):
                tot[key][i] += p[i]
            five[key] += n >= 5
        if g.get("references") is None:
            said_unreadable = "undecodable" in (k.get("references_status") or "")
        rows.append({"file": g["file"], "title_ok": kt, "title": k.get("title"),
                     "authors": ka, "author_tp": kp[0], "author_pred": kp[1], "author_gold": kp[2],
                     "refs": kr, "refs_gold": g.get("references"),
                     "references_status": k.get("references_status"),
                     "baseline": {"title_ok": bt_ok, "title": bt, "authors": ba, "refs": br}})

    def f1(t):
        p = t[0] / t[1] if t[1] else 0.0
        r = t[0] / t[2] if t[2] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print(f"{'paper':32} {'title':>6} {'authors tp/pred/gold':>21} {'refs':>5} {'gold':>5}"
          f" | {'base title':>10} {'base auth':>9} {'base refs':>9}")
    for r in rows:
        b = r["baseline"]
        bp = prf(b["authors"], [])
        print(f"{r['file']:32} {'ok' if r['title_ok'] else 'WRONG':>6} "
              f"{r['author_tp']:>7}/{r['author_pred']}/{r['author_gold']:<11} {r['refs']:>5} "
              f"{str(r['refs_gold']):>5} | {'ok' if b['title_ok'] else 'wrong':>10} "
              f"{len(b['authors']):>9} {b['refs']:>9}")
        if not r["title_ok"]:
            print(f"    title read: {r['title']!r}")
    kp, kr_, kf = f1(tot["kgas"])
    bp_, br_, bf = f1(tot["base"])
    n = len(rows)
    print(f"titles correct: kgas {titles['kgas']}/{n}, baseline {titles['base']}/{n}"
          f"  (goal >= 9/{n}: {'met' if titles['kgas'] >= 9 else 'NOT met'})")
    print(f"authors (micro, no initials, no case): kgas P {kp:.3f} R {kr_:.3f} F1 {kf:.3f};"
          f" baseline P {bp_:.3f} R {br_:.3f} F1 {bf:.3f}  (goal F1 >= 0.9: "
          f"{'met' if kf >= 0.9 else 'NOT met'})")
    print(f"papers with 5+ parsed references: kgas {five['kgas']}/{n}, baseline {five['base']}/{n}"
          f"  (goal >= 7: {'met' if five['kgas'] >= 7 else 'NOT met'})")
    exact = sum(1 for r in rows if r["refs_gold"] is not None and r["refs"] == r["refs_gold"])
    counted = sum(1 for r in rows if r["refs_gold"] is not None)
    print(f"reference counts equal to the page's: {exact}/{counted}")
    if said_unreadable is not None:
        print(f"TAMReview's unreadable bibliography reported as such: "
              f"{'yes' if said_unreadable else 'NO'}")
    summary = {"titles": titles, "authors_f1": {"kgas": kf, "baseline": bf},
               "authors_p": kp, "authors_r": kr_, "five_refs": five,
               "ref_counts_exact": [exact, counted], "unreadable_reported": said_unreadable,
               "papers": rows}
    if out_json:
        json.dump(summary, open(out_json, "w", encoding="utf-8"), indent=1, ensure_ascii=False)
    ok = titles["kgas"] >= 9 and kf >= 0.9 and five["kgas"] >= 7 and said_unreadable is not False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
