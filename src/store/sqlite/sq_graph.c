/* sq_graph: the SQLite methods of store/graph_store.h. */
#include "store/graph_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/idset.h"
#include "base/vec.h"
#include "store/merge_store.h"
#include "store/sqlite/sq_internal.h"

static int sq_mention_insert(kg_store *store, const char *doc_id, const kg_mention *m, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_mention) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO mentions (id, entity_id, document_id,"
                               " chunk_id, char_start, char_end, surface, type, confidence,"
                               " method) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               &s->ins_mention, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_mention;
    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->chunk_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, m->start);
    sqlite3_bind_int64(st, 6, m->end);
    sqlite3_bind_text(st, 7, m->surface, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, m->type, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 9, m->confidence);
    sqlite3_bind_text(st, 10, m->method, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting a mention");
    return kg_sq_rows_note(s, doc_id, KG_ROWS_MENTIONS, err);
}

static int sq_evidence_insert(kg_store *store, const char *doc_id, const kg_relation *rel,
                              kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_evidence) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO relation_evidence (id, source_id,"
                               " target_id, type, document_id, chunk_id, char_start, char_end,"
                               " confidence, method) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               &s->ins_evidence, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_evidence;
    /* RELATED_TO is undirected and stored with its ends in id order, the
     * order the rebuild groups it by (graph_store.h). */
    const char *src = rel->source_id, *dst = rel->target_id;
    if (strcmp(rel->type, "RELATED_TO") == 0 && strcmp(src, dst) > 0) {
        src = rel->target_id;
        dst = rel->source_id;
    }
    sqlite3_bind_text(st, 1, rel->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, dst, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rel->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, rel->chunk_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, rel->start);
    sqlite3_bind_int64(st, 8, rel->end);
    sqlite3_bind_double(st, 9, rel->confidence);
    sqlite3_bind_text(st, 10, rel->method, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting relation evidence");
    return kg_sq_rows_note(s, doc_id, KG_ROWS_EVIDENCE, err);
}

static int sq_doc_entity_insert(kg_store *store, const char *doc_id, const kg_entity *e,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_doc_entity) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO doc_entities (document_id, entity_id, name, key, type,"
                               " aliases, mentions, confidence) VALUES (?,?,?,?,?,?,?,?)"
                               " ON CONFLICT (document_id, entity_id) DO UPDATE SET"
                               " mentions = mentions + excluded.mentions,"
                               " confidence = max(confidence, excluded.confidence)",
                               &s->ins_doc_entity, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_doc_entity;
    int rc = KG_OK;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->aliases ? e->aliases : "[]", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, e->mentions);
    sqlite3_bind_double(st, 8, e->confidence);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "inserting a document entity");
    sqlite3_reset(st);
    return rc;
}

static int sq_doc_remap_entities(kg_store *store, const char *doc_id, const kg_id_remap *map,
                                 size_t n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (n == 0)
        return KG_OK;
    int rc = kg_sq_exec(s,
                        "CREATE TEMP TABLE IF NOT EXISTS kg_remap (src TEXT PRIMARY KEY, dst TEXT);"
                        "DELETE FROM kg_remap;",
                        err);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = kg_sq_prepare(s, "INSERT OR REPLACE INTO kg_remap VALUES (?, ?)", &st, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_text(st, 1, map[i].from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, map[i].to, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "remapping entities");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* One statement per table: each row is read with its old id, so a chain
     * a->b, b->c moves a to b and b to c, never a to c.  Only rows that name
     * a renamed id are touched.  What a rename leaves behind (an entity
     * related to itself, or one sentence relating two forms of one entity to
     * a third twice) is skipped when the graph is rebuilt, not deleted here:
     * deleting would scan every row of the document. */
    /* The document's rows are found by their rowid stretch (no index on
     * document_id: schema migration 8), checked by document_id. */
    kg_row_span rows[2];
    if ((rc = kg_sq_rows_of(s, doc_id, rows, err)))
        return rc;
    static const char *const sql[] = {
        "UPDATE mentions SET entity_id = (SELECT dst FROM kg_remap WHERE src = entity_id)"
        " WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1"
        " AND entity_id IN (SELECT src FROM kg_remap)",
        /* RELATED_TO stays in id order after the rename: min/max of the
         * renamed ends (BINARY, as the ">" of the insert). */
        "UPDATE relation_evidence SET"
        " source_id = CASE WHEN type = 'RELATED_TO' THEN"
        "  min(coalesce((SELECT dst FROM kg_remap WHERE src = source_id), source_id),"
        "      coalesce((SELECT dst FROM kg_remap WHERE src = target_id), target_id))"
        "  ELSE coalesce((SELECT dst FROM kg_remap WHERE src = source_id), source_id) END,"
        " target_id = CASE WHEN type = 'RELATED_TO' THEN"
        "  max(coalesce((SELECT dst FROM kg_remap WHERE src = source_id), source_id),"
        "      coalesce((SELECT dst FROM kg_remap WHERE src = target_id), target_id))"
        "  ELSE coalesce((SELECT dst FROM kg_remap WHERE src = target_id), target_id) END"
        " WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1"
        " AND (source_id IN (SELECT src FROM kg_remap) OR target_id IN (SELECT src FROM kg_remap))",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
        if ((rc = kg_sq_prepare(s, sql[i], &st, err)))
            break;
        sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, rows[i].from);
        sqlite3_bind_int64(st, 3, rows[i].to);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "remapping entities");
        sqlite3_finalize(st);
    }
    return rc;
}

static int sq_bulk_begin(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return kg_sq_exec(s,
                      "DROP INDEX IF EXISTS mentions_entity;"
                      "DROP INDEX IF EXISTS relation_evidence_pair;",
                      err);
}

/* Run sql, which builds indexes, with SQLite's sorter working in parallel.
 * Building an index is a sort of every row, and the callers do it when
 * nothing else runs.  SQLite sorts in parallel only when the keys are cut
 * into several runs, and a run is as large as the page cache, so for these
 * statements the cache is made small (the table pages they read are read
 * once, in order) and auxiliary sorter threads are allowed, one fewer than
 * the processors.  On 2 cores this took the 15 MB benchmark's bulk index
 * builds from about 0.9 s to 0.6 s (docs/benchmarks.md).  Both settings go
 * back afterwards, whatever happened. */
static int build_indexes(kg_sq *s, const char *sql, kg_err *err)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = ncpu > 4 ? 3 : ncpu > 1 ? (int)ncpu - 1 : 0;
    char pre[96];
    snprintf(pre, sizeof pre, "PRAGMA threads=%d; PRAGMA cache_size=-%d", threads,
             KG_STORE_SORT_CACHE_KIB);
    int rc = kg_sq_exec(s, pre, err);
    if (!rc)
        rc = kg_sq_exec(s, sql, err);
    kg_err e2;
    char post[96];
    snprintf(post, sizeof post, "PRAGMA threads=0; PRAGMA cache_size=-%d", KG_STORE_CACHE_KIB);
    int rc2 = kg_sq_exec(s, post, rc ? &e2 : err);
    return rc ? rc : rc2;
}

static int sq_bulk_end(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* The same definitions as the migrations (mentions_entity: 1,
     * relation_evidence_pair: 5). */
    return build_indexes(s,
                         "CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);"
                         "CREATE INDEX IF NOT EXISTS relation_evidence_pair ON relation_evidence"
                         "(source_id, target_id, type, document_id, char_start, confidence DESC,"
                         " method);",
                         err);
}

static int sq_graph_set_dirty(kg_store *store, int dirty, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return kg_sq_exec(s,
                      dirty ? "INSERT OR REPLACE INTO meta VALUES ('graph_dirty', '1')"
                            : "DELETE FROM meta WHERE key = 'graph_dirty'",
                      err);
}

static int sq_graph_is_dirty(kg_store *store, int *dirty, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT 1 FROM meta WHERE key = 'graph_dirty'", &st, err);
    if (rc)
        return rc;
    int r = sqlite3_step(st);
    *dirty = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading the graph state");
    sqlite3_finalize(st);
    return rc;
}

/* ---- the rows of a rebuild ------------------------------------------------- */

static int sq_graph_clear(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* Every relationship is written again: without its two indexes, which
     * graph_finish then builds by one sort each, instead of an index insert
     * per row (0.08 s of the 15 MB benchmark's 0.48 s rebuild).  The
     * definitions are migration 4's. */
    return kg_sq_exec(s,
                      "DELETE FROM entities;"
                      "DROP INDEX IF EXISTS relationships_source;"
                      "DROP INDEX IF EXISTS relationships_target;"
                      "DELETE FROM relationships;",
                      err);
}

static int sq_graph_finish(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return build_indexes(s,
                         "CREATE INDEX relationships_source ON relationships"
                         "(source_id, confidence DESC);"
                         "CREATE INDEX relationships_target ON relationships"
                         "(target_id, confidence DESC);",
                         err);
}

/* With fusion decisions (store/merge_store) rows are grouped by their
 * mapped id, the surviving entity's own rows first.  Ties are broken by
 * name and document id, never by the order documents were written in: the
 * same documents give the same names however an ingest was interrupted
 * ('Model network' and 'model network', each mentioned as often, name the
 * entity 'Model network' whichever came first). */
static int sq_doc_entities_each(kg_store *store, int fused, kg_doc_entity_fn fn, void *ud,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           fused ? "SELECT coalesce(m.into_id, d.entity_id) AS eid, d.name, d.key,"
                                   " d.type, d.aliases, d.mentions, d.confidence"
                                   " FROM doc_entities d LEFT JOIN entity_merge_map m"
                                   " ON m.from_id = d.entity_id"
                                   " ORDER BY eid, m.into_id IS NOT NULL, d.mentions DESC,"
                                   " length(d.name) DESC, d.name, d.document_id"
                                 : "SELECT entity_id, name, key, type, aliases, mentions,"
                                   " confidence FROM doc_entities ORDER BY entity_id,"
                                   " mentions DESC, length(name) DESC, name, document_id",
                           &q, err);
    if (rc)
        return rc;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_doc_entity_row row = {kg_sq_text(q, 0),           kg_sq_text(q, 1),
                                 kg_sq_text(q, 2),           kg_sq_text(q, 3),
                                 kg_sq_text(q, 4),           sqlite3_column_int64(q, 5),
                                 sqlite3_column_double(q, 6)};
        rc = fn(ud, &row);
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading document entities");
    sqlite3_finalize(q);
    return rc;
}

static int sq_entity_put(kg_store *store, const kg_entity *e, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_entity) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO entities (id, name, key, type, confidence, mentions,"
                               " aliases) VALUES (?,?,?,?,?,?,?)",
                               &s->ins_entity, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *ins = s->ins_entity;
    sqlite3_bind_text(ins, 1, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, e->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, e->type, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, 5, e->confidence);
    sqlite3_bind_int64(ins, 6, e->mentions);
    sqlite3_bind_text(ins, 7, e->aliases ? e->aliases : "[]", -1, SQLITE_STATIC);
    int r = sqlite3_step(ins);
    sqlite3_reset(ins);
    return r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "rebuilding entities");
}

/* Evidence with its ends mapped through the fusion decisions (RELATED_TO
 * kept in id order), in the order of the pair index; this one sorts. */
static const char mapped_evidence_sql[] =
    "SELECT src, dst, type, confidence, method, document_id, char_start FROM ("
    " SELECT CASE WHEN type = 'RELATED_TO' THEN min(s2, t2) ELSE s2 END AS src,"
    "  CASE WHEN type = 'RELATED_TO' THEN max(s2, t2) ELSE t2 END AS dst,"
    "  type, confidence, method, document_id, char_start FROM ("
    "  SELECT coalesce(ms.into_id, r.source_id) AS s2, coalesce(mt.into_id, r.target_id) AS t2,"
    "   r.type, r.confidence, r.method, r.document_id, r.char_start FROM relation_evidence r"
    "   LEFT JOIN entity_merge_map ms ON ms.from_id = r.source_id"
    "   LEFT JOIN entity_merge_map mt ON mt.from_id = r.target_id))"
    " WHERE src != dst"
    " ORDER BY src, dst, type, document_id, char_start, confidence DESC, method";

static int sq_doc_evidence_each(kg_store *store, int fused, kg_doc_evidence_fn fn, void *ud,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    /* RELATED_TO is undirected and stored with its ends in id order, so
     * each pair is one group.  Unfused, the order is exactly the pair
     * index's (covering): a walk of the index, no sort. */
    int rc = kg_sq_prepare(
        s,
        fused ? mapped_evidence_sql
              : "SELECT r.source_id, r.target_id, r.type, r.confidence, r.method,"
                " r.document_id, r.char_start"
                " FROM relation_evidence r"
                " WHERE r.source_id != r.target_id"
                " ORDER BY r.source_id, r.target_id, r.type, r.document_id, r.char_start,"
                " r.confidence DESC, r.method",
        &q, err);
    if (rc)
        return rc;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_doc_evidence_row row = {kg_sq_text(q, 0),          kg_sq_text(q, 1),
                                   kg_sq_text(q, 2),          sqlite3_column_double(q, 3),
                                   kg_sq_text(q, 4),          kg_sq_text(q, 5),
                                   sqlite3_column_int64(q, 6)};
        rc = fn(ud, &row);
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading relation evidence");
    sqlite3_finalize(q);
    return rc;
}

static int sq_relationship_put(kg_store *store, const kg_relation *rel, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_relationship) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO relationships (id, source_id, target_id, type, weight,"
                               " confidence, method, support) VALUES (?,?,?,?,?,?,?,?)",
                               &s->ins_relationship, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *ins = s->ins_relationship;
    sqlite3_bind_text(ins, 1, rel->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, rel->source_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, rel->target_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, rel->type, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, 5, rel->weight);
    sqlite3_bind_double(ins, 6, rel->confidence);
    sqlite3_bind_text(ins, 7, rel->method, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 8, rel->support);
    int r = sqlite3_step(ins);
    sqlite3_reset(ins);
    return r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "rebuilding relationships");
}

/* ---- loading ------------------------------------------------------------- */

static int sq_graph_load(kg_store *store, kg_graph_data *g, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(g, 0, sizeof *g);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, name, type, aliases, mentions, pagerank FROM entities",
                           &q, err);
    if (rc)
        return rc;
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(g->nodes, g->nnodes, cap);
        kg_graph_node *n = &g->nodes[g->nnodes++];
        memset(n, 0, sizeof *n);
        kg_sq_copy_id(n->id, kg_sq_text(q, 0));
        n->name = kg_xstrdup(kg_sq_text(q, 1));
        snprintf(n->type, sizeof n->type, "%s", kg_sq_text(q, 2));
        n->aliases = kg_xstrdup(kg_sq_text(q, 3));
        n->mentions = sqlite3_column_int64(q, 4);
        n->pagerank = sqlite3_column_double(q, 5);
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        kg_graph_data_free(g);
        return kg_sq_err(s, err, "loading entities");
    }
    if ((rc = kg_sq_prepare(s,
                            "SELECT id, source_id, target_id, type, weight, confidence, method,"
                            " support FROM relationships",
                            &q, err))) {
        kg_graph_data_free(g);
        return rc;
    }
    cap = 0;
    /* Node index by id while loading edges: ids are unique, so the set's
     * index of each id is its node's. */
    kg_idset t = KG_IDSET_INIT;
    for (size_t i = 0; i < g->nnodes; i++)
        kg_idset_add(&t, g->nodes[i].id, NULL);
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        long a = kg_idset_find(&t, kg_sq_text(q, 1));
        long b = kg_idset_find(&t, kg_sq_text(q, 2));
        if (a < 0 || b < 0)
            continue;
        kg_vec_room(g->edges, g->nedges, cap);
        kg_graph_edge *e = &g->edges[g->nedges++];
        memset(e, 0, sizeof *e);
        kg_sq_copy_id(e->id, kg_sq_text(q, 0));
        e->src = (int)a;
        e->dst = (int)b;
        snprintf(e->type, sizeof e->type, "%s", kg_sq_text(q, 3));
        e->weight = sqlite3_column_double(q, 4);
        e->confidence = sqlite3_column_double(q, 5);
        snprintf(e->method, sizeof e->method, "%s", kg_sq_text(q, 6));
        e->support = sqlite3_column_int64(q, 7);
    }
    sqlite3_finalize(q);
    kg_idset_free(&t);
    if (r != SQLITE_DONE) {
        kg_graph_data_free(g);
        return kg_sq_err(s, err, "loading relationships");
    }
    return KG_OK;
}

static int sq_entity_scores_write(kg_store *store, const kg_graph_data *g, const double *score,
                                  const int64_t *rank, const double *pct, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "UPDATE entities SET pagerank = ?, rank = ?, percentile = ?"
                           " WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < g->nnodes && !rc; i++) {
        sqlite3_bind_double(st, 1, score[i]);
        sqlite3_bind_int64(st, 2, rank[i]);
        sqlite3_bind_double(st, 3, pct[i]);
        sqlite3_bind_text(st, 4, g->nodes[i].id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "writing PageRank scores");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

const kg_graph_store_methods kg_sq_graph_store_methods = {
    .mention_insert = sq_mention_insert,
    .evidence_insert = sq_evidence_insert,
    .doc_entity_insert = sq_doc_entity_insert,
    .doc_remap_entities = sq_doc_remap_entities,
    .bulk_begin = sq_bulk_begin,
    .bulk_end = sq_bulk_end,
    .graph_set_dirty = sq_graph_set_dirty,
    .graph_is_dirty = sq_graph_is_dirty,
    .graph_clear = sq_graph_clear,
    .doc_entities_each = sq_doc_entities_each,
    .entity_put = sq_entity_put,
    .doc_evidence_each = sq_doc_evidence_each,
    .relationship_put = sq_relationship_put,
    .graph_finish = sq_graph_finish,
    .graph_load = sq_graph_load,
    .entity_scores_write = sq_entity_scores_write,
};
