#!/usr/bin/env python3
"""Integration tests for typed relations (issue 14): `kgas triples` in its
three formats and on bad input; typed relations in the graph and the typed
share in the ingest summary and `kgas stats`; questions that use them ("Who
did Elizabeth marry?"); the trained models' commands (`kgas eval pos|parse`,
`kgas train` on malformed data, a corrupt model file refused); and, when
../shared/data and the CaRB scorer are here, the CaRB dev score's floor and
the typed share on A Christmas Carol."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import Skip, eq, ok, run, run_json, shared, sql, write  # noqa: E402

# CaRB dev F1 measured by bench/carb.sh is 0.50 (docs/relations.md); the
# floor sits a little under it, so a regression fails and noise does not.
CARB_DEV_FLOOR = 0.48
# The typed share of the story below is 0.60 when measured; the floor
# leaves room for the parser's ties.
STORY_SHARE_FLOOR = 0.5

# Written for this test (a retelling in plain sentences, not the novel's text).
STORY = """Elizabeth Bennet lived at Longbourn with her sister Jane Bennet. Elizabeth walked to \
Meryton with Jane almost every morning, and Jane talked with Elizabeth about the ball.

Charles Bingley rented Netherfield in the autumn. Mr. Bingley admired Jane at the assembly. \
Fitzwilliam Darcy owned Pemberley, a great estate in Derbyshire. Darcy was the friend of Bingley.

Elizabeth disliked Darcy at first. Elizabeth danced with Darcy at Netherfield, and Jane danced \
with Bingley. Elizabeth read the letter from Darcy twice.

In the spring Elizabeth married Darcy. Jane married Bingley on the same day. Elizabeth moved to \
Pemberley with Darcy, and Jane visited Elizabeth at Pemberley.
"""


def test_triples_formats():
    write("s.txt", "Keller proposed the Graph Echo Network in 2019 .\n"
                   "The network was developed by Keller and Tanaka .\n")
    p = run("triples", "--tsv", "--lines", "s.txt", check=0)
    lines = p.stdout.strip().split("\n")
    first = lines[0].split("\t")
    eq(first[0], "Keller proposed the Graph Echo Network in 2019 .", "sentence column")
    ok(0 < float(first[1]) <= 1, f"confidence column: {first[1]}")
    eq(first[2:], ["proposed", "Keller", "the Graph Echo Network", "in 2019"], "TSV triple")
    # Conjoined agents: one triple each.
    agents = sorted(l.split("\t")[4] for l in lines[1:] if l.split("\t")[2] == "was developed by")
    eq(agents, ["Keller", "Tanaka"], "split conjuncts")
    doc, _ = run_json("triples", "--json", "--lines", "s.txt", check=0)
    text = open("s.txt", "rb").read()
    t = doc["sentences"][0]["triples"][0]
    eq(t["relation"]["normalised"], "propose", "normalised phrase")
    eq(t["relation"]["category"], "CREATED", "category")
    for part in [t["relation"]] + t["args"]:
        words = [text[a:b].decode() for a, b in part["spans"]]
        eq(" ".join(words), part["text"], "spans cover the part's words")
    eq(doc["count"]["sentences"], 2, "sentences counted")
    p = run("triples", "--lines", "s.txt", check=0)
    ok("(proposed; Keller; the Graph Echo Network; in 2019)" in p.stdout, p.stdout)
    # From standard input, sentences found by the splitter.
    p = run("triples", "--tsv", input="Keller founded Acme. Acme hired Smith.", check=0)
    eq(len(p.stdout.strip().split("\n")), 2, p.stdout)
    # The analysis itself as CoNLL-U: ten columns, one root, heads in range.
    p = run("triples", "--conllu", "--lines", input="Maria Keller proposed the network .\n",
            check=0)
    rows = [l.split("\t") for l in p.stdout.splitlines() if l and not l.startswith("#")]
    ok(p.stdout.startswith("# text = Maria Keller proposed the network ."), p.stdout)
    eq([r[1] for r in rows], ["Maria", "Keller", "proposed", "the", "network", "."], "forms")
    ok(all(len(r) == 10 and 0 <= int(r[6]) <= len(rows) for r in rows), p.stdout)
    eq([r[1] for r in rows if r[7] == "root"], ["proposed"], "the verb is the root")


def test_triples_bad_input():
    words = " ".join("w%d" % i for i in range(5000))
    write("bad.txt", "Alice met Bob and " + words + " .\n" +
          " ".join(str(i) for i in range(300)) + "\n"
          "Table 3 : 0.5 0.7 1.2 ; Group B 3.4 4.5\n"
          "\n"
          "no verbs here at all , only words\n")
    doc, p = run_json("triples", "--json", "--lines", "bad.txt", check=0, timeout=60)
    sents = doc["sentences"]
    eq(sents[0]["analysed"], False, "a 5,000-word sentence is not analysed")
    eq(sents[0]["triples"], [], "and gives nothing")
    eq(doc["count"]["not_analysed"], 2, "the 5,000 words and the 300 numbers")
    for s in sents[1:]:
        eq(s["triples"], [], f"nothing invented from {s['sentence'][:40]!r}")


def test_typed_relations_in_graph():
    write("story.txt", STORY)
    summary, _ = run_json("ingest", "--json", "story.txt", check=0)
    typing = summary["relation_typing"]
    ok(typing["typed_share"] >= STORY_SHARE_FLOOR, f"typed share {typing}")
    # The share among pairs the parse puts in one clause (nlp/relpath) is
    # never below the share among all pairs with a verb between them.
    ok(typing["cooccur_clause_pairs"] <= typing["cooccur_verb_pairs"]
       and typing["clause_share"] >= typing["typed_share"], f"clause share {typing}")
    stats, _ = run_json("stats", "--json", check=0)
    st = stats["relation_typing"]
    ok(st["typed_share"] >= STORY_SHARE_FLOOR, f"stats typed share {st}")
    ok(st["typed_relationships"] > st["cooccur_relationships"] / 2, f"{st}")
    rels = sql("kgas.db", "SELECT s.name AS src, r.type, t.name AS dst, r.method FROM "
                          "relationships r JOIN entities s ON s.id = r.source_id JOIN entities t "
                          "ON t.id = r.target_id")
    got = {(r["src"], r["type"], r["dst"]) for r in rels}
    for want in [("Elizabeth", "marry", "Darcy"), ("Darcy", "own", "Pemberley"),
                 ("Charles Bingley", "rent", "Netherfield")]:
        ok(want in got, f"{want} not in {sorted(got)}")
    # Types are phrases in lower case, ontology names or RELATED_TO: never a
    # truncated stem.
    for r in rels:
        typ = r["type"]
        ok(typ == "RELATED_TO" or re.fullmatch(r"[a-z][a-z' -]*", typ), f"type {typ!r}")
        ok(not re.fullmatch(r"[A-Z]+", typ) or typ == "RELATED_TO", f"stem-like type {typ!r}")
    p = run("stats", check=0)
    ok("typed share" in p.stdout, p.stdout)


def test_marriage_question():
    write("story.txt", STORY)
    run("ingest", "story.txt", check=0)
    doc, _ = run_json("query", "--json", "Who did Elizabeth marry?", check=0)
    first = doc["answers"][0]
    eq(first["answer"]["name"] if "answer" in first else first["nodes"][-1]["name"], "Darcy",
       "first answer")
    ok("-marry->" in first["path"], first["path"])
    ok(any("married" in e["sentence"] for e in first["evidence"]), first["evidence"])
    p = run("path", "Elizabeth", "Pemberley", check=0)
    ok("-move to->" in p.stdout or "-own->" in p.stdout, p.stdout)


def test_analysis_model_commands():
    write("gold.conllu", "1\tKeller\tKeller\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
                         "2\tproposed\tpropose\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                         "3\tit\tit\tPRON\tPRP\t_\t2\tobj\t_\t_\n"
                         "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n")
    doc, _ = run_json("eval", "pos", "--json", "gold.conllu", check=0)
    eq(doc["words"], 4, "words scored")
    ok(doc["accuracy"] >= 0.75, f"tags {doc}")
    doc, _ = run_json("eval", "parse", "--json", "gold.conllu", check=0)
    ok(doc["uas"] >= 2 / 3, f"parse {doc}")
    # Malformed training data: the file and the line.
    write("bad.conllu", "1\tKeller\tKeller\tPROPN\tNNP\t_\t2\tnsubj\t_\n")
    p = run("train", "pos", "--train", "bad.conllu", "--out", "m.kgm", check=1)
    ok("bad.conllu:1" in p.stderr and "10 tab-separated fields" in p.stderr, p.stderr)
    # A tiny model trains, and the same data and seed give the same bytes.
    write("tiny.conllu", open("gold.conllu").read() * 5)
    for out in ("a.kgm", "b.kgm"):
        run("train", "pos", "--train", "tiny.conllu", "--out", out, "--epochs", "2", check=0)
    eq(open("a.kgm", "rb").read(), open("b.kgm", "rb").read(), "reproducible model")
    # A tiny parser, on the tagger just trained; its log goes to stderr.
    p = run("train", "parse", "--train", "tiny.conllu", "--dev", "gold.conllu", "--tagger",
            "a.kgm", "--out", "p.kgm", "--epochs", "2", "--folds", "0", "--max-rows", "1000",
            check=0)
    ok("epoch 2" in p.stderr and "dev UAS" in p.stderr, p.stderr)
    doc, _ = run_json("eval", "parse", "--json", "--model", "p.kgm", "--tagger", "a.kgm",
                      "gold.conllu", check=0)
    eq(doc["words"], 3, "punctuation excluded")
    run("train", "parse", "--train", "tiny.conllu", check=2)  # no --out
    run("train", "lemma", "--train", "tiny.conllu", "--out", "x", check=2)
    # A corrupt model is refused, naming the file.
    data = bytearray(open("a.kgm", "rb").read())
    data[len(data) // 2] ^= 0xFF
    open("c.kgm", "wb").write(bytes(data))
    p = run("eval", "pos", "--model", "c.kgm", "gold.conllu", check=1)
    ok("c.kgm" in p.stderr, p.stderr)
    p = run("eval", "parse", "--model", "a.kgm", "gold.conllu", check=1)
    ok("a.kgm" in p.stderr, p.stderr)


def test_carb_dev_floor():
    carb = shared("openie/carb")
    py = "/usr/bin/python3"
    probe = subprocess.run([py, "-c", "import docopt, nltk, sklearn, numpy"], capture_output=True)
    if probe.returncode != 0:
        raise Skip("the CaRB scorer needs python3-docopt python3-nltk python3-sklearn "
                   "python3-numpy")
    p = run("triples", "--tsv", "--lines", os.path.join(carb, "data", "dev.txt"), check=0)
    write("kgas_dev.tsv", p.stdout)
    s = subprocess.run([os.path.join(carb, "score.sh"), "dev", "kgas_dev.tsv"],
                       capture_output=True, text=True, env=dict(os.environ, PYTHON=py))
    eq(s.returncode, 0, s.stderr[-2000:])
    m = re.search(r"F1=([0-9.]+)", s.stdout)
    ok(m, s.stdout)
    f1 = float(m.group(1))
    print(f"  CaRB dev: {s.stdout.strip().splitlines()[-1]}")
    ok(f1 >= CARB_DEV_FLOOR, f"CaRB dev F1 {f1} < floor {CARB_DEV_FLOOR}")


def test_christmas_carol_typed():
    carol = shared("text/christmas_carol.txt")
    summary, _ = run_json("ingest", "--json", carol, check=0)
    typing = summary["relation_typing"]
    print(f"  A Christmas Carol: typed share {typing['typed_share']:.2f} "
          f"({typing['typed_pairs']} typed pairs, {typing['cooccur_verb_pairs']} co-occurring "
          f"with a verb between them)")
    # 80 sentences of the story name two entities or more (the licence after
    # the eBook's end is not read for entities: text/load.h).
    ok(typing["typed_pairs"] > 0 and typing["sentences_analysed"] > 60, f"{typing}")
    types = sql("kgas.db", "SELECT DISTINCT type FROM relationships")
    for t in types:
        ok(t["type"] == "RELATED_TO" or t["type"] == t["type"].lower(), f"type {t['type']!r}")
    # Dialogue (nlp/relspeech): the speaker and whom the speech addresses.
    # 34 of 118 pairs with it, 20 without (docs/relations.md, "Dialogue").
    ok(typing["typed_share"] >= 0.25, f"{typing}")
    said = sql("kgas.db", "SELECT s.name AS s, t.name AS t FROM relation_evidence r "
               "JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id "
               "WHERE r.method = 'speech' AND r.type = 'say to'")
    pairs = {(x["s"], x["t"]) for x in said}
    ok(("Scrooge", "Bob Cratchit") in pairs and ("Bob Cratchit", "Scrooge") in pairs, f"{pairs}")


def test_ten_papers_relations():
    """On real papers: relation types are phrases or ontology names (never
    an e-mail address or a stray noun read as a verb), an author line is
    not a chain of "X is Y", and `kgas stats` gives the ingest summary's
    share: the rows a paper's structure gives (AUTHORED, CITES...) are not
    pairs in a sentence and do not count in it."""
    papers = shared("pdf/papers")
    summary, _ = run_json("--db", "p.db", "ingest", "--json", papers, check=0)
    typing = summary["relation_typing"]
    print(f"  ten papers: typed share {typing['typed_share']:.2f} "
          f"({typing['typed_pairs']} typed pairs, {typing['cooccur_verb_pairs']} co-occurring "
          f"with a verb between them)")
    rels = sql("p.db", "SELECT s.name AS src, s.type AS st, r.type, t.name AS dst, t.type AS tt "
                       "FROM relationships r JOIN entities s ON s.id = r.source_id "
                       "JOIN entities t ON t.id = r.target_id")
    ok(len(rels) > 100, f"{len(rels)} relationships")
    for r in rels:
        typ = r["type"]
        ok(re.fullmatch(r"[a-z][a-z' -]*|[A-Z][A-Z_]*", typ), f"type {typ!r} of {r}")
        ok(not (typ == "be" and r["st"] == "PERSON" and r["tt"] == "PERSON"), f"{r}")
    stats, _ = run_json("--db", "p.db", "stats", "--json", check=0)
    st = stats["relation_typing"]
    rows = sql("p.db", "SELECT sum(method = 'paper') AS paper, sum(method NOT LIKE 'cooccur%' "
                       "AND method <> 'paper' AND source_id <> target_id) AS typed, "
                       "sum(method NOT LIKE 'cooccur%' AND method <> 'paper' "
                       "AND source_id = target_id) AS self FROM relation_evidence")[0]
    ok(rows["paper"] > 100, f"the papers' own relations: {rows}")
    eq(st["typed_evidence"], rows["typed"],
       "typed evidence counts sentence relations between two entities only")
    ok(rows["self"] > 0, f"rows relating an entity to itself, left out of the count: {rows}")
    ok(abs(st["typed_share"] - typing["typed_share"]) < 0.05, f"stats {st} vs ingest {typing}")


TESTS = [(k, v) for k, v in list(globals().items()) if k.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
