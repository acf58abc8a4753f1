/* sq_vector: the SQLite methods of store/vector_store.h.  Statements are prepared per call;
 * blobs are encoded little-endian byte by byte, so a database moves between
 * hosts of either byte order. */
#include "store/vector_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/vec.h"
#include "store/sqlite/sq_internal.h"

#define SNIPPET_BYTES 200

static void put_u32(unsigned char *p, uint32_t u)
{
    p[0] = (unsigned char)u;
    p[1] = (unsigned char)(u >> 8);
    p[2] = (unsigned char)(u >> 16);
    p[3] = (unsigned char)(u >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned char *encode_f32(const float *v, size_t n)
{
    unsigned char *b = kg_xmalloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        put_u32(b + 4 * i, u);
    }
    return b;
}

static void decode_f32(const unsigned char *b, size_t n, float *v)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u = get_u32(b + 4 * i);
        memcpy(&v[i], &u, 4);
    }
}

static int sq_vec_put(kg_store *store, const char *owner_id, const char *model, const float *v,
                      int dim, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT OR REPLACE INTO embeddings (owner_id, model, dim, vector) "
                           "VALUES (?, ?, ?, ?)",
                           &st, err);
    if (rc)
        return rc;
    unsigned char *blob = encode_f32(v, (size_t)dim);
    sqlite3_bind_text(st, 1, owner_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, dim);
    sqlite3_bind_blob(st, 4, blob, dim * 4, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "storing a vector");
    sqlite3_finalize(st);
    free(blob);
    return rc;
}

/* The row's vector, checked: columns dim (i) and vector (i + 1). */
static int row_vector(sqlite3_stmt *st, int i, float **v, int *dim, kg_err *err)
{
    int d = sqlite3_column_int(st, i);
    const unsigned char *b = sqlite3_column_blob(st, i + 1);
    int bytes = sqlite3_column_bytes(st, i + 1);
    if (d <= 0 || bytes != d * 4 || !b)
        return kg_err_set(err, KG_EFORMAT, "a stored vector has %d bytes for %d dimensions", bytes,
                          d);
    if (*dim < d)
        *v = kg_xrealloc(*v, (size_t)d * sizeof **v);
    *dim = d;
    decode_f32(b, (size_t)d, *v);
    return KG_OK;
}

static int sq_vec_get(kg_store *store, const char *owner_id, const char *model, float **v, int *dim,
                      int *found, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *v = NULL;
    *dim = 0;
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT dim, vector FROM embeddings WHERE owner_id = ? AND model = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, owner_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        rc = row_vector(st, 0, v, dim, err);
        *found = rc == KG_OK;
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a vector");
    }
    sqlite3_finalize(st);
    if (rc) {
        free(*v);
        *v = NULL;
        *dim = 0;
    }
    return rc;
}

static int sq_vec_each(kg_store *store, const char *model, kg_vec_cb cb, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT owner_id, dim, vector FROM embeddings WHERE model = ? "
                           "ORDER BY owner_id",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    float *v = NULL;
    int cap = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int dim = cap;
        rc = row_vector(st, 1, &v, &dim, err);
        if (rc)
            break;
        cap = cap > dim ? cap : dim;
        rc = cb(ud, kg_sq_text(st, 0), v, dim);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading vectors");
    sqlite3_finalize(st);
    free(v);
    return rc;
}

static int sq_vec_count(kg_store *store, const char *model, int64_t *out, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *out = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT count(*) FROM embeddings WHERE model = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = kg_sq_err(s, err, "counting vectors");
    sqlite3_finalize(st);
    return rc;
}

static int sq_vec_delete_model(kg_store *store, const char *model, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "DELETE FROM embeddings WHERE model = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "deleting vectors");
    sqlite3_finalize(st);
    return rc;
}

static int sq_vec_chunks_each(kg_store *store, kg_vec_chunk_cb cb, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, text FROM chunks ORDER BY id", &st, err);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        rc = cb(ud, kg_sq_text(st, 0), kg_sq_text(st, 1));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading chunks");
    sqlite3_finalize(st);
    return rc;
}

static int sq_vec_missing(kg_store *store, const char *model, char ***ids, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT c.id FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM "
                           "embeddings e WHERE e.owner_id = c.id AND e.model = ?) ORDER BY c.id",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_vec_room(*ids, *n, cap);
        (*ids)[(*n)++] = kg_xstrdup(kg_sq_text(st, 0));
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "listing chunks without vectors");
    sqlite3_finalize(st);
    return rc;
}

static int sq_vec_chunk_text(kg_store *store, const char *chunk_id, char **text, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *text = NULL;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT text FROM chunks WHERE id = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, chunk_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *text = kg_xstrdup(kg_sq_text(st, 0));
    else if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading a chunk");
    sqlite3_finalize(st);
    return rc;
}

/* The first words of text, cut at a word boundary and never inside a UTF-8
 * sequence, with "..." when cut. */
static char *snippet_of(const char *text)
{
    size_t n = strlen(text);
    if (n <= SNIPPET_BYTES)
        return kg_xstrdup(text);
    size_t cut = SNIPPET_BYTES;
    while (cut > SNIPPET_BYTES / 2 && text[cut] != ' ')
        cut--;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    kg_buf b = KG_BUF_INIT;
    kg_buf_append(&b, text, cut);
    kg_buf_puts(&b, "...");
    return kg_buf_steal(&b);
}

static int sq_vec_chunk_hit(kg_store *store, const char *chunk_id, kg_search_hit *out, int *found,
                            kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(out, 0, sizeof *out);
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s,
        "SELECT c.document_id, c.id, d.path, d.title, c.page_start, "
        "c.char_start, c.char_end, c.text, c.section FROM chunks c JOIN documents d "
        "ON d.id = c.document_id WHERE c.id = ?",
        &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, chunk_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        kg_sq_copy_id(out->doc_id, kg_sq_text(st, 0));
        kg_sq_copy_id(out->chunk_id, kg_sq_text(st, 1));
        out->path = kg_xstrdup(kg_sq_text(st, 2));
        out->title = kg_xstrdup(kg_sq_text(st, 3));
        out->page = sqlite3_column_int(st, 4);
        out->char_start = sqlite3_column_int64(st, 5);
        out->char_end = sqlite3_column_int64(st, 6);
        out->snippet = snippet_of(kg_sq_text(st, 7));
        if (sqlite3_column_type(st, 8) == SQLITE_TEXT)
            out->section = kg_xstrdup(kg_sq_text(st, 8));
        *found = 1;
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a chunk");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_vec_fit_put(kg_store *store, const char *model, uint32_t docs,
                          const char *corpus_hash, const uint32_t *df, size_t buckets, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT OR REPLACE INTO embedding_fits (model, documents, "
                           "corpus_hash, df, fitted_at) VALUES (?, ?, ?, ?, ?)",
                           &st, err);
    if (rc)
        return rc;
    unsigned char *blob = kg_xmalloc(buckets * 4 + 1);
    for (size_t i = 0; i < buckets; i++)
        put_u32(blob + 4 * i, df[i]);
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)docs);
    sqlite3_bind_text(st, 3, corpus_hash, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, blob, (int)(buckets * 4), SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "storing an embedding fit");
    sqlite3_finalize(st);
    free(blob);
    return rc;
}

static int sq_vec_fit_get(kg_store *store, const char *model, size_t buckets, uint32_t *docs,
                          char corpus_hash[65], uint32_t **df, int *found, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *found = 0;
    *df = NULL;
    *docs = 0;
    corpus_hash[0] = '\0';
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s, "SELECT documents, corpus_hash, df FROM embedding_fits WHERE model = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 2);
        size_t bytes = (size_t)sqlite3_column_bytes(st, 2);
        if (!b || bytes != buckets * 4) {
            rc = kg_err_set(err, KG_EFORMAT, "the stored fit of %s has %zu bytes, expected %zu",
                            model, bytes, buckets * 4);
        } else {
            *docs = (uint32_t)sqlite3_column_int64(st, 0);
            snprintf(corpus_hash, 65, "%s", kg_sq_text(st, 1));
            *df = kg_xmalloc(buckets * sizeof **df);
            for (size_t i = 0; i < buckets; i++)
                (*df)[i] = get_u32(b + 4 * i);
            *found = 1;
        }
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading an embedding fit");
    }
    sqlite3_finalize(st);
    return rc;
}

const kg_vector_store_methods kg_sq_vector_store_methods = {
    .put = sq_vec_put,
    .get = sq_vec_get,
    .each = sq_vec_each,
    .count = sq_vec_count,
    .delete_model = sq_vec_delete_model,
    .chunks_each = sq_vec_chunks_each,
    .missing = sq_vec_missing,
    .chunk_text = sq_vec_chunk_text,
    .chunk_hit = sq_vec_chunk_hit,
    .fit_put = sq_vec_fit_put,
    .fit_get = sq_vec_fit_get,
};
