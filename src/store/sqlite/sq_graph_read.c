/* sq_graph_read: the SQLite methods of store/graph_read.h. */
#include "store/graph_read.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "store/merge_store.h"
#include "store/sqlite/sq_internal.h"

/* "An entity's id, and the ids fusion merged into it" (store/merge_store)
 * for the parameter ?n (1 or 2); just "(?n)" (an equality to SQLite) when
 * nothing was merged. */
static const char *ids(int merged, int n)
{
    static const char *const with[] = {
        "(SELECT ?1 UNION ALL SELECT from_id FROM entity_merge_map WHERE into_id = ?1)",
        "(SELECT ?2 UNION ALL SELECT from_id FROM entity_merge_map WHERE into_id = ?2)"};
    static const char *const without[] = {"(?1)", "(?2)"};
    return merged ? with[n - 1] : without[n - 1];
}

static int read_entities(kg_sq *s, sqlite3_stmt *q, kg_entity_row **rows, size_t *n, kg_err *err)
{
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(*rows, *n, cap);
        kg_entity_row *e = &(*rows)[(*n)++];
        kg_sq_copy_id(e->id, kg_sq_text(q, 0));
        e->name = kg_xstrdup(kg_sq_text(q, 1));
        e->type = kg_xstrdup(kg_sq_text(q, 2));
        e->aliases = kg_xstrdup(kg_sq_text(q, 3));
        e->pagerank = sqlite3_column_double(q, 4);
        e->rank = sqlite3_column_int64(q, 5);
        e->percentile = sqlite3_column_double(q, 6);
        e->mentions = sqlite3_column_int64(q, 7);
        e->confidence = sqlite3_column_double(q, 8);
    }
    int rc = r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "reading entities");
    sqlite3_finalize(q);
    return rc;
}

#define ENTITY_COLS "id, name, type, aliases, pagerank, rank, percentile, mentions, confidence"

static int sq_top_entities(kg_store *store, const char *type, int limit, kg_entity_row **rows,
                           size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT " ENTITY_COLS " FROM entities WHERE (?1 IS NULL OR type = ?1)"
                           " ORDER BY pagerank DESC, mentions DESC, name LIMIT ?2",
                           &q, err);
    if (rc)
        return rc;
    if (type)
        sqlite3_bind_text(q, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, limit > 0 ? limit : 10);
    return read_entities(s, q, rows, n, err);
}

static int sq_find_entities(kg_store *store, const char *id_or_name, int limit,
                            kg_entity_row **rows, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    /* Exact id, then exact name, then alias; case-insensitive for names. */
    int rc = kg_sq_prepare(
        s,
        "SELECT " ENTITY_COLS " FROM entities WHERE id = ?1"
        " OR name = ?1 COLLATE NOCASE"
        " OR EXISTS (SELECT 1 FROM json_each(entities.aliases) WHERE value = ?1 COLLATE NOCASE)"
        " ORDER BY (id = ?1) DESC, (name = ?1 COLLATE NOCASE) DESC, pagerank DESC LIMIT ?2",
        &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, id_or_name, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, limit > 0 ? limit : 10);
    return read_entities(s, q, rows, n, err);
}

/* Cut text[from, to) widened to UTF-8 character boundaries. */
static char *utf8_slice(const char *text, size_t len, int64_t from, int64_t to)
{
    if (from < 0)
        from = 0;
    if (to > (int64_t)len)
        to = (int64_t)len;
    if (from > to)
        from = to;
    while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
        from--;
    while (to < (int64_t)len && ((unsigned char)text[to] & 0xC0) == 0x80)
        to++;
    char *out = kg_xstrndup(text + from, (size_t)(to - from));
    for (char *p = out; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return out;
}

static int sq_entity_mentions(kg_store *store, const char *entity_id, int limit,
                              kg_mention_row **rows, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    kg_buf sql = KG_BUF_INIT;
    kg_buf_printf(&sql,
                  "SELECT m.document_id, d.path, d.title, m.surface, c.page_start,"
                  " m.char_start, m.char_end, m.confidence, c.text, c.char_start"
                  " FROM mentions m JOIN chunks c ON c.id = m.chunk_id"
                  " JOIN documents d ON d.id = m.document_id"
                  " WHERE m.entity_id IN %s ORDER BY d.path, m.char_start LIMIT ?2",
                  ids(kg_merge_map_active(&s->base), 1));
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &q, err);
    kg_buf_free(&sql);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, limit > 0 ? limit : 20);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(*rows, *n, cap);
        kg_mention_row *m = &(*rows)[(*n)++];
        kg_sq_copy_id(m->doc_id, kg_sq_text(q, 0));
        m->path = kg_xstrdup(kg_sq_text(q, 1));
        m->title = kg_xstrdup(kg_sq_text(q, 2));
        m->surface = kg_xstrdup(kg_sq_text(q, 3));
        m->page = sqlite3_column_int(q, 4);
        m->start = sqlite3_column_int64(q, 5);
        m->end = sqlite3_column_int64(q, 6);
        m->confidence = sqlite3_column_double(q, 7);
        const char *text = (const char *)sqlite3_column_text(q, 8);
        size_t tlen = (size_t)sqlite3_column_bytes(q, 8);
        int64_t base = sqlite3_column_int64(q, 9);
        m->snippet = utf8_slice(text ? text : "", text ? tlen : 0, m->start - base - 60,
                                m->end - base + 60);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading mentions");
    sqlite3_finalize(q);
    return rc;
}

static int sq_relation_evidence(kg_store *store, const char *source_id, const char *target_id,
                                const char *type, int limit, kg_evidence_row **rows, size_t *n,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    int merged = kg_merge_map_active(&s->base);
    kg_buf sql = KG_BUF_INIT;
    kg_buf_printf(&sql,
                  "SELECT r.document_id, r.chunk_id, d.path, d.title, r.method,"
                  " c.page_start, r.char_start, r.char_end, r.confidence, c.text,"
                  " c.char_start FROM relation_evidence r"
                  " JOIN chunks c ON c.id = r.chunk_id"
                  " JOIN documents d ON d.id = r.document_id"
                  " WHERE r.type = ?3 AND ((r.source_id IN %s AND r.target_id IN %s)"
                  "  OR (r.type = 'RELATED_TO' AND r.source_id IN %s AND r.target_id IN %s))"
                  " GROUP BY r.document_id, r.char_start"
                  " ORDER BY r.confidence DESC, d.path, r.char_start LIMIT ?4",
                  ids(merged, 1), ids(merged, 2), ids(merged, 2), ids(merged, 1));
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &q, err);
    kg_buf_free(&sql);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, source_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, target_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, type, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, limit > 0 ? limit : 3);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(*rows, *n, cap);
        kg_evidence_row *e = &(*rows)[(*n)++];
        kg_sq_copy_id(e->doc_id, kg_sq_text(q, 0));
        kg_sq_copy_id(e->chunk_id, kg_sq_text(q, 1));
        e->path = kg_xstrdup(kg_sq_text(q, 2));
        e->title = kg_xstrdup(kg_sq_text(q, 3));
        e->method = kg_xstrdup(kg_sq_text(q, 4));
        e->page = sqlite3_column_int(q, 5);
        e->start = sqlite3_column_int64(q, 6);
        e->end = sqlite3_column_int64(q, 7);
        e->confidence = sqlite3_column_double(q, 8);
        const char *text = (const char *)sqlite3_column_text(q, 9);
        size_t tlen = (size_t)sqlite3_column_bytes(q, 9);
        int64_t base = sqlite3_column_int64(q, 10);
        e->sentence = utf8_slice(text ? text : "", text ? tlen : 0, e->start - base, e->end - base);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading relation evidence");
    sqlite3_finalize(q);
    return rc;
}

static int sq_entity_relations(kg_store *store, const char *entity_id, int limit,
                               kg_relation_row **rows, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT r.type, r.source_id = ?1, o.id, o.name, o.type, r.confidence,"
                           " r.support, r.method, r.weight FROM relationships r JOIN entities o"
                           " ON o.id = (CASE WHEN r.source_id = ?1 THEN r.target_id"
                           " ELSE r.source_id END)"
                           " WHERE r.source_id = ?1 OR r.target_id = ?1"
                           " ORDER BY r.weight DESC, o.name LIMIT ?2",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, limit > 0 ? limit : 50);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(*rows, *n, cap);
        kg_relation_row *x = &(*rows)[(*n)++];
        x->type = kg_xstrdup(kg_sq_text(q, 0));
        x->outgoing = sqlite3_column_int(q, 1);
        x->other_id = kg_xstrdup(kg_sq_text(q, 2));
        x->other_name = kg_xstrdup(kg_sq_text(q, 3));
        x->other_type = kg_xstrdup(kg_sq_text(q, 4));
        x->confidence = sqlite3_column_double(q, 5);
        x->support = sqlite3_column_int64(q, 6);
        x->method = kg_xstrdup(kg_sq_text(q, 7));
        x->weight = sqlite3_column_double(q, 8);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading relationships");
    sqlite3_finalize(q);
    return rc;
}

static int sq_entity_chunks(kg_store *store, const char *entity_id,
                            int (*fn)(const char *chunk_id, int mentions, void *ud), void *ud,
                            kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    kg_buf sql = KG_BUF_INIT;
    kg_buf_printf(&sql,
                  "SELECT chunk_id, count(*) FROM mentions WHERE entity_id IN %s"
                  " GROUP BY chunk_id",
                  ids(kg_merge_map_active(&s->base), 1));
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &q, err);
    kg_buf_free(&sql);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
    int r, stop = 0;
    while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
        stop = fn(kg_sq_text(q, 0), sqlite3_column_int(q, 1), ud);
    rc = stop || r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "reading an entity's chunks");
    sqlite3_finalize(q);
    return rc;
}

const kg_graph_read_methods kg_sq_graph_read_methods = {
    .top_entities = sq_top_entities,
    .find_entities = sq_find_entities,
    .entity_mentions = sq_entity_mentions,
    .relation_evidence = sq_relation_evidence,
    .entity_relations = sq_entity_relations,
    .entity_chunks = sq_entity_chunks,
};
