#!/usr/bin/env python3
"""Integration tests for embeddings and vector/hybrid search: `kgas embed`,
`kgas search --mode text|vector|hybrid`, the embed_chunks and
similarity_search tools, refitting after the corpus changes, vectors that
are the same bit for bit across databases, and the HNSW index (built by
embed, stored, used by search, rebuilt when the vectors change), and entity
vectors (the sum of the embeddings of the words around their mentions) with
`kgas search --entities` and similarity_search's target entities."""
import math
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import eq, ok, run, run_json, sql  # noqa: E402

DEMO = os.path.join(h.SRC, "demo", "corpus")
MODEL = "local-tfidf-rp-v1-d256"


def ingest(db="k.db", src=DEMO):
    run("--db", db, "ingest", src, check=0)


def test_vector_search_ranks_graph_echo_first():
    ingest()
    p = run("--db", "k.db", "search", "--mode", "vector", "recurrent memory cells", check=1)
    ok("kgas embed" in p.stderr, p.stderr)
    r, _ = run_json("--db", "k.db", "embed", "--json", check=0)
    chunks = sql("k.db", "SELECT count(*) AS n FROM chunks")[0]["n"]
    eq(r["model"], MODEL, "model id")
    eq(r["dim"], 256, "dim")
    eq(r["embedded"], chunks, "every chunk embedded")
    ok(r["refit"], "first run fits IDF")
    rows = sql("k.db", "SELECT model, dim, length(vector) AS b FROM embeddings"
                       " WHERE model NOT LIKE 'entity%'")
    ok(all(x["model"] == MODEL and x["dim"] == 256 and x["b"] == 1024 for x in rows), rows)
    r, _ = run_json("--db", "k.db", "embed", "--json", check=0)
    eq(r["embedded"], 0, "nothing left to embed")
    ok(not r["refit"], "unchanged corpus keeps its fit")
    r, _ = run_json("--db", "k.db", "search", "--mode", "vector", "--json",
                    "recurrent memory cells", check=0)
    eq(r["mode"], "vector", "mode")
    eq(r["unembedded"], 0, "unembedded")
    top = r["results"][0]
    eq(top["title"], "The Graph Echo Network", "top vector hit")
    ok(top["path"].endswith("lisbon_graph_echo.md"), top["path"])
    scores = [x["score"] for x in r["results"]]
    ok(scores == sorted(scores, reverse=True), f"cosines descending: {scores}")
    ok(all(-1.0001 <= s <= 1.0001 for s in scores), scores)
    p = run("--db", "k.db", "search", "--mode", "vector", "recurrent memory cells", check=0)
    ok(p.stdout.startswith(" 1. The Graph Echo Network"), p.stdout)


def test_hybrid_has_page_span_and_fused_ranks():
    ingest()
    run("--db", "k.db", "embed", check=0)
    r, _ = run_json("--db", "k.db", "search", "--mode", "hybrid", "--json", "--limit", "3",
                    "recurrent memory cells", check=0)
    eq(r["mode"], "hybrid", "mode")
    ok(0 < len(r["results"]) <= 3, r)
    for x in r["results"]:
        ok(x["page"] >= 1, x)
        ok(0 <= x["char_start"] < x["char_end"], x)
        ok(x["snippet"] and x["document"].startswith("doc_"), x)
        # The score is the mass of the walk reaching the passage (issue 15).
        ok(0 <= x["score"] <= 1 and (x["score"] > 0) == (x["graph_rank"] is not None), x)
    scores = [x["score"] for x in r["results"]]
    ok(scores == sorted(scores, reverse=True), f"walk scores descending: {scores}")
    eq({k: v["state"] for k, v in r["channels"].items()},
       {"text": "used", "vector": "used", "graph": "text and vector seeds only"}, "channels")
    eq(r["results"][0]["title"], "The Graph Echo Network", "top hybrid hit")
    # Text mode is the BM25 search exactly as before.
    plain = run("--db", "k.db", "search", "long short-term memory", check=0)
    text = run("--db", "k.db", "search", "--mode", "text", "long short-term memory", check=0)
    eq(text.stdout, plain.stdout, "--mode text == default")
    p = run("--db", "k.db", "search", "--mode", "fuzzy", "x", check=2)
    ok("text, vector or hybrid" in p.stderr, p.stderr)
    p = run("--db", "k.db", "search", "--mode", "vector", "--model", "nope", "x", check=2)
    ok("not supported" in p.stderr, p.stderr)


def test_changed_corpus_refits_and_leaves_no_orphans():
    shutil.copytree(DEMO, "corpus")
    ingest(src="corpus")
    run("--db", "k.db", "embed", check=0)
    with open("corpus/okafor_multilingual.txt", "a") as f:
        f.write("\nOkafor later studied gated recurrent units and memory cells.\n")
    os.remove("corpus/tanaka_lattice.html")
    ingest(src="corpus")
    # The new chunk has no vector yet, and the search says so.
    r, _ = run_json("--db", "k.db", "search", "--mode", "vector", "--json", "memory", check=0)
    ok(r["unembedded"] >= 1, r)
    r, _ = run_json("--db", "k.db", "embed", "--json", check=0)
    ok(r["refit"], "a changed corpus refits IDF")
    n = sql("k.db", "SELECT (SELECT count(*) FROM chunks) AS c, (SELECT count(*) FROM "
                    "embeddings WHERE model = 'local-tfidf-rp-v1-d256') AS e, (SELECT count(*) "
                    "FROM embeddings WHERE model = 'local-tfidf-rp-v1-d256' AND owner_id NOT IN "
                    "(SELECT id FROM chunks)) AS o, (SELECT count(*) FROM embeddings WHERE "
                    "model = 'entity-v2:local-tfidf-rp-v1-d256' AND owner_id NOT IN "
                    "(SELECT id FROM entities)) AS eo")[0]
    eq(n["e"], n["c"], "one vector per chunk")
    eq(n["o"], 0, "no vectors of deleted chunks")
    eq(n["eo"], 0, "no vectors of entities gone from the graph")
    ok(r["entities"]["recomputed"], "entity vectors follow the changed graph")


def test_vectors_identical_across_databases():
    ingest("a.db")
    ingest("b.db")
    run("--db", "a.db", "embed", check=0)
    run("--db", "b.db", "embed", check=0)
    q = "SELECT owner_id, hex(vector) AS v FROM embeddings ORDER BY owner_id"
    a, b = sql("a.db", q), sql("b.db", q)
    ok(len(a) > 0, "vectors stored")
    eq(a, b, "same text, same vector, bit for bit")


def test_tools_embed_and_similarity_search():
    ingest()
    r, _ = run_json("--db", "k.db", "tool", "embed_chunks", "--args",
                    '{"model": "local-tfidf-rp-v1-d64"}', check=0)
    eq(r["dim"], 64, "dim from the model id")
    ok(r["embedded"] > 0, r)
    r, _ = run_json("--db", "k.db", "tool", "similarity_search", "--args",
                    '{"query_text": "recurrent memory cells", "mode": "vector", "limit": 2, '
                    '"model": "local-tfidf-rp-v1-d64"}', check=0)
    eq(len(r["results"]), 2, "limit")
    eq(r["results"][0]["title"], "The Graph Echo Network", "top hit, 64 dimensions")
    # The default 256-dimension model has no vectors yet: hybrid answers
    # from the other channels and says so (issue 15); vector mode refuses.
    r, _ = run_json("--db", "k.db", "tool", "similarity_search", "--args",
                    '{"query_text": "memory", "mode": "hybrid"}', check=0)
    ok(r["results"], r)
    eq(r["channels"]["vector"]["state"], "not embedded", "vector channel off, said so")
    p = run("--db", "k.db", "tool", "similarity_search", "--args",
            '{"query_text": "memory", "mode": "vector"}')
    ok(p.returncode != 0 and "kgas embed" in (p.stdout + p.stderr), p.stdout + p.stderr)
    r, _ = run_json("--db", "k.db", "tool", "similarity_search", "--args",
                    '{"query_text": "memory", "mode": "text"}', check=0)
    ok(r["results"] and all(x["text_rank"] for x in r["results"]), r)


HNSW = {"KGAS_VECTOR_INDEX": "hnsw"}


def test_hnsw_index_built_stored_used_and_rebuilt():
    shutil.copytree(DEMO, "corpus")
    # Small chunks, so the index has some dozens of nodes.
    run("--db", "k.db", "ingest", "--chunk-size", "32", "--chunk-overlap", "0", "corpus",
        check=0)
    r, _ = run_json("--db", "k.db", "embed", "--json", env=HNSW, check=0)
    ix = r["index"]
    eq(ix["kind"], "hnsw", "index kind")
    ok(ix["built"] and ix["stored"], ix)
    eq(ix["vectors"], r["chunks"], "every vector indexed")
    ok(ix["vectors"] > 20, ix)
    row = sql("k.db", "SELECT model, kind, vectors, length(data) AS b FROM vector_indexes")
    eq([(x["model"], x["kind"], x["vectors"]) for x in row], [(MODEL, "hnsw", ix["vectors"])],
       "stored index")
    p = run("--db", "k.db", "embed", env=HNSW, check=0)
    ok("HNSW index up to date" in p.stdout, p.stdout)
    # Search through the index: on this few vectors it finds what the exact
    # scan finds, in the same order.
    q = ("--db", "k.db", "search", "--mode", "vector", "--json", "--limit", "8",
         "recurrent memory cells")
    a, _ = run_json(*q, env=HNSW, check=0)
    b, _ = run_json(*q, env={"KGAS_VECTOR_INDEX": "exact"}, check=0)
    c, _ = run_json(*q, env={"KGAS_VECTOR_INDEX": "auto"}, check=0)  # far below the minimum
    eq(a["index"], "hnsw", "index used")
    eq(b["index"], "exact", "exact scan")
    eq(c["index"], "exact", "auto on few vectors")
    eq([x["chunk"] for x in a["results"]], [x["chunk"] for x in b["results"]], "same hits")
    eq(a["results"][0]["title"], "The Graph Echo Network", "top hit")
    t, _ = run_json("--db", "k.db", "tool", "similarity_search", "--args",
                    '{"query_text": "recurrent memory cells", "mode": "hybrid"}', env=HNSW,
                    check=0)
    eq(t["index"], "hnsw", "tool reports the index")
    # A changed corpus: refit, every vector new, so the index is rebuilt.
    with open("corpus/okafor_multilingual.txt", "a") as f:
        f.write("\nOkafor later studied gated recurrent units and memory cells.\n")
    run("--db", "k.db", "ingest", "--chunk-size", "32", "--chunk-overlap", "0", "corpus",
        check=0)
    r, _ = run_json("--db", "k.db", "embed", "--json", env=HNSW, check=0)
    ok(r["refit"] and r["index"]["built"], r)
    eq(sql("k.db", "SELECT vectors FROM vector_indexes")[0]["vectors"], r["chunks"],
       "rebuilt over the new vectors")
    # A search finding the stored index stale rebuilds it by itself.
    subprocess.run(["sqlite3", "k.db", "DELETE FROM embeddings WHERE rowid = "
                    "(SELECT min(rowid) FROM embeddings)"], check=True)
    a, _ = run_json(*q, env=HNSW, check=0)
    eq(a["index"], "hnsw", "index used")
    eq(sql("k.db", "SELECT vectors FROM vector_indexes")[0]["vectors"], r["chunks"] - 1,
       "rebuilt on demand")
    # Settings are checked.
    p = run(*q, env={"KGAS_VECTOR_HNSW_M": "1"}, check=2)
    ok("vector.hnsw_m" in p.stderr, p.stderr)


def test_hybrid_has_a_graph_list():
    """Hybrid search fuses a third list: the chunks that mention the entities
    the query names.  "LSTM" names the entity Long Short-Term Memory (alias
    LSTM); b.txt mentions it only by its long name, so BM25 misses it, and
    the graph list lifts it above a vector-only hit."""
    h.write("t/a.txt", "The Long Short-Term Memory (LSTM) network was proposed by Sepp "
                       "Hochreiter in Munich.\n")
    h.write("t/b.txt", "Researchers in Lisbon trained a Long Short-Term Memory on speech "
                       "recordings.\n")
    h.write("t/c.txt", "The harbour of Porto receives ships every morning.\n")
    run("--db", "g.db", "ingest", "t", check=0)
    run("--db", "g.db", "embed", check=0)
    r, _ = run_json("--db", "g.db", "search", "--mode", "hybrid", "--json", "LSTM", check=0)
    eq(r["named_entities"], 1, "the query names one entity")
    by = {os.path.basename(x["path"]): x for x in r["results"]}
    eq((by["a.txt"]["text_rank"], by["a.txt"]["graph_rank"]), (1, 1), "a.txt first in both")
    eq(by["b.txt"]["text_rank"], None, "BM25 does not find b.txt")
    eq(by["b.txt"]["graph_rank"], 2, "the graph list does")
    order = [os.path.basename(x["path"]) for x in r["results"]]
    if "c.txt" in order:
        ok(order.index("b.txt") < order.index("c.txt"), f"graph evidence ranks higher: {order}")
    t, _ = run_json("--db", "g.db", "tool", "similarity_search", "--args",
                    '{"query_text": "LSTM", "mode": "hybrid"}', check=0)
    eq([x.get("graph_rank") for x in t["results"]][:2], [1, 2], "the tool reports graph_rank")
    # Text and vector modes have no graph list.
    v, _ = run_json("--db", "g.db", "search", "--mode", "vector", "--json", "LSTM", check=0)
    ok(all("graph_rank" not in x for x in v["results"]), v)


EMODEL = "entity-v2:" + MODEL


def unpack(hexblob):
    b = bytes.fromhex(hexblob)
    return struct.unpack("<%df" % (len(b) // 4), b)


def test_entity_vectors_and_search():
    # Small chunks: at the default size each demo document is one chunk, so
    # every entity of a document would share that document's vector.
    run("--db", "k.db", "ingest", "--chunk-size", "32", "--chunk-overlap", "0", DEMO, check=0)
    p = run("--db", "k.db", "search", "--entities", "recurrent memory cells", check=1)
    ok("kgas embed" in p.stderr, p.stderr)
    r, _ = run_json("--db", "k.db", "embed", "--json", check=0)
    ent = r["entities"]
    eq(ent["model"], EMODEL, "entity model id")
    ok(ent["recomputed"] and ent["vectors"] > 10, ent)
    rows = sql("k.db", f"SELECT owner_id, dim, hex(vector) AS v FROM embeddings "
                       f"WHERE model = '{EMODEL}'")
    eq(len(rows), ent["vectors"], "one row per entity vector")
    ids = {x["id"] for x in sql("k.db", "SELECT id FROM entities")}
    ok(all(x["owner_id"] in ids and x["dim"] == 256 for x in rows), "owners are entities")
    r2, _ = run_json("--db", "k.db", "embed", "--json", check=0)
    ok(not r2["entities"]["recomputed"], "unchanged inputs: nothing recomputed")
    eq(r2["entities"]["vectors"], ent["vectors"], "count kept")

    r, _ = run_json("--db", "k.db", "search", "--entities", "--json", "recurrent memory cells",
                    check=0)
    eq(r["target"], "entities", "target")
    top = r["results"][0]
    ok(top["name"] in ("Long Short-Term Memory", "LSTM"), r["results"][:3])
    for k in ("id", "name", "type", "pagerank", "mentions", "cosine"):
        ok(k in top, k)
    cos = [x["cosine"] for x in r["results"]]
    ok(cos == sorted(cos, reverse=True), cos)

    # Stored vectors are unit length.
    for x in rows:
        ok(abs(math.sqrt(sum(c * c for c in unpack(x["v"]))) - 1) < 1e-4, "unit length")

    t, _ = run_json("--db", "k.db", "tool", "similarity_search", "--args",
                    '{"query_text": "recurrent memory cells", "target": "entities"}', check=0)
    eq([x["id"] for x in t["results"]], [x["id"] for x in r["results"]], "tool = CLI")
    eq(t["target"], "entities", "tool target")
    p = run("--db", "k.db", "tool", "similarity_search", "--args",
            '{"query_text": "memory", "target": "entities", "mode": "text"}')
    ok(p.returncode != 0 and "mode text" in (p.stdout + p.stderr), p.stdout + p.stderr)
    p = run("--db", "k.db", "search", "--entities", "--mode", "hybrid", "memory")
    eq(p.returncode, 2, "--entities with --mode hybrid is a usage error")

    # Chunk searches never return entity vectors, with either index.
    chunks = {x["id"] for x in sql("k.db", "SELECT id FROM chunks")}
    for env in ({}, HNSW):
        c, _ = run_json("--db", "k.db", "search", "--mode", "vector", "--json", "--limit",
                        "500", "recurrent memory cells", env=env, check=0)
        eq(len(c["results"]), len(chunks), "every chunk, nothing else")
        ok(all(x["chunk"] in chunks for x in c["results"]), "chunk hits only")


def test_entity_vectors_of_one_chunk_differ():
    """An entity's vector comes from the words around its mentions, not from
    its whole chunk: in a document that is a single chunk, entities with
    different surroundings get clearly different vectors, and one embedded
    by the old method (model entity:M) is replaced."""
    h.write("in/one.txt",
            "The striker Alvaro Reis scored twice for the football club on Saturday night and"
            " the fans of the stadium celebrated his goals until the morning. Meanwhile, far"
            " from the stadium, the chemist Beatriz Lopes synthesised a new polymer catalyst in"
            " her laboratory at the University of Lisbon and measured its reaction rates.\n")
    run("--db", "k.db", "ingest", "in", check=0)
    eq(sql("k.db", "SELECT count(*) AS n FROM chunks")[0]["n"], 1, "one chunk")
    ids = {e["name"]: e["id"] for e in sql("k.db", "SELECT id, name FROM entities")}
    ok({"Alvaro Reis", "Beatriz Lopes"} <= set(ids), ids)
    run("--db", "k.db", "embed", check=0)
    subprocess.run(["sqlite3", "k.db", "INSERT INTO embeddings SELECT owner_id, 'entity:' ||"
                    " substr(model, 11), dim, vector FROM embeddings WHERE model = '%s'" % EMODEL],
                   check=True)
    # A changed window recomputes the vectors (and removes the old model's).
    r, _ = run_json("--db", "k.db", "embed", "--json", check=0,
                    env={"KGAS_EMBED_ENTITY_WINDOW": "8"})
    ok(r["entities"]["recomputed"], r["entities"])
    eq(sql("k.db", "SELECT count(*) AS n FROM embeddings WHERE model LIKE 'entity:%'")[0]["n"],
       0, "v1 entity vectors gone")
    rows = sql("k.db", "SELECT owner_id, hex(vector) AS v FROM embeddings"
                       f" WHERE model = '{EMODEL}'")
    vec = {x["owner_id"]: unpack(x["v"]) for x in rows}
    a, b = vec[ids["Alvaro Reis"]], vec[ids["Beatriz Lopes"]]
    cos = sum(x * y for x, y in zip(a, b))
    ok(cos < 0.5, f"one chunk, different surroundings: cosine {cos:.3f}")
    r, _ = run_json("--db", "k.db", "search", "--entities", "--json", "football striker goals",
                    check=0, env={"KGAS_EMBED_ENTITY_WINDOW": "8"})
    eq(r["results"][0]["name"], "Alvaro Reis", "the footballer first")
    r, _ = run_json("--db", "k.db", "search", "--entities", "--json", "polymer catalyst chemist",
                    check=0)
    eq(r["results"][0]["name"], "Beatriz Lopes", "the chemist first")


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]

if __name__ == "__main__":
    sys.exit(h.main(TESTS))
