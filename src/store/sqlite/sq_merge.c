/* sq_merge: the SQLite methods of store/merge_store.h. */
#include "store/merge_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/vec.h"
#include "store/sqlite/sq_internal.h"

typedef struct map_pair {
    char from[KG_ID_MAX], into[KG_ID_MAX];
} map_pair;

static int pair_find(const map_pair *p, size_t n, const char *from)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].from, from) == 0)
            return (int)i;
    return -1;
}

static int sq_merge_map_refresh(kg_store *store, int64_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *n = 0;
    int rc = kg_sq_exec(s, "DELETE FROM entity_merge_map", err);
    if (rc)
        return rc;
    /* Decisions whose two entities some document still contributes, in
     * the order they were taken.  A later decision about an id already
     * absorbed is ignored (it cannot be taken twice). */
    sqlite3_stmt *q = NULL;
    rc = kg_sq_prepare(s,
                       "SELECT from_id, into_id FROM entity_merges m WHERE undone = 0"
                       " AND EXISTS (SELECT 1 FROM doc_entities WHERE entity_id = m.from_id)"
                       " AND EXISTS (SELECT 1 FROM doc_entities WHERE entity_id = m.into_id)"
                       " ORDER BY id",
                       &q, err);
    if (rc)
        return rc;
    map_pair *p = NULL;
    size_t np = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *from = kg_sq_text(q, 0), *into = kg_sq_text(q, 1);
        if (strcmp(from, into) == 0 || pair_find(p, np, from) >= 0)
            continue;
        kg_vec_room(p, np, cap);
        kg_sq_copy_id(p[np].from, from);
        kg_sq_copy_id(p[np].into, into);
        np++;
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        free(p);
        return kg_sq_err(s, err, "reading merge decisions");
    }
    rc = kg_sq_prepare(s, "INSERT INTO entity_merge_map VALUES (?, ?)", &q, err);
    for (size_t i = 0; i < np && !rc; i++) {
        /* Follow the chain to its end; a cycle (at most np steps) ends
         * where it started, and then the decision is left out. */
        const char *end = p[i].into;
        for (size_t step = 0; step <= np; step++) {
            int j = pair_find(p, np, end);
            if (j < 0)
                break;
            end = p[j].into;
        }
        if (strcmp(end, p[i].from) == 0 || pair_find(p, np, end) >= 0)
            continue;
        sqlite3_bind_text(q, 1, p[i].from, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, end, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "writing the merge map");
        sqlite3_reset(q);
        (*n)++;
    }
    sqlite3_finalize(q);
    free(p);
    return rc;
}

static int sq_merge_map_active(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    /* Prepared directly: a missing table is an answer, not an error. */
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM entity_merge_map LIMIT 1", -1, &q, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(q);
        return 0;
    }
    int on = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return on;
}

static int sq_merge_insert(kg_store *store, kg_merge_rec *m, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT INTO entity_merges (from_id, into_id, from_name, into_name,"
                           " type, score, reasons, created_at) VALUES (?,?,?,?,?,?,?,?)",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, m->from_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, m->into_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, m->from_name ? m->from_name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, m->into_name ? m->into_name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, m->type, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 6, m->score);
    sqlite3_bind_text(q, 7, m->reasons ? m->reasons : "[]", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)time(NULL));
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "recording a merge");
    else
        m->id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(q);
    return rc;
}

static int sq_merge_undo(kg_store *store, int64_t id, kg_merge_rec *m, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(m, 0, sizeof *m);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT from_id, into_id, from_name, into_name, type, score, reasons"
                           " FROM entity_merges WHERE id = ? AND undone = 0",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW) {
        m->id = id;
        kg_sq_copy_id(m->from_id, kg_sq_text(q, 0));
        kg_sq_copy_id(m->into_id, kg_sq_text(q, 1));
        m->from_name = kg_xstrdup(kg_sq_text(q, 2));
        m->into_name = kg_xstrdup(kg_sq_text(q, 3));
        snprintf(m->type, sizeof m->type, "%s", kg_sq_text(q, 4));
        m->score = sqlite3_column_double(q, 5);
        m->reasons = kg_xstrdup(kg_sq_text(q, 6));
    }
    sqlite3_finalize(q);
    if (r == SQLITE_DONE)
        return kg_err_set(err, KG_ENOTFOUND, "no active merge with id %lld", (long long)id);
    if (r != SQLITE_ROW)
        return kg_sq_err(s, err, "reading a merge");
    m->undone = 1;
    if ((rc = kg_sq_prepare(s, "UPDATE entity_merges SET undone = 1 WHERE id = ?", &q, err)))
        return rc;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "undoing a merge");
    sqlite3_finalize(q);
    return rc;
}

static int sq_merge_was_undone(kg_store *store, const char *a, const char *b, int *undone,
                               kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *undone = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT 1 FROM entity_merges WHERE undone = 1 AND"
                           " ((from_id = ?1 AND into_id = ?2) OR (from_id = ?2 AND into_id = ?1))",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    *undone = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading merge decisions");
    sqlite3_finalize(q);
    return rc;
}

static int sq_merge_decided(kg_store *store, const char *from_id, int *decided, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *decided = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT 1 FROM entity_merges WHERE from_id = ?1 LIMIT 1", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, from_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    *decided = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading merge decisions");
    sqlite3_finalize(q);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sq_merge_cands_load(kg_store *store, kg_merge_cand **out, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT e.id, e.type, e.name, e.aliases, e.mentions,"
                           " group_concat(DISTINCT d.document_id), e.confidence,"
                           " (SELECT max(ingested_at) FROM documents"
                           "  WHERE id IN (SELECT document_id FROM doc_entities"
                           "  WHERE entity_id = e.id))"
                           /* CROSS JOIN: the document rows drive, each entity
                            * found by its key (not a scan per entity). */
                           " FROM (SELECT coalesce(m.into_id, d.entity_id) AS eid,"
                           " d.document_id FROM doc_entities d LEFT JOIN entity_merge_map m"
                           " ON m.from_id = d.entity_id) d CROSS JOIN entities e ON e.id = d.eid"
                           " GROUP BY e.id ORDER BY e.type, e.id",
                           &q, err);
    if (rc)
        return rc;
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(*out, *n, cap);
        kg_merge_cand *c = &(*out)[(*n)++];
        memset(c, 0, sizeof *c);
        kg_sq_copy_id(c->id, kg_sq_text(q, 0));
        snprintf(c->type, sizeof c->type, "%s", kg_sq_text(q, 1));
        c->name = kg_xstrdup(kg_sq_text(q, 2));
        c->aliases = kg_xstrdup(kg_sq_text(q, 3));
        c->mentions = sqlite3_column_int64(q, 4);
        c->confidence = sqlite3_column_double(q, 6);
        c->latest = sqlite3_column_int64(q, 7);
        char *docs = kg_xstrdup(kg_sq_text(q, 5));
        size_t cap_d = 0;
        for (char *tok = strtok(docs, ","); tok; tok = strtok(NULL, ",")) {
            kg_vec_room(c->docs, c->ndocs, cap_d);
            c->docs[c->ndocs++] = kg_xstrdup(tok);
        }
        free(docs);
        if (c->ndocs > 1)
            qsort(c->docs, (size_t)c->ndocs, sizeof *c->docs, cmp_str);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading entities for fusion");
    sqlite3_finalize(q);
    if (rc) {
        kg_merge_cands_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

const kg_merge_store_methods kg_sq_merge_store_methods = {
    .map_refresh = sq_merge_map_refresh,
    .map_active = sq_merge_map_active,
    .insert = sq_merge_insert,
    .undo = sq_merge_undo,
    .was_undone = sq_merge_was_undone,
    .decided = sq_merge_decided,
    .cands_load = sq_merge_cands_load,
};
