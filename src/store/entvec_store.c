/* entvec_store: see entvec_store.h.  One statement per call. */
#include "store/entvec_store.h"

#include <stdlib.h>

#include "base/buf.h"
#include "store/store_internal.h"

int kg_store_entity_chunk_counts(kg_store *s, kg_entity_chunk_cb fn, void *ud, kg_err *err)
{
    sqlite3_stmt *q = NULL;
    /* The join keeps mentions of ids no longer in the graph out: an entity
     * vector exists only for an entity one can find. */
    int rc = kg_sq_prepare(s,
                           "SELECT m.entity_id, m.chunk_id, count(*) FROM mentions m"
                           " JOIN entities e ON e.id = m.entity_id"
                           " GROUP BY m.entity_id, m.chunk_id ORDER BY m.entity_id, m.chunk_id",
                           &q, err);
    if (rc)
        return rc;
    int r, stop = 0;
    while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
        stop = fn(ud, kg_sq_text(q, 0), kg_sq_text(q, 1), sqlite3_column_int(q, 2));
    rc = stop ? stop : r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "reading mentions by chunk");
    sqlite3_finalize(q);
    return rc;
}

int kg_store_meta_get(kg_store *s, const char *key, char **value, kg_err *err)
{
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

int kg_store_meta_put(kg_store *s, const char *key, const char *value, kg_err *err)
{
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
