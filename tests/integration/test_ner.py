#!/usr/bin/env python3
"""Integration tests of the entity recogniser through the binary:

- `kgas train ner` on a slice of the real training data (CrossNER politics
  and the first SciREX papers): it reports every epoch's dev F1, writes a
  model that `kgas eval ner --model` scores well above chance, and the same
  data give the same bytes;
- training and evaluation errors: a malformed line names the file and line,
  a missing, truncated or foreign model file is refused naming it;
- `kgas eval ner --types` scores exactly the types asked for;
- the model built into kgas on SciREX papers it was never trained on (the
  held-out list in models/ner-scirex-dev.txt): F1 over METHOD, TASK,
  DATASET, METRIC above issue 12's goal (0.55);
- the ten research papers of ../shared/data/pdf/papers: nothing a reader
  would call junk among the 50 entities of highest PageRank, authors found
  as people with clean names, the systems the papers introduce found.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import Skip, eq, ok, run, run_json, shared, write  # noqa: E402


def slice_conll(path, out, sentences):
    """The first `sentences` sentences of a CoNLL file."""
    n, lines = 0, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            lines.append(line)
            if not line.strip():
                n += 1
                if n >= sentences:
                    break
    write(out, "".join(lines))


def train_slice(out, seed="1"):
    return run("train", "ner", "--out", out, "--epochs", "3", "--seed", seed,
               "--train", "politics.conll", "--train", "scirex.conll",
               "--dev", "politics-dev.conll", check=0)


def test_train_small_model_and_evaluate():
    src = shared("ner-train")
    slice_conll(os.path.join(src, "crossner", "politics.train.tsv"), "politics.conll", 200)
    slice_conll(os.path.join(src, "crossner", "politics.test.tsv"), "politics-dev.conll", 150)
    slice_conll(os.path.join(src, "scirex", "train.tsv"), "scirex.conll", 400)
    p = train_slice("a.kgm")
    for e in (1, 2, 3):
        ok(f"epoch {e}:" in p.stderr, f"epoch {e} reported: {p.stderr[-800:]}")
    ok("dev politics-dev.conll: F1" in p.stderr or "politics-dev.conll: F1" in p.stderr,
       "dev F1 reported")
    ok("wrote a.kgm" in p.stderr, p.stderr[-300:])
    r, _ = run_json("eval", "ner", "--model", "a.kgm", "--types", "PER,ORG,LOC", "--json",
                    "politics-dev.conll", check=0)
    ok(r["overall"]["f1"] > 0.5, f"a small model scores above chance: {r['overall']}")
    eq(sorted(r["per_type"]), ["LOC", "ORG", "PER"], "exactly the types asked for")
    # Same data, same seed: the same bytes; another seed, another order.
    train_slice("b.kgm")
    train_slice("c.kgm", seed="2")
    a, b, c = (open(x, "rb").read() for x in ("a.kgm", "b.kgm", "c.kgm"))
    ok(a == b, "same data and seed give the same model bytes")
    ok(a != c, "another seed gives another model")


def test_training_and_model_errors():
    write("bad.conll", "Paris B-LOC\nis O\n\nlovely\n")
    p = run("train", "ner", "--out", "m.kgm", "--train", "bad.conll", check=1)
    ok("bad.conll line 4" in p.stderr, p.stderr)
    ok(not os.path.exists("m.kgm"), "no model written")
    run("train", "ner", "--train", "bad.conll", check=2)  # no --out
    run("train", "ner", "--out", "m.kgm", "--epochs", "0", "bad.conll", check=2)
    run("train", "ner", "--out", "m.kgm", "--bogus", check=2)
    p = run("train", "ner", "--out", "m.kgm", "--scheme", "xyz", "bad.conll", check=2)
    ok("bio or bilou" in p.stderr, p.stderr)
    for w in ("-1", "abc"):
        p = run("train", "ner", "--out", "m.kgm", "--min-weight", w, "bad.conll", check=2)
        ok("--min-weight" in p.stderr, p.stderr)
    for w in ("5000x20", "64x2000", "abc", "64x", "x16", "64x16z"):
        p = run("train", "ner", "--out", "m.kgm", "--word-classes", w, "bad.conll", check=2)
        ok("--word-classes" in p.stderr, p.stderr)
    # Running text for the word classes: a missing file or one that is not
    # text is an error naming it, and no model is written.
    write("good.conll", "Paris B-LOC\nis O\nlovely O\n")
    p = run("train", "ner", "--out", "m.kgm", "--train", "good.conll", "--unlabeled",
            "missing.txt", check=1)
    ok("missing.txt" in p.stderr, p.stderr)
    write("nul.txt", b"some text\0more\n", mode="wb")
    p = run("train", "ner", "--out", "m.kgm", "--train", "good.conll", "--unlabeled", "nul.txt",
            check=2)
    ok("nul.txt" in p.stderr and "not text" in p.stderr, p.stderr)
    ok(not os.path.exists("m.kgm"), "no model written")
    # Every option at once trains a model, and the same command the same bytes.
    write("two.conll", "Paris B-LOC\nis O\nlovely O\n\nJohn B-PER\nruns O\n")
    write("text.txt", "".join("The %s of %s ran to %s today.\n" % (a, b, c)
                              for a in ("dog", "cat", "cow") for b in ("Paris", "Rome", "Oslo")
                              for c in ("London", "Lima", "Kyiv")))
    opts = ["--train", "two.conll", "--dev", "two.conll", "--epochs", "1", "--seed", "3",
            "--groups", "PERSON,LOC", "--scheme", "bilou", "--min-count", "1",
            "--max-rows", "100", "--min-weight", "0", "--unlabeled", "text.txt",
            "--word-classes", "4x2"]
    p = run("train", "ner", "--out", "o1.kgm", *opts, check=0)
    ok("best dev F1" in p.stderr, p.stderr)
    ok("read text.txt: 243 tokens of running text" in p.stderr, p.stderr)
    ok("words in 4 x 2 classes" in p.stderr, p.stderr)
    run("train", "ner", "--out", "o2.kgm", *opts, check=0)
    eq(open("o1.kgm", "rb").read(), open("o2.kgm", "rb").read(), "same options, same bytes")
    ok(b"ner.classes" in open("o1.kgm", "rb").read(), "the model holds its word classes")
    p = run("eval", "ner", "--model", "o1.kgm", "two.conll", check=0)
    ok("overall" in p.stdout, p.stdout)
    run("train", "ner", "--out", "o3.kgm", *opts[:-2], "--word-classes", "0", check=0)
    ok(b"ner.classes" not in open("o3.kgm", "rb").read(), "--word-classes 0: none")
    write("gold.conll", "Paris B-LOC\nis O\nlovely O\n")
    p = run("eval", "ner", "--model", "none.kgm", "gold.conll", check=1)
    ok("none.kgm" in p.stderr, p.stderr)
    write("text.kgm", "this is not a model\n")
    p = run("eval", "ner", "--model", "text.kgm", "gold.conll", check=1)
    ok("text.kgm" in p.stderr and "not a kgas model" in p.stderr, p.stderr)
    p = run("eval", "ner", "--types", "PER,PER", "gold.conll", check=2)
    ok("twice" in p.stderr, p.stderr)
    p = run("eval", "ner", "--model", "rules", "--types", "LOC", "--json", "gold.conll", check=0)
    ok('"LOC"' in p.stdout, p.stdout)


def test_truncated_model_refused():
    src = shared("ner-train")
    slice_conll(os.path.join(src, "crossner", "politics.train.tsv"), "p.conll", 30)
    run("train", "ner", "--out", "m.kgm", "--epochs", "1", "--train", "p.conll", check=0)
    data = open("m.kgm", "rb").read()
    write("cut.kgm", data[: len(data) // 2], mode="wb")
    p = run("eval", "ner", "--model", "cut.kgm", "p.conll", check=1)
    ok("cut.kgm" in p.stderr and "truncated" in p.stderr, p.stderr)


def test_scirex_held_out_papers():
    src = shared("ner-train")
    subprocess.run([sys.executable, os.path.join(h.SRC, "scripts", "ner_data.py"), src,
                    os.path.join(h.SRC, "models", "ner-scirex-dev.txt"), "."],
                   check=True, capture_output=True)
    r, _ = run_json("eval", "ner", "--types", "METHOD,TASK,DATASET,METRIC", "--json",
                    "scirex.dev.conll", check=0)
    ok(r["overall"]["f1"] >= 0.55, f"SciREX held-out F1 {r['overall']['f1']:.3f} >= 0.55")
    ok(r["words_per_second"] > 0, "words per second")


JUNK_WORDS = {"section", "figure", "fig", "table", "equation", "eq", "appendix", "phys",
              "astrophys", "proc", "arxiv", "sir", "colonel", "mr", "introduction",
              "references", "abstract", "lemma", "theorem"}


def junk_reason(name, typ):
    words = re.findall(r"[^\W\d_]+", name)
    if not words:
        return "no letters"
    if len(name.replace(".", "").strip()) <= 1:
        return "a single letter"
    if re.fullmatch(r"[^\W\d_][\d'′]+", name):
        return "a letter with digits"
    if all(w.lower() in JUNK_WORDS or len(w) == 1 for w in words):
        return "document or reference word"
    if typ == "PERSON" and (re.search(r"[\d∗*†‡]$", name) or re.search(r"\d", name)):
        return "a marker stuck to a name"
    if typ == "PERSON" and name.split()[0].rstrip(".").lower() in JUNK_WORDS:
        return "a title in a name"
    if re.search(r"[Α-Ωα-ω]", name) and typ in ("PERSON", "ORG", "GPE", "LOC"):
        return "a Greek letter"
    return None


def test_papers_no_junk_and_people():
    papers = shared("pdf/papers")
    run("--db", "p.db", "ingest", papers, check=0, timeout=600)
    top, _ = run_json("--db", "p.db", "top", "--limit", "50", "--json", check=0)
    ents = top.get("entities", top) if isinstance(top, dict) else top
    bad = [(e["name"], e["type"], junk_reason(e["name"], e["type"])) for e in ents
           if junk_reason(e["name"], e["type"])]
    ok(not bad, f"junk among the top 50: {bad}")
    # One name the recogniser typed two ways in one paper is one entity
    # ("JavaScript" METHOD and SOFTWARE, "AODV" ORG and METHOD).
    seen = {}
    for e in ents:
        seen.setdefault(e["name"].lower(), []).append(e["type"])
    twice = {n: t for n, t in seen.items() if len(t) > 1}
    ok(not twice, f"a name twice among the top 50: {twice}")
    people, _ = run_json("--db", "p.db", "top", "--type", "PERSON", "--limit", "400", "--json",
                         check=0)
    names = {e["name"] for e in people.get("entities", people)}
    for author in ("Brendan Eich", "Michael Franz", "Peter Humphreys", "Nick Vamivakas",
                   "Ivan Rodriguez Montoya", "Michel Avital", "Mohammad R. Haghighat"):
        ok(author in names, f"author {author} found as PERSON")
    bad = [n for n in names if junk_reason(n, "PERSON")]
    ok(len(bad) <= len(names) // 50, f"people with unclean names: {bad[:20]}")
    everything, _ = run_json("--db", "p.db", "top", "--limit", "1000", "--json", check=0)
    found = {e["name"] for e in everything.get("entities", everything)}
    for system in ("TraceMonkey", "TIMP", "AHP", "Technology Acceptance Model"):
        ok(system in found, f"{system} found as an entity")
    # What the papers say a name is types it (ner/ner_desc): "the AODV
    # protocol", "SpiderMonkey, the baseline interpreter" / "the
    # SpiderMonkey interpreter"; the recogniser alone had both as ORG.
    types = {e["name"]: e["type"] for e in everything.get("entities", everything)}
    for name, want in (("AODV", "METHOD"), ("SpiderMonkey", "SOFTWARE")):
        ok(types.get(name) == want, f"{name} typed {want} by its description: {types.get(name)}")


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
