/* sq_retrieval: the SQLite methods of store/retrieval_store.h.  Each function prepares its
 * statements once and runs them per id: a walk asks about a few hundred
 * ids, and preparing costs more than a look-up. */
#include "store/retrieval_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/merge_store.h"
#include "store/sqlite/sq_internal.h"

static int step_err(kg_sq *s, int r, int stop, kg_err *err, const char *what)
{
    return stop || r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, what);
}

static int sq_search_ids(kg_store *store, const char *query, int limit, kg_rs_hit_fn fn, void *ud,
                         kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    char *fq = kg_sq_fts_query(query);
    if (!fq)
        return kg_err_set(err, KG_EINVAL, "search: the query '%s' has no words to search for",
                          query);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT c.id, bm25(chunks_fts) FROM chunks_fts"
                           " JOIN chunks c ON c.rowid = chunks_fts.rowid"
                           " WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
                           &q, err);
    if (!rc) {
        sqlite3_bind_text(q, 1, fq, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, limit > 0 ? limit : 10);
        int r, stop = 0;
        while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
            stop = fn(kg_sq_text(q, 0), -sqlite3_column_double(q, 1), ud);
        rc = step_err(s, r, stop, err, "searching");
    }
    sqlite3_finalize(q);
    free(fq);
    return rc;
}

static int sq_in_transaction(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    return !sqlite3_get_autocommit(s->db);
}

static int sq_chunk_count(kg_store *store, int64_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *n = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT count(*) FROM chunks", &q, err);
    if (!rc) {
        int r = sqlite3_step(q);
        if (r == SQLITE_ROW)
            *n = sqlite3_column_int64(q, 0);
        else
            rc = kg_sq_err(s, err, "counting chunks");
    }
    sqlite3_finalize(q);
    return rc;
}

static int sq_names_exact_many(kg_store *store, const char *const *norms, size_t n,
                               kg_rs_name_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT entity_id FROM entity_names WHERE norm = ?", &q, err);
    int stop = 0;
    for (size_t i = 0; !rc && !stop && i < n; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, norms[i], -1, SQLITE_STATIC);
        int r;
        while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
            stop = fn(i, kg_sq_text(q, 0), ud);
        rc = step_err(s, r, stop, err, "looking up entity names");
    }
    sqlite3_finalize(q);
    return rc;
}

/* ^"w1 w2 ..." OR ^"..." : the phrases at the start of the text; words
 * are the phrases' letters and digits, so no FTS5 syntax passes through. */
static char *initial_phrases(const char *const *phrases, size_t n)
{
    kg_buf b = KG_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        size_t mark = b.len;
        kg_buf_puts(&b, b.len ? " OR ^\"" : "^\"");
        int words = 0, in = 0;
        for (const unsigned char *p = (const unsigned char *)phrases[i]; *p; p++) {
            int w = *p >= 0x80 || (*p >= '0' && *p <= '9') ||
                    ((*p | 32) >= 'a' && (*p | 32) <= 'z');
            if (w) {
                if (!in && words)
                    kg_buf_putc(&b, ' ');
                words += !in;
                kg_buf_putc(&b, (char)*p);
            }
            in = w;
        }
        if (words)
            kg_buf_putc(&b, '"');
        else
            kg_buf_truncate(&b, mark);
    }
    if (!b.len) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_steal(&b);
}

static int sq_title_chunks(kg_store *store, const char *const *phrases, size_t n, int limit,
                           kg_rs_title_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    char *fq = initial_phrases(phrases, n);
    if (!fq)
        return KG_OK;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT c.id, c.document_id, d.title FROM chunks_fts"
                           " JOIN chunks c ON c.rowid = chunks_fts.rowid"
                           " JOIN documents d ON d.id = c.document_id"
                           " WHERE chunks_fts MATCH ? AND c.ordinal = 0 LIMIT ?",
                           &q, err);
    if (!rc) {
        sqlite3_bind_text(q, 1, fq, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, limit > 0 ? limit : 64);
        int r, stop = 0;
        while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
            stop = fn(kg_sq_text(q, 0), kg_sq_text(q, 1), kg_sq_text(q, 2), ud);
        rc = step_err(s, r, stop, err, "looking up titles");
    }
    sqlite3_finalize(q);
    free(fq);
    return rc;
}

static int sq_chunks_entities(kg_store *store, const char *const *chunk_ids, size_t n,
                              kg_rs_chunk_entity_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int merged = kg_merge_map_active(store);
    /* The document's stretch of mention rows, then those of the chunk. */
    const char *sql =
        merged ? "SELECT coalesce(mm.into_id, m.entity_id) AS e, count(*), en.mentions"
                 " FROM chunks c JOIN documents d ON d.id = c.document_id"
                 " JOIN mentions m ON m.rowid BETWEEN d.mention_rows_from AND d.mention_rows_to"
                 " LEFT JOIN entity_merge_map mm ON mm.from_id = m.entity_id"
                 " JOIN entities en ON en.id = coalesce(mm.into_id, m.entity_id)"
                 " WHERE c.id = ?1 AND m.chunk_id = ?1 GROUP BY e"
               : "SELECT m.entity_id, count(*), en.mentions"
                 " FROM chunks c JOIN documents d ON d.id = c.document_id"
                 " JOIN mentions m ON m.rowid BETWEEN d.mention_rows_from AND d.mention_rows_to"
                 " JOIN entities en ON en.id = m.entity_id"
                 " WHERE c.id = ?1 AND m.chunk_id = ?1 GROUP BY m.entity_id";
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, sql, &q, err);
    int stop = 0;
    for (size_t i = 0; !rc && !stop && i < n; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, chunk_ids[i], -1, SQLITE_STATIC);
        int r;
        while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
            stop = fn(chunk_ids[i], kg_sq_text(q, 0), sqlite3_column_int(q, 1),
                      sqlite3_column_int64(q, 2), ud);
        rc = step_err(s, r, stop, err, "reading the entities of chunks");
    }
    sqlite3_finalize(q);
    return rc;
}

typedef struct chunk_count {
    char id[KG_ID_MAX];
    int n;
} chunk_count;

/* One entity's chunks: the first rows of its mentions (and of the entities
 * merged into it), counted per chunk in order of first appearance. */
static int entity_chunks(kg_sq *s, sqlite3_stmt *q, const char *id, int cap,
                         kg_rs_entity_chunk_fn fn, void *ud, int *stop, kg_err *err)
{
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, 4 * cap);
    chunk_count *v = kg_xcalloc((size_t)cap + 1, sizeof *v);
    int nv = 0, r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *c = kg_sq_text(q, 0);
        int k = nv - 1;
        while (k >= 0 && strcmp(v[k].id, c) != 0)
            k--;
        if (k >= 0)
            v[k].n++;
        else if (nv < cap) {
            kg_sq_copy_id(v[nv].id, c);
            v[nv++].n = 1;
        }
    }
    int rc = step_err(s, r, 0, err, "reading the chunks of entities");
    for (int k = 0; !rc && !*stop && k < nv; k++)
        *stop = fn(id, v[k].id, v[k].n, ud);
    free(v);
    return rc;
}

static int sq_entities_chunks(kg_store *store, const char *const *entity_ids, size_t n, int cap,
                              kg_rs_entity_chunk_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (cap < 1)
        cap = 1;
    const char *sql = kg_merge_map_active(store)
                          ? "SELECT chunk_id FROM mentions WHERE entity_id IN (SELECT ?1 UNION ALL"
                            " SELECT from_id FROM entity_merge_map WHERE into_id = ?1) LIMIT ?2"
                          : "SELECT chunk_id FROM mentions WHERE entity_id = ?1 LIMIT ?2";
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, sql, &q, err);
    int stop = 0;
    for (size_t i = 0; !rc && !stop && i < n; i++)
        rc = entity_chunks(s, q, entity_ids[i], cap, fn, ud, &stop, err);
    sqlite3_finalize(q);
    return rc;
}

static int sq_entities_relations(kg_store *store, const char *const *entity_ids, size_t n,
                                 int fanout, kg_rs_relation_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    static const char *const sql[2] = {
        "SELECT r.target_id, r.type, r.confidence, e.mentions FROM relationships r"
        " JOIN entities e ON e.id = r.target_id WHERE r.source_id = ?1"
        " ORDER BY r.confidence DESC LIMIT ?2",
        "SELECT r.source_id, r.type, r.confidence, e.mentions FROM relationships r"
        " JOIN entities e ON e.id = r.source_id WHERE r.target_id = ?1"
        " ORDER BY r.confidence DESC LIMIT ?2"};
    int rc = KG_OK, stop = 0;
    for (int dir = 0; dir < 2 && !rc && !stop; dir++) {
        sqlite3_stmt *q = NULL;
        rc = kg_sq_prepare(s, sql[dir], &q, err);
        for (size_t i = 0; !rc && !stop && i < n; i++) {
            sqlite3_reset(q);
            sqlite3_bind_text(q, 1, entity_ids[i], -1, SQLITE_STATIC);
            sqlite3_bind_int(q, 2, fanout > 0 ? fanout : 1);
            int r;
            while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
                stop = fn(entity_ids[i], kg_sq_text(q, 0), kg_sq_text(q, 1),
                          sqlite3_column_double(q, 2), sqlite3_column_int64(q, 3), ud);
            rc = step_err(s, r, stop, err, "reading the relations of entities");
        }
        sqlite3_finalize(q);
    }
    return rc;
}

const kg_retrieval_store_methods kg_sq_retrieval_store_methods = {
    .search_ids = sq_search_ids,
    .in_transaction = sq_in_transaction,
    .chunk_count = sq_chunk_count,
    .names_exact_many = sq_names_exact_many,
    .title_chunks = sq_title_chunks,
    .chunks_entities = sq_chunks_entities,
    .entities_chunks = sq_entities_chunks,
    .entities_relations = sq_entities_relations,
};
