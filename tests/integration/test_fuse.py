#!/usr/bin/env python3
"""Integration tests for `kgas fuse` / `kgas unmerge` and the fuse_documents
tool: two documents name the same person and institution differently ("John
Smith" / "J. Smith", "University of Lisbon" / "University of Lisboa") next
to homonyms that must stay apart ("Mary Smith", "Paris" the city and "Dr.
Paris").  After the fuse the merged entities carry the mentions and aliases
of both documents and their relations the evidence of both; after unmerge
the graph is exactly what it was before.  The similarity of the entities'
contexts (words around their mentions) lifts a variant the names alone
leave under the threshold and keeps apart homonyms the names alone would
merge."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import eq, ok, run, run_json, sql, write  # noqa: E402

DOC_A = ("John Smith is a professor at the University of Lisbon. John Smith works with "
         "Maria Santos at the University of Lisbon.\n"
         "Maria Santos studied in Paris. The University of Lisbon is in Portugal.\n")
DOC_B = ("J. Smith is a professor at the University of Lisboa. J. Smith later met Mary Smith "
         "in Berlin.\nMary Smith works at the University of Lisboa. Dr. Paris visited Berlin "
         "with Mary Smith.\n")


def state():
    ents = sql("k.db", "SELECT id, name, type, aliases, mentions, pagerank, rank FROM entities"
                       " ORDER BY id")
    rels = sql("k.db", "SELECT id, source_id, target_id, type, weight, confidence, support"
                       " FROM relationships ORDER BY id")
    return ents, rels


def by_name(ents, name, typ):
    m = [e for e in ents if e["name"] == name and e["type"] == typ]
    eq(len(m), 1, f"{typ} {name}")
    return m[0]


# Most tests here look at the graph before and after `kgas fuse`: their
# ingests leave fusion to it (fuse.after_ingest is on by default).
NOFUSE = {"KGAS_FUSE_AFTER_INGEST": "false"}


def ingest():
    write("in/a.txt", DOC_A)
    write("in/b.txt", DOC_B)
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)


def test_fuse_merges_variants_keeps_homonyms_and_unmerges():
    ingest()
    before = state()
    names = {(e["name"], e["type"]) for e in before[0]}
    for n in (("John Smith", "PERSON"), ("J. Smith", "PERSON"), ("Mary Smith", "PERSON"),
              ("University of Lisbon", "ORG"), ("University of Lisboa", "ORG"),
              ("Paris", "GPE"), ("Paris", "PERSON")):
        ok(n in names, f"the recogniser found {n}: {sorted(names)}")

    dry, _ = run_json("--db", "k.db", "fuse", "--dry-run", "--json", check=0)
    eq(dry["dry_run"], True, "dry run")
    eq(state(), before, "a dry run changes nothing")

    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    pairs = {(m["from"]["name"], m["into"]["name"], m["type"]) for m in r["merges"]}
    eq(pairs, {("J. Smith", "John Smith", "PERSON"),
               ("University of Lisboa", "University of Lisbon", "ORG")}, "merges")
    eq({(m["from"]["name"], m["into"]["name"]) for m in dry["merges"]},
       {(a, b) for a, b, _ in pairs}, "the dry run announced the same merges")
    for m in r["merges"]:
        ok(m["score"] >= 0.8 and m["reasons"] and isinstance(m["id"], int), m)
    ok(any("initials" in x for m in r["merges"] for x in m["reasons"]), r["merges"])
    # Both pairs' contexts (a professor at the university) agree: the
    # context similarity is among the reasons and does not lower the score.
    emb = r["embedding"]
    ok(emb["used"] and emb["pairs_scored"] == 2 and emb["pairs_without"] == 0, emb)
    ok("fitted on" in emb["idf"], emb)
    for m in r["merges"]:
        ok(any(x.startswith("context similarity") for x in m["reasons"]), m)
        ok(m["score"] >= m["name_score"] and m["context_similarity"] > 0.25, m)

    after = state()
    ents = after[0]
    eq(len(ents), len(before[0]) - 2, "two entities absorbed")
    js = by_name(ents, "John Smith", "PERSON")
    ok("J. Smith" in js["aliases"], js)
    eq(js["mentions"], by_name(before[0], "John Smith", "PERSON")["mentions"]
       + by_name(before[0], "J. Smith", "PERSON")["mentions"], "mentions add up")
    ul = by_name(ents, "University of Lisbon", "ORG")
    ok("University of Lisboa" in ul["aliases"], ul)
    # Homonyms stay apart.
    by_name(ents, "Mary Smith", "PERSON")
    by_name(ents, "Paris", "GPE")
    by_name(ents, "Paris", "PERSON")

    # Mentions from both documents on the merged entity.
    e, _ = run_json("--db", "k.db", "entity", "--json", "John Smith", check=0)
    docs = {os.path.basename(m["path"]) for m in e["mention_list"]}
    eq(docs, {"a.txt", "b.txt"}, "mentions of both documents")
    # The relation carries the evidence of both documents.
    works = sql("k.db", "SELECT support FROM relationships WHERE source_id = '%s' AND"
                        " target_id = '%s' AND type = 'be professor at'" % (js["id"], ul["id"]))
    eq(works, [{"support": 2}], "'be professor at' (WORKS_FOR) evidence unioned")
    p, _ = run_json("--db", "k.db", "path", "--json", "John Smith", "University of Lisbon",
                    check=0)
    ev = {os.path.basename(x["path"]) for q in p["paths"] for x in q.get("evidence", [])}
    ok({"a.txt", "b.txt"} <= ev, f"path evidence from both documents: {ev}")

    # The decisions survive a rebuild (a re-ingest of a changed document).
    write("in/c.txt", "Maria Santos lives in Portugal.\n")
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    ok("J. Smith" in by_name(state()[0], "John Smith", "PERSON")["aliases"],
       "merge kept after re-ingest")
    os.remove("in/c.txt")
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    # Forget that ingest: compare from the fused state.
    os.remove("k.db")
    ingest()
    eq(state(), before, "a fresh ingest is the same graph")
    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    eq(len(r["merges"]), 2, "fused again")

    # Unmerge both (one by the CLI, one by the tool): back to the start.
    ids = sorted(m["id"] for m in r["merges"])
    u, _ = run_json("--db", "k.db", "unmerge", "--json", str(ids[0]), check=0)
    eq(u["unmerged"]["id"], ids[0], "unmerged id")
    run("--db", "k.db", "tool", "fuse_documents", "--args", '{"unmerge": %d}' % ids[1], check=0)
    eq(state(), before, "entities, relationships and PageRank as before the fuse")
    p = run("--db", "k.db", "unmerge", str(ids[1]), check=1)
    ok("no active merge" in p.stderr, p.stderr)

    # A pair someone took apart is not merged again.
    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    eq(r["merges"], [], "unmerged pairs stay apart")
    eq(state(), before, "still as before")

    # A threshold above every score merges nothing.
    r, _ = run_json("--db", "k.db", "fuse", "--json", "--threshold", "1", check=0)
    eq(r["merges"], [], "threshold 1")
    p = run("--db", "k.db", "fuse", "--threshold", "2", check=2)
    eq(state(), before, "nothing merged")


def test_strategy_chooses_whose_name_stays():
    """fuse.strategy picks the survivor of a merge, whose name and key the
    merged entity keeps: most mentions (default), highest confidence, or the
    most recently ingested document."""
    import subprocess
    ingest()
    # b.txt ingested later than a.txt (the same second otherwise).
    subprocess.run(["sqlite3", "k.db", "UPDATE documents SET ingested_at = ingested_at + 1000"
                                       " WHERE path LIKE '%b.txt'"], check=True)

    def into(*args):
        r, _ = run_json("--db", "k.db", "fuse", "--dry-run", "--json", *args, check=0)
        return r["strategy"], {m["from"]["name"]: m["into"]["name"] for m in r["merges"]}

    st, m = into()
    eq(st, "evidence_based", "default strategy")
    eq(m, {"J. Smith": "John Smith", "University of Lisboa": "University of Lisbon"},
       "most mentions keep their names")
    st, m = into("--strategy", "temporal")
    eq(st, "temporal", "strategy reported")
    eq(m, {"John Smith": "J. Smith", "University of Lisbon": "University of Lisboa"},
       "the newest document's names stay")
    conf = {(e["name"]): (e["confidence"], e["mentions"])
            for e in sql("k.db", "SELECT name, confidence, mentions FROM entities")}
    st, m = into("--strategy", "confidence_weighted")
    for a, b in (("J. Smith", "John Smith"), ("University of Lisboa", "University of Lisbon")):
        keep = a if conf[a] > conf[b] else b
        lose = b if keep == a else a
        eq(m.get(lose), keep, f"the more confident of {a} / {b} stays")
    t, _ = run_json("--db", "k.db", "tool", "fuse_documents", "--args",
                    '{"dry_run": true, "strategy": "temporal"}', check=0)
    eq({x["from"]["name"]: x["into"]["name"] for x in t["merges"]},
       {"John Smith": "J. Smith", "University of Lisbon": "University of Lisboa"}, "tool")
    run("--db", "k.db", "fuse", "--strategy", "newest", check=2)


def test_fusion_at_the_end_of_an_ingest():
    """A multi-document ingest ends with the same fusion `kgas fuse` does,
    reported in its summary (fuse.after_ingest, on by default); off, the
    graph is the resolver's alone."""
    write("in/a.txt", DOC_A)
    write("in/b.txt", DOC_B)
    r, _ = run_json("--db", "k.db", "ingest", "--json", "in", check=0, env=NOFUSE)
    ok("fusion" not in r, "off when asked")
    ok("J. Smith" not in by_name(state()[0], "John Smith", "PERSON")["aliases"], "not merged")
    os.remove("k.db")
    r, _ = run_json("--db", "k.db", "ingest", "--json", "in", check=0)
    eq({(m["from"]["name"], m["into"]["name"]) for m in r["fusion"]["merges"]},
       {("J. Smith", "John Smith"), ("University of Lisboa", "University of Lisbon")},
       "the ingest fused the documents")
    ok("J. Smith" in by_name(state()[0], "John Smith", "PERSON")["aliases"], "merged")
    eq(sql("k.db", "SELECT count(*) AS n FROM meta WHERE key = 'graph_dirty'")[0]["n"], 0,
       "graph rebuilt")
    # Nothing new to ingest: no fusion pass at all.
    r, _ = run_json("--db", "k.db", "ingest", "--json", "in", check=0,
                    env={"KGAS_FUSE_AFTER_INGEST": "true"})
    ok("fusion" not in r, r)


def test_ambiguous_initial_is_left_alone():
    write("in/a.txt", "John Smith is a professor at Harvard University. John Smith met"
                      " Ada Lovelace.\n")
    write("in/b.txt", "Jane Smith is a professor at Yale University. Jane Smith met"
                      " Ada Lovelace.\n")
    write("in/c.txt", "J. Smith wrote a book. J. Smith met Charles Babbage.\n")
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    names = {e["name"] for e in state()[0]}
    ok({"John Smith", "Jane Smith", "J. Smith"} <= names, names)
    # By name, "J. Smith" fits both: ambiguous, left alone.
    r, _ = run_json("--db", "k.db", "fuse", "--json", "--embedding-weight", "0", check=0)
    merged = {m["from"]["name"] for m in r["merges"]} | {m["into"]["name"] for m in r["merges"]}
    ok(not merged & {"John Smith", "Jane Smith", "J. Smith"}, r["merges"])
    ok("J. Smith" in {a["name"] for a in r["ambiguous"]}, r["ambiguous"])
    # With contexts (a book and Babbage against professors) it fits neither.
    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    merged = {m["from"]["name"] for m in r["merges"]} | {m["into"]["name"] for m in r["merges"]}
    ok(not merged & {"John Smith", "Jane Smith", "J. Smith"}, r["merges"])


def test_kindred_types_fuse_under_one_name():
    """One name the recogniser typed differently in two documents ("NewsQA"
    read as a DATASET in one and a METHOD in the other) is one entity after
    fusion, typed as most of its mentions are (graph/kindred); unmerge takes
    it apart again.  (A person and a place of one name stay apart:
    test_fuse_merges_variants_keeps_homonyms_and_unmerges.  Not "SQuAD",
    as before 2026-12-07: the gazetteer's list of data sets now makes it a
    DATASET wherever it stands.)"""
    write("in/a.txt", "We evaluate our parser on the NewsQA dataset and report accuracy. The"
                      " NewsQA results improve over prior work.\n")
    write("in/b.txt", "We implemented the system with NewsQA, an open-source toolkit written in"
                      " C++. The NewsQA library is fast.\n")
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    before = {(e["name"], e["type"]): e for e in state()[0]}
    ok(("NewsQA", "DATASET") in before and ("NewsQA", "METHOD") in before,
       f"the recogniser typed NewsQA two ways: {sorted(before)}")
    out = run("--db", "k.db", "fuse", "--dry-run", check=0).stdout
    ok('"NewsQA" -> "NewsQA" (DATASET)' in out, out)
    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    m = [x for x in r["merges"] if x["into"]["name"] == "NewsQA"]
    eq(len(m), 1, r["merges"])
    eq((m[0]["from"]["type"], m[0]["into"]["type"]), ("METHOD", "DATASET"), m[0])
    ok(any(w.startswith("kindred types METHOD / DATASET") for w in m[0]["reasons"]), m[0])
    after = [e for e in state()[0] if e["name"] == "NewsQA"]
    # Both documents' mentions, "The NewsQA library" among them (the name
    # with a generic head is the name alone: graph/resolve).
    eq([(e["type"], e["mentions"]) for e in after], [("DATASET", 4)], "one entity, all mentions")
    ok("NewsQA library" in after[0]["aliases"], after[0])
    run("--db", "k.db", "unmerge", str(m[0]["id"]), check=0)
    eq({(e["name"], e["type"]) for e in state()[0] if e["name"] == "NewsQA"},
       {("NewsQA", "DATASET"), ("NewsQA", "METHOD")}, "unmerged")


def test_text_reports():
    """The CLI's text output: a dry run says what would merge and why, a
    fuse numbers its merges and says how context similarity was used (or
    not), ambiguous names are listed, and unmerge names the pair."""
    ingest()
    p = run("--db", "k.db", "fuse", "--dry-run", check=0)
    ok("would merge" in p.stdout and '"J. Smith" -> "John Smith"' in p.stdout, p.stdout)
    ok("context similarity: weight 0.25" in p.stdout, p.stdout)
    ok("pair(s) scored" in p.stdout, p.stdout)
    p = run("--db", "k.db", "fuse", "--embedding-weight", "0", check=0)
    lines = p.stdout.splitlines()
    merges = [ln for ln in lines if ln.startswith("#")]
    eq(len(merges), 2, p.stdout)
    ok(any('"University of Lisboa" -> "University of Lisbon"' in ln for ln in merges), p.stdout)
    ok(any(ln.startswith("      ") for ln in lines), f"reasons under each merge: {p.stdout}")
    ok("2 merge(s); context similarity: not used" in p.stdout, p.stdout)
    first = int(merges[0].split()[0][1:])
    p = run("--db", "k.db", "unmerge", str(first), check=0)
    ok(p.stdout.startswith(f"unmerged #{first}: ") and "separate again" in p.stdout, p.stdout)
    # Ambiguous: "J. Smith" fits two Smiths by name.
    os.remove("k.db")
    write("in/a.txt", "John Smith is a professor at Harvard University. John Smith met"
                      " Ada Lovelace.\n")
    write("in/b.txt", "Jane Smith is a professor at Yale University. Jane Smith met"
                      " Ada Lovelace.\n")
    write("in/c.txt", "J. Smith wrote a book. J. Smith met Charles Babbage.\n")
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    p = run("--db", "k.db", "fuse", "--dry-run", "--embedding-weight", "0", check=0)
    ok('ambiguous, left alone: PERSON "J. Smith"' in p.stdout, p.stdout)


# Four documents, one chunk each.  "J. Grant" and "Josephine Grant" are one
# marine biologist described alike; by name alone (0.78) they stay under the
# threshold.  "J. Smith" the footballer and "John Smith" the chemist are
# homonyms whose names alone (0.88) would merge them.
CTX_DOCS = {
    "reef1.txt": "Josephine Grant is a marine biologist at the University of Porto who studies"
                 " coral reefs and deep-sea sponges in the North Atlantic. Josephine Grant"
                 " surveys the reefs with remotely operated vehicles.\n",
    "reef2.txt": "J. Grant is a marine biologist who studies coral reefs and deep-sea sponges."
                 " J. Grant surveyed the sponges of the North Atlantic with remotely operated"
                 " vehicles.\n",
    "chem.txt": "John Smith is a professor of organic chemistry at the University of Lisbon."
                " John Smith synthesises polymer catalysts and teaches chemical thermodynamics"
                " to undergraduates.\n",
    "football.txt": "Last season the striker J. Smith scored twice for Leeds United against"
                    " Arsenal. J. Smith signed a new football contract with the club after the"
                    " match in January.\n",
}


def test_context_lifts_a_variant_and_separates_homonyms():
    for name, text in CTX_DOCS.items():
        write("in/" + name, text)
    run("--db", "k.db", "ingest", "in", check=0, env=NOFUSE)
    names = {e["name"] for e in state()[0]}
    ok({"J. Grant", "Josephine Grant", "J. Smith", "John Smith"} <= names, names)

    def fuse(*args):
        r, _ = run_json("--db", "k.db", "fuse", "--dry-run", "--json", *args, check=0)
        return r, {(m["from"]["name"], m["into"]["name"]): m for m in r["merges"]}

    # Names only: the homonyms merge, the variant does not.
    r, m = fuse("--embedding-weight", "0")
    eq(set(m), {("J. Smith", "John Smith")}, "names alone")
    ok(not r["embedding"]["used"] and "0" in r["embedding"]["note"], r["embedding"])

    # With contexts: the other way round, before and after `kgas embed`
    # (an IDF fitted on the windows compared, then the stored fit).
    for idf in ("fitted on", "stored fit"):
        r, m = fuse()
        eq(set(m), {("J. Grant", "Josephine Grant")}, f"with contexts ({idf})")
        g = m[("J. Grant", "Josephine Grant")]
        ok(g["name_score"] < 0.8 <= g["score"], g)
        ok(g["context_similarity"] > 0.6, g)
        ok(any(x.startswith("context similarity %.2f (+" % g["context_similarity"])
               for x in g["reasons"]), g["reasons"])
        emb = r["embedding"]
        ok(emb["used"] and idf in emb["idf"], emb)
        eq((emb["pairs_scored"], emb["pairs_without"], emb["with_vector"]), (2, 0, 4), "pairs")
        eq(emb["weight"], 0.25, "default weight")
        run("--db", "k.db", "embed", check=0)

    # The setting and the tool argument.
    t, _ = run_json("--db", "k.db", "tool", "fuse_documents", "--args",
                    '{"dry_run": true, "embedding_weight": 0}', check=0)
    eq({(x["from"]["name"], x["into"]["name"]) for x in t["merges"]},
       {("J. Smith", "John Smith")}, "tool: names only")
    r, _ = run_json("--db", "k.db", "fuse", "--dry-run", "--json", check=0,
                    env={"KGAS_FUSE_EMBEDDING_WEIGHT": "0"})
    eq({(x["from"]["name"], x["into"]["name"]) for x in r["merges"]},
       {("J. Smith", "John Smith")}, "setting: names only")
    run("--db", "k.db", "fuse", "--embedding-weight", "0.6", check=2)

    # The merge itself, and the homonyms still two entities.
    r, _ = run_json("--db", "k.db", "fuse", "--json", check=0)
    eq(len(r["merges"]), 1, "one merge")
    ents = state()[0]
    ok("J. Grant" in by_name(ents, "Josephine Grant", "PERSON")["aliases"], "merged")
    by_name(ents, "J. Smith", "PERSON")
    by_name(ents, "John Smith", "PERSON")


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
