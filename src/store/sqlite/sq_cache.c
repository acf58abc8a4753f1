/* sq_cache: the SQLite methods of store/cache_store.h.  Statements are prepared per call: the
 * cache is touched once per chunk, next to far costlier network calls. */
#include "store/cache_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "store/sqlite/sq_internal.h"

static void bind_key(sqlite3_stmt *st, const kg_cache_key *k)
{
    sqlite3_bind_text(st, 1, k->service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, k->model ? k->model : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, k->input_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, k->params_hash, -1, SQLITE_STATIC);
}

static int sq_cache_get(kg_store *store, const kg_cache_key *k, char **response_out, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *response_out = NULL;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT response FROM llm_cache WHERE service = ? AND model = ? "
                           "AND input_hash = ? AND params_hash = ?",
                           &st, err);
    if (rc)
        return rc;
    bind_key(st, k);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *response_out = kg_xstrdup(kg_sq_text(st, 0));
    else if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading the response cache");
    sqlite3_finalize(st);
    return rc;
}

static int sq_cache_put(kg_store *store, const kg_cache_key *k, const char *response, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT OR REPLACE INTO llm_cache (service, model, input_hash, "
                           "params_hash, response, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           &st, err);
    if (rc)
        return rc;
    bind_key(st, k);
    sqlite3_bind_text(st, 5, response, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "writing the response cache");
    sqlite3_finalize(st);
    return rc;
}

static int sq_cache_count(kg_store *store, const char *service, int64_t *out, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *out = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           service ? "SELECT count(*) FROM llm_cache WHERE service = ?"
                                   : "SELECT count(*) FROM llm_cache",
                           &st, err);
    if (rc)
        return rc;
    if (service)
        sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = kg_sq_err(s, err, "counting the response cache");
    sqlite3_finalize(st);
    return rc;
}

const kg_cache_store_methods kg_sq_cache_store_methods = {
    .get = sq_cache_get,
    .put = sq_cache_put,
    .count = sq_cache_count,
};
