/* sq_entvec: the SQLite methods of store/entvec_store.h. */
#include "store/entvec_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/merge_store.h"
#include "store/sqlite/sq_internal.h"

/* The text of a chunk, looked up when the chunk changes: mentions come
 * sorted by entity, so the text is read once per (entity, chunk) at most,
 * and never sorted along with them. */
typedef struct chunk_text {
    sqlite3_stmt *q;
    char id[KG_ID_MAX];
    char *text;
    size_t len;
    int64_t base; /* the chunk's char_start in its document */
} chunk_text;

static int chunk_load(kg_sq *s, chunk_text *c, const char *id, kg_err *err)
{
    if (c->text && strcmp(c->id, id) == 0)
        return KG_OK;
    free(c->text);
    c->text = NULL;
    c->len = 0;
    sqlite3_reset(c->q);
    sqlite3_bind_text(c->q, 1, id, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(c->q);
    if (r == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(c->q, 0);
        c->len = t ? (size_t)sqlite3_column_bytes(c->q, 0) : 0;
        c->text = kg_xstrndup(t ? t : "", c->len);
        c->base = sqlite3_column_int64(c->q, 1);
    } else if (r == SQLITE_DONE) {
        c->text = kg_xstrdup(""); /* a mention of a chunk gone: no context */
        c->base = 0;
    } else {
        return kg_sq_err(s, err, "reading a chunk");
    }
    kg_sq_copy_id(c->id, id);
    return KG_OK;
}

static int sq_mention_contexts(kg_store *store, const char *entity_id, int limit,
                               kg_mention_ctx_cb fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int merged = kg_merge_map_active(&s->base);
    kg_buf sql = KG_BUF_INIT;
    if (entity_id)
        kg_buf_printf(&sql,
                      "SELECT ?1, chunk_id, char_start, char_end FROM mentions"
                      " WHERE entity_id IN %s ORDER BY chunk_id, char_start, char_end"
                      " LIMIT ?2",
                      merged ? "(SELECT ?1 UNION ALL SELECT from_id FROM entity_merge_map"
                               " WHERE into_id = ?1)"
                             : "(?1)");
    else
        /* The join keeps mentions of ids no longer in the graph out: an
         * entity vector exists only for an entity one can find. */
        kg_buf_printf(&sql,
                      "SELECT e.id, m.chunk_id, m.char_start, m.char_end FROM mentions m%s"
                      " JOIN entities e ON e.id = %s"
                      " ORDER BY e.id, m.chunk_id, m.char_start, m.char_end",
                      merged ? " LEFT JOIN entity_merge_map mm ON mm.from_id = m.entity_id" : "",
                      merged ? "coalesce(mm.into_id, m.entity_id)" : "m.entity_id");
    sqlite3_stmt *q = NULL;
    chunk_text c = {0};
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &q, err);
    kg_buf_free(&sql);
    if (!rc)
        rc = kg_sq_prepare(s, "SELECT text, char_start FROM chunks WHERE id = ?", &c.q, err);
    if (rc) {
        sqlite3_finalize(q);
        return rc;
    }
    if (entity_id) {
        sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, limit > 0 ? limit : -1);
    }
    int r = SQLITE_DONE, stop = 0;
    while (!stop && !rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        rc = chunk_load(s, &c, kg_sq_text(q, 1), err);
        if (rc)
            break;
        kg_mention_ctx m = {kg_sq_text(q, 0),
                            kg_sq_text(q, 1),
                            c.text,
                            c.len,
                            sqlite3_column_int64(q, 2) - c.base,
                            sqlite3_column_int64(q, 3) - c.base};
        stop = fn(ud, &m);
    }
    if (!rc)
        rc = stop                                  ? stop
             : r == SQLITE_ROW || r == SQLITE_DONE ? KG_OK
                                                   : kg_sq_err(s, err, "reading mentions");
    free(c.text);
    sqlite3_finalize(c.q);
    sqlite3_finalize(q);
    return rc;
}

static int sq_meta_get(kg_store *store, const char *key, char **value, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *value = NULL;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT value FROM meta WHERE key = ?", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW)
        *value = kg_xstrdup(kg_sq_text(q, 0));
    rc = r == SQLITE_ROW || r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "reading meta");
    sqlite3_finalize(q);
    return rc;
}

static int sq_meta_put(kg_store *store, const char *key, const char *value, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           value ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
                                 : "DELETE FROM meta WHERE key = ?",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    if (value)
        sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(q) == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "writing meta");
    sqlite3_finalize(q);
    return rc;
}

const kg_entvec_store_methods kg_sq_entvec_store_methods = {
    .mention_contexts = sq_mention_contexts,
    .meta_get = sq_meta_get,
    .meta_put = sq_meta_put,
};
