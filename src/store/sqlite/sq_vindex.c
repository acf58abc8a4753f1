/* sq_vindex: the SQLite methods of store/vindex_store.h.  Statements are prepared per call;
 * vectors are decoded from little-endian float32 as in vector_store. */
#include "store/vindex_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "store/sqlite/sq_internal.h"

static int sq_vindex_put(kg_store *store, const char *model, const kg_vindex_row *r, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT OR REPLACE INTO vector_indexes (model, kind, dim, vectors, "
                           "fingerprint, data, built_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->dim);
    sqlite3_bind_int64(st, 4, r->vectors);
    sqlite3_bind_text(st, 5, r->fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 6, r->data, r->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, r->built_at ? r->built_at : (int64_t)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "storing a vector index");
    sqlite3_finalize(st);
    return rc;
}

static int sq_vindex_get(kg_store *store, const char *model, kg_vindex_row *r, int *found,
                         kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(r, 0, sizeof *r);
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT kind, dim, vectors, fingerprint, data, built_at FROM "
                           "vector_indexes WHERE model = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    int q = sqlite3_step(st);
    if (q == SQLITE_ROW) {
        kg_sq_copy_str(r->kind, sizeof r->kind, kg_sq_text(st, 0));
        r->dim = sqlite3_column_int(st, 1);
        r->vectors = sqlite3_column_int64(st, 2);
        kg_sq_copy_str(r->fingerprint, sizeof r->fingerprint, kg_sq_text(st, 3));
        const void *b = sqlite3_column_blob(st, 4);
        r->len = (size_t)sqlite3_column_bytes(st, 4);
        r->data = kg_xmalloc(r->len ? r->len : 1);
        if (r->len)
            memcpy(r->data, b, r->len);
        r->built_at = sqlite3_column_int64(st, 5);
        *found = 1;
    } else if (q != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a vector index");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_vindex_delete(kg_store *store, const char *model, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "DELETE FROM vector_indexes WHERE model = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "deleting a vector index");
    sqlite3_finalize(st);
    return rc;
}

static int each_row(kg_sq *s, const char *sql, const char *model, int with_vectors,
                    kg_vec_row_cb cb, void *ud, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    float *v = NULL;
    int cap = 0, q;
    while ((q = sqlite3_step(st)) == SQLITE_ROW) {
        int dim = 0;
        if (with_vectors) {
            dim = sqlite3_column_int(st, 2);
            const unsigned char *b = sqlite3_column_blob(st, 3);
            int bytes = sqlite3_column_bytes(st, 3);
            if (dim <= 0 || bytes != dim * 4 || !b) {
                rc = kg_err_set(err, KG_EFORMAT, "a stored vector has %d bytes for %d dimensions",
                                bytes, dim);
                break;
            }
            if (dim > cap)
                v = kg_xrealloc(v, (size_t)(cap = dim) * sizeof *v);
            for (int i = 0; i < dim; i++) {
                const unsigned char *p = b + 4 * i;
                uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24;
                memcpy(&v[i], &u, 4);
            }
        }
        if ((rc = cb(ud, sqlite3_column_int64(st, 0), kg_sq_text(st, 1), v, dim)) != 0)
            break;
    }
    if (!rc && q != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading vectors");
    sqlite3_finalize(st);
    free(v);
    return rc;
}

static int sq_vec_each_by_rowid(kg_store *store, const char *model, kg_vec_row_cb cb, void *ud,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return each_row(s,
                    "SELECT rowid, owner_id, dim, vector FROM embeddings WHERE model = ? "
                    "ORDER BY rowid",
                    model, 1, cb, ud, err);
}

static int sq_vec_keys_by_rowid(kg_store *store, const char *model, kg_vec_row_cb cb, void *ud,
                                kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* The covering primary-key index (owner_id, model) holds rowid and
     * owner: reading it and sorting is cheaper than walking the table,
     * whose rows carry the vectors. */
    return each_row(s,
                    "SELECT rowid, owner_id FROM embeddings INDEXED BY "
                    "sqlite_autoindex_embeddings_1 WHERE model = ? ORDER BY rowid",
                    model, 0, cb, ud, err);
}

const kg_vindex_store_methods kg_sq_vindex_store_methods = {
    .put = sq_vindex_put,
    .get = sq_vindex_get,
    .remove = sq_vindex_delete,
    .each_by_rowid = sq_vec_each_by_rowid,
    .keys_by_rowid = sq_vec_keys_by_rowid,
};
