/* Unit tests for the bulk-ingest side of store/ and store/wal_flush:
 * schema migrations 5 and 8 on a database written by schema 3 (full text
 * index by document, RELATED_TO evidence in id order, the covering pair
 * index; mentions and evidence without a foreign key, deleted explicitly), RELATED_TO order kept through renames and the rebuild, and WAL
 * checkpoints run by the wal_flush thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "graphops/graph_rebuild.h"
#include "store/wal_flush.h"
#include "store/sqlite/sq_backend.h"
#include "store/graph_store.h"
#include "store/sqlite/sq_schema.h"
#include "store/relation_stats.h"
#include "store/store.h"
#include "testutil.h"

static kg_store *open_rw(const char *path)
{
    kg_store *s = NULL;
    kg_err e;
    if (kg_store_open(path, NULL, &s, &e))
        fail_msg("open %s: %s", path, e.msg);
    return s;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static int64_t count(kg_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *db = kg_sqlite_handle(s);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static size_t hits(kg_store *s, const char *q)
{
    kg_search_hit *h = NULL;
    size_t n = 0;
    kg_err e;
    if (kg_store_search(s, q, 10, &h, &n, &e))
        fail_msg("search %s: %s", q, e.msg);
    kg_search_hits_free(h, n);
    return n;
}

/* A database left by schema version 3 (chunks indexed by a trigger,
 * RELATED_TO evidence in either order) opens, migrates and keeps working. */
static void test_migration_from_version_3(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "v3.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 0; v < 3; v++)
        exec(db, kg_schema_migrations[v]);
    exec(db, "INSERT INTO documents (id, path, hash, kind, ingested_at)"
             " VALUES ('doc_old', '/old.txt', 'h1', 'txt', 1);"
             "INSERT INTO chunks (id, document_id, ordinal, page_start, page_end, char_start,"
             " char_end, tokens, text) VALUES ('chunk_old', 'doc_old', 0, 1, 1, 0, 40, 6,"
             " 'Marley was dead to begin with, quite.');"
             "INSERT INTO relation_evidence VALUES ('rel_1', 'ent_b', 'ent_a', 'RELATED_TO',"
             " 'doc_old', 'chunk_old', 0, 40, 0.4, 'cooccur'),"
             " ('rel_2', 'ent_b', 'ent_a', 'WORKS_FOR', 'doc_old', 'chunk_old', 0, 40, 0.85,"
             " 'pattern');"
             "INSERT INTO mentions VALUES ('men_1', 'ent_a', 'doc_old', 'chunk_old', 0, 6,"
             " 'Marley', 'PERSON', 0.9, 'rules');"
             "PRAGMA user_version = 3;");
    sqlite3_close(db);

    kg_store *s = open_rw(path);
    assert_int_equal(kg_store_schema_version(s), kg_schema_version);
    /* Undirected evidence in id order; typed evidence keeps its direction. */
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence WHERE type = 'RELATED_TO'"
                              " AND source_id = 'ent_a' AND target_id = 'ent_b'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence WHERE type = 'WORKS_FOR'"
                              " AND source_id = 'ent_b' AND target_id = 'ent_a'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks_ai'"), 0);
    /* Migration 8: the bulk tables kept their rows and indexes and lost
     * their foreign key. */
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE document_id = 'doc_old'"
                              " AND entity_id = 'ent_a' AND surface = 'Marley'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM pragma_foreign_key_list('mentions')"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM pragma_foreign_key_list('relation_evidence')"),
                     0);
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name"
                              " IN ('mentions_entity', 'relation_evidence_pair')"),
                     2);
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name"
                              " IN ('mentions_document', 'relation_evidence_document')"),
                     0);
    /* The document's rows are found by their stretch of rowids. */
    assert_int_equal(count(s, "SELECT count(*) FROM documents d WHERE id = 'doc_old'"
                              " AND mention_rows_from = (SELECT min(rowid) FROM mentions)"
                              " AND mention_rows_to = (SELECT max(rowid) FROM mentions)"
                              " AND evidence_rows_from = (SELECT min(rowid) FROM relation_evidence)"
                              " AND evidence_rows_to = (SELECT max(rowid) FROM relation_evidence)"
                              " AND evidence_rows_to > evidence_rows_from"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v8'"), 0);
    assert_int_equal(hits(s, "Marley"), 1);

    /* A new document's chunks are searchable once it is finished. */
    kg_err e;
    kg_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "doc_new");
    snprintf(d.hash, sizeof d.hash, "h2");
    d.path = "/new.txt";
    d.kind = "txt";
    d.confidence = 1;
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    kg_chunk c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "chunk_new");
    snprintf(c.doc_id, sizeof c.doc_id, "doc_new");
    c.page_start = c.page_end = 1;
    c.char_end = 30;
    c.tokens = 5;
    c.text = "Scrooge signed it, and Marley too.";
    assert_int_equal(kg_store_chunk_insert(s, &c, &e), KG_OK);
    d.chunks = 1;
    assert_int_equal(kg_store_doc_finish(s, &d, &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(hits(s, "Scrooge"), 1);
    assert_int_equal(hits(s, "Marley"), 2);

    /* Deleting either document removes exactly its text from the index. */
    assert_int_equal(kg_store_doc_delete(s, "doc_old", &e), KG_OK);
    assert_int_equal(hits(s, "Marley"), 1);
    /* ... and its mentions and evidence, which have no cascade. */
    assert_int_equal(count(s, "SELECT count(*) FROM mentions"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM chunks WHERE document_id = 'doc_old'"), 0);
    assert_int_equal(hits(s, "begin"), 0);
    exec(kg_sqlite_handle(s), "INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')");
    kg_store_close(s);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

static void evidence(kg_store *s, const char *id, const char *src, const char *dst,
                     const char *type, int64_t at, double conf, const char *method)
{
    kg_relation r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.source_id, sizeof r.source_id, "%s", src);
    snprintf(r.target_id, sizeof r.target_id, "%s", dst);
    snprintf(r.type, sizeof r.type, "%s", type);
    snprintf(r.method, sizeof r.method, "%s", method);
    snprintf(r.chunk_id, sizeof r.chunk_id, "chunk_1");
    r.start = at;
    r.end = at + 10;
    r.confidence = conf;
    kg_err e;
    if (kg_store_evidence_insert(s, "doc_1", &r, &e))
        fail_msg("evidence: %s", e.msg);
}

/* RELATED_TO ends are stored in id order, renames keep that order, and the
 * rebuild counts one sentence once (its most confident row). */
static void test_related_to_order_renames_and_rebuild(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "r.db");
    kg_store *s = open_rw(path);
    kg_err e;
    exec(kg_sqlite_handle(s), "INSERT INTO documents (id, path, hash, kind, ingested_at)"
                              " VALUES ('doc_1', '/a.txt', 'h', 'txt', 1)");
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    evidence(s, "rel_1", "ent_m", "ent_c", "RELATED_TO", 0, 0.4, "cooccur");
    evidence(s, "rel_2", "ent_m", "ent_c", "LEADS", 0, 0.85, "pattern");
    /* One sentence naming two forms (ent_x, ent_y) of one entity. */
    evidence(s, "rel_3", "ent_x", "ent_m", "RELATED_TO", 20, 0.3, "cooccur");
    evidence(s, "rel_4", "ent_m", "ent_y", "RELATED_TO", 20, 0.4, "cooccur");
    /* And a sentence relating the two forms themselves ("Ebenezer Scrooge,
     * ... the firm of Scrooge and Marley"): an entity related to itself
     * once they are one, which no count or relationship keeps. */
    evidence(s, "rel_5", "ent_x", "ent_y", "RELATED_TO", 40, 0.4, "cooccur-verb");
    evidence(s, "rel_6", "ent_x", "ent_y", "be partner of", 40, 0.6, "copula");
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence WHERE type = 'RELATED_TO'"
                              " AND source_id > target_id"),
                     0);
    /* ent_c -> ent_z and both forms -> ent_a: RELATED_TO ends swap where
     * the new ids need it; LEADS keeps its direction. */
    kg_id_remap map[3];
    memset(map, 0, sizeof map);
    snprintf(map[0].from, sizeof map[0].from, "ent_c");
    snprintf(map[0].to, sizeof map[0].to, "ent_z");
    snprintf(map[1].from, sizeof map[1].from, "ent_x");
    snprintf(map[1].to, sizeof map[1].to, "ent_a");
    snprintf(map[2].from, sizeof map[2].from, "ent_y");
    snprintf(map[2].to, sizeof map[2].to, "ent_a");
    assert_int_equal(kg_store_doc_remap_entities(s, "doc_1", map, 3, &e), KG_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence WHERE type = 'RELATED_TO'"
                              " AND source_id > target_id"),
                     0);
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence WHERE type = 'LEADS'"
                              " AND source_id = 'ent_m' AND target_id = 'ent_z'"),
                     1);
    assert_int_equal(kg_graph_rebuild(s, NULL, &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM relationships"), 3);
    kg_relation_stats rs;
    assert_int_equal(kg_store_relation_stats(s, &rs, &e), KG_OK);
    assert_int_equal(rs.typed_evidence, 1); /* rel_2 */
    assert_int_equal(rs.cooccur_verb_evidence, 0);
    assert_int_equal(rs.cooccur_evidence, 3);
    assert_int_equal(rs.typed_relationships, 1);
    /* The rebuild drops the relationships' indexes and builds them again. */
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                              " sql LIKE '%relationships(source_id, confidence DESC)%'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                              " sql LIKE '%relationships(target_id, confidence DESC)%'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM relationships INDEXED BY relationships_source"
                              " WHERE source_id = 'ent_a'"),
                     count(s, "SELECT count(*) FROM relationships NOT INDEXED"
                              " WHERE source_id = 'ent_a'"));
    /* The sentence at 20 counts once, with its best row (0.4, not 0.3). */
    assert_int_equal(count(s, "SELECT support FROM relationships WHERE source_id = 'ent_a'"
                              " AND target_id = 'ent_m' AND type = 'RELATED_TO'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM relationships WHERE source_id = 'ent_a'"
                              " AND abs(confidence - 0.4) < 1e-12"
                              " AND abs(weight - 0.4 * 0.3) < 1e-12"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM relationships WHERE source_id = 'ent_m'"
                              " AND target_id = 'ent_z' AND type = 'RELATED_TO'"),
                     1);
    kg_store_close(s);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void mention(kg_store *s, const char *doc, const char *ent, int64_t at)
{
    kg_mention m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "men_%s_%lld", doc, (long long)at);
    snprintf(m.entity_id, sizeof m.entity_id, "%s", ent);
    snprintf(m.chunk_id, sizeof m.chunk_id, "chunk_%s", doc);
    snprintf(m.type, sizeof m.type, "PERSON");
    snprintf(m.method, sizeof m.method, "rules");
    m.surface = "Someone";
    m.start = at;
    m.end = at + 7;
    m.confidence = 0.9;
    kg_err e;
    if (kg_store_mention_insert(s, doc, &m, &e))
        fail_msg("mention: %s", e.msg);
}

static void doc_row(kg_store *s, const char *id)
{
    kg_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "%s", id);
    snprintf(d.hash, sizeof d.hash, "h_%s", id);
    char path[64];
    snprintf(path, sizeof path, "/%s.txt", id);
    d.path = path;
    d.kind = "txt";
    d.confidence = 1;
    kg_err e;
    if (kg_store_doc_insert(s, &d, &e))
        fail_msg("doc: %s", e.msg);
}

static void doc_done(kg_store *s, const char *id)
{
    kg_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "%s", id);
    d.confidence = 1;
    kg_err e;
    if (kg_store_doc_finish(s, &d, &e))
        fail_msg("finish: %s", e.msg);
}

/* A document's mentions and evidence are found by the stretch of rowids
 * they were written in, kept in its documents row, and checked by
 * document_id: even rows of two documents written in turn (which the ingest
 * writer never does) are deleted and renamed exactly, and the stretches
 * survive closing the database. */
static void test_document_row_stretches(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "rows.db");
    kg_store *s = open_rw(path);
    kg_err e;
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    doc_row(s, "doc_a");
    doc_row(s, "doc_b");
    doc_row(s, "doc_c");
    mention(s, "doc_a", "ent_x", 0);
    mention(s, "doc_b", "ent_x", 0);
    mention(s, "doc_a", "ent_y", 10);
    mention(s, "doc_b", "ent_y", 10);
    mention(s, "doc_c", "ent_x", 0);
    evidence(s, "rel_1", "ent_x", "ent_y", "RELATED_TO", 0, 0.4, "cooccur");
    doc_done(s, "doc_a");
    doc_done(s, "doc_b");
    doc_done(s, "doc_c");
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    /* Stretches: a covers rows 1..3, b 2..4 (they overlap), c row 5. */
    assert_int_equal(count(s, "SELECT mention_rows_from * 10 + mention_rows_to FROM documents"
                              " WHERE id = 'doc_a'"),
                     13);
    assert_int_equal(count(s, "SELECT mention_rows_from * 10 + mention_rows_to FROM documents"
                              " WHERE id = 'doc_b'"),
                     24);
    assert_int_equal(count(s, "SELECT mention_rows_from * 10 + mention_rows_to FROM documents"
                              " WHERE id = 'doc_c'"),
                     55);
    kg_store_close(s);

    s = open_rw(path); /* from the documents rows now, not from memory */
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    kg_id_remap map[1];
    memset(map, 0, sizeof map);
    snprintf(map[0].from, sizeof map[0].from, "ent_x");
    snprintf(map[0].to, sizeof map[0].to, "ent_z");
    assert_int_equal(kg_store_doc_remap_entities(s, "doc_b", map, 1, &e), KG_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE entity_id = 'ent_z'"
                              " AND document_id = 'doc_b'"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE entity_id = 'ent_x'"), 2);
    assert_int_equal(kg_store_doc_delete(s, "doc_a", &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE document_id = 'doc_a'"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE document_id = 'doc_b'"), 2);
    assert_int_equal(count(s, "SELECT count(*) FROM mentions WHERE document_id = 'doc_c'"), 1);
    /* doc_1's evidence (written with no documents row) is not doc_a's. */
    assert_int_equal(count(s, "SELECT count(*) FROM relation_evidence"), 1);
    /* A document rolled back leaves no stretch behind for the next one. */
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_savepoint(s, &e), KG_OK);
    doc_row(s, "doc_d");
    mention(s, "doc_d", "ent_x", 0);
    assert_int_equal(kg_store_rollback_to(s), KG_OK);
    doc_row(s, "doc_e");
    doc_done(s, "doc_e");
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(count(s, "SELECT mention_rows_from + mention_rows_to + evidence_rows_from"
                              " + evidence_rows_to FROM documents WHERE id = 'doc_e'"),
                     0);
    kg_store_close(s);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

/* A chunk of about 1 MB whose first word is `word`. */
static void big_chunk(kg_store *s, const char *doc, int ord, const char *word)
{
    size_t n = (size_t)1 << 20;
    char *text = kg_xmalloc(n + 1);
    int at = snprintf(text, n, "%s ", word);
    for (size_t i = (size_t)at; i < n; i++)
        text[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 5);
    text[n] = 0;
    kg_chunk c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "chunk_%s_%d", doc, ord);
    snprintf(c.doc_id, sizeof c.doc_id, "%s", doc);
    c.ordinal = ord;
    c.page_start = c.page_end = 1;
    c.char_start = (int64_t)ord * (int64_t)n;
    c.char_end = c.char_start + (int64_t)n;
    c.tokens = 1000;
    c.text = text;
    kg_err e;
    if (kg_store_chunk_insert(s, &c, &e))
        fail_msg("chunk: %s", e.msg);
    free(text);
}

/* A long document is full-text indexed a batch at a time while its chunks
 * come: every chunk is found once it is finished, and a document rolled
 * back after some batches leaves nothing in the index. */
static void test_fulltext_batches(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "fts.db");
    kg_store *s = open_rw(path);
    kg_err e;
    kg_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "doc_long");
    snprintf(d.hash, sizeof d.hash, "h1");
    d.path = "/long.txt";
    d.kind = "txt";
    d.confidence = 1;
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_savepoint(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    static const char *const words[] = {"alphaword",   "betaword", "gammaword", "deltaword",
                                        "epsilonword", "zetaword", "etaword",   "thetaword",
                                        "iotaword",    "kappaword"};
    for (int i = 0; i < 10; i++)
        big_chunk(s, d.id, i, words[i]);
    /* Past two batches: the early chunks are already in the index. */
    assert_int_equal(hits(s, "alphaword"), 1);
    d.chunks = 10;
    assert_int_equal(kg_store_doc_finish(s, &d, &e), KG_OK);
    assert_int_equal(kg_store_release(s, &e), KG_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(hits(s, words[i]), 1);

    /* A second document, rolled back after a batch was written. */
    kg_document d2 = d;
    snprintf(d2.id, sizeof d2.id, "doc_gone");
    snprintf(d2.hash, sizeof d2.hash, "h2");
    d2.path = "/gone.txt";
    assert_int_equal(kg_store_savepoint(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &d2, &e), KG_OK);
    for (int i = 0; i < 6; i++)
        big_chunk(s, d2.id, i, i == 0 ? "lostword" : "lateword");
    assert_int_equal(hits(s, "lostword"), 1); /* batch written inside the savepoint */
    assert_int_equal(kg_store_rollback_to(s), KG_OK);
    assert_int_equal(hits(s, "lostword"), 0);
    assert_int_equal(hits(s, "lateword"), 0);
    /* Nothing pending from it leaks into the next document's batch. */
    kg_document d3 = d;
    snprintf(d3.id, sizeof d3.id, "doc_short");
    snprintf(d3.hash, sizeof d3.hash, "h3");
    d3.path = "/short.txt";
    assert_int_equal(kg_store_doc_insert(s, &d3, &e), KG_OK);
    big_chunk(s, d3.id, 0, "shortword");
    d3.chunks = 1;
    assert_int_equal(kg_store_doc_finish(s, &d3, &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(hits(s, "shortword"), 1);
    assert_int_equal(hits(s, "lateword"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM chunks"), 11);
    exec(kg_sqlite_handle(s), "INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')");
    /* And deleting the long one takes all its batches out. */
    assert_int_equal(kg_store_doc_delete(s, "doc_long", &e), KG_OK);
    assert_int_equal(hits(s, "kappaword"), 0);
    assert_int_equal(hits(s, "alphaword"), 0);
    assert_int_equal(hits(s, "shortword"), 1);
    exec(kg_sqlite_handle(s), "INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')");
    kg_store_close(s);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

static void write_rows(kg_store *s, int n)
{
    kg_err e;
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    exec(kg_sqlite_handle(s), "CREATE TABLE IF NOT EXISTS t (x BLOB)");
    for (int i = 0; i < n; i++)
        exec(kg_sqlite_handle(s), "INSERT INTO t VALUES (randomblob(4000))");
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
}

/* With the automatic checkpoint off, a commit leaves its pages in the WAL
 * (the database file does not grow) until the wal_flush thread copies
 * them. */
static void test_wal_flush_checkpoints(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "w.db");
    kg_store *s = open_rw(path);
    kg_err e;
    assert_int_equal(kg_store_set_autocheckpoint(s, 0, &e), KG_OK);
    kg_wal_flush *f = kg_wal_flush_start(path);
    assert_non_null(f);
    long before = file_size(path);
    write_rows(s, 400); /* ~1600 pages: past the automatic threshold */
    assert_int_equal(file_size(path), before);
    kg_wal_flush_kick(f);
    kg_wal_flush_stop(f); /* waits for the checkpoint it was asked for */
    assert_true(file_size(path) >= before + 400L * 4000);
    assert_int_equal(kg_store_set_autocheckpoint(s, 1, &e), KG_OK);
    kg_wal_flush_kick(NULL);
    kg_wal_flush_stop(NULL);
    kg_store_close(s);
    /* A database that cannot be opened: no thread, the caller keeps
     * SQLite's own checkpoints. */
    char *bad = tu_join(dir, "no/such/dir/x.db");
    assert_null(kg_wal_flush_start(bad));
    free(bad);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migration_from_version_3),
        cmocka_unit_test(test_related_to_order_renames_and_rebuild),
        cmocka_unit_test(test_fulltext_batches),
        cmocka_unit_test(test_document_row_stretches),
        cmocka_unit_test(test_wal_flush_checkpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
