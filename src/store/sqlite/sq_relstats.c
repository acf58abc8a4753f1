/* sq_relstats: the SQLite method of store/relation_stats.h. */
#include "store/relation_stats.h"

#include <string.h>

#include "store/sqlite/sq_internal.h"

static int run(kg_sq *s, const char *sql, int64_t *out, int n, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            out[i] = sqlite3_column_int64(st, i);
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "counting typed relations");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_relation_stats(kg_store *store, kg_relation_stats *out, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(out, 0, sizeof *out);
    int64_t ev[3] = {0}, rel[3] = {0};
    int rc = run(s,
                 "SELECT coalesce(sum(method NOT LIKE 'cooccur%' AND method <> 'paper'), 0),"
                 " coalesce(sum(method = 'cooccur-verb'), 0),"
                 " coalesce(sum(method = 'cooccur'), 0) FROM relation_evidence"
                 " WHERE source_id <> target_id",
                 ev, 3, err);
    if (!rc)
        rc = run(s,
                 "SELECT coalesce(sum(type <> 'RELATED_TO'), 0),"
                 " coalesce(sum(type = 'RELATED_TO'), 0),"
                 " (SELECT count(DISTINCT type) FROM relationships WHERE type <> 'RELATED_TO')"
                 " FROM relationships",
                 rel, 3, err);
    out->typed_evidence = ev[0];
    out->cooccur_verb_evidence = ev[1];
    out->cooccur_evidence = ev[2];
    out->typed_relationships = rel[0];
    out->cooccur_relationships = rel[1];
    out->phrases = rel[2];
    return rc;
}

const kg_relstats_store_methods kg_sq_relstats_store_methods = {
    .get = sq_relation_stats,
};
