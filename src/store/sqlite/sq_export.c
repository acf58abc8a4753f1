/* sq_export: the SQLite methods of store/export_store.h.  SQL is assembled from fixed fragments
 * only; every value (thresholds, type names, limits) is a bound parameter. */
#include "store/export_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "store/sqlite/sq_internal.h"

/* Bound values collected while the SQL text is assembled, in order. */
typedef struct binds {
    int n;
    size_t cap;
    struct bind {
        int kind; /* 0 text, 1 double, 2 int */
        const char *text;
        double d;
        int64_t i;
    } * v;
} binds;

static struct bind *bind_next(binds *b)
{
    kg_vec_room(b->v, b->n, b->cap);
    struct bind *x = &b->v[b->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static void bind_text(binds *b, const char *t)
{
    struct bind *x = bind_next(b);
    x->kind = 0;
    x->text = t;
}

static void bind_double(binds *b, double d)
{
    struct bind *x = bind_next(b);
    x->kind = 1;
    x->d = d;
}

static void bind_int(binds *b, int64_t i)
{
    struct bind *x = bind_next(b);
    x->kind = 2;
    x->i = i;
}

static void apply_binds(sqlite3_stmt *st, const binds *b)
{
    for (int k = 0; k < b->n; k++) {
        const struct bind *x = &b->v[k];
        if (x->kind == 0)
            sqlite3_bind_text(st, k + 1, x->text, -1, SQLITE_STATIC);
        else if (x->kind == 1)
            sqlite3_bind_double(st, k + 1, x->d);
        else
            sqlite3_bind_int64(st, k + 1, x->i);
    }
}

/* " AND col IN (?, ?, ...)" for a non-empty list. */
static void in_list(kg_buf *sql, binds *b, const char *col, const char *const *v, size_t n)
{
    if (!v || n == 0)
        return;
    kg_buf_printf(sql, " AND %s IN (", col);
    for (size_t i = 0; i < n; i++) {
        kg_buf_puts(sql, i ? ", ?" : "?");
        bind_text(b, v[i]);
    }
    kg_buf_putc(sql, ')');
}

/* The entity conditions on alias `e` (always starts with a true term). */
static void entity_where(kg_buf *sql, binds *b, const kg_export_filter *f, const char *e)
{
    kg_buf_printf(sql, "%s.confidence >= ?", e);
    bind_double(b, f ? f->min_confidence : 0.0);
    if (f) {
        char col[32];
        snprintf(col, sizeof col, "%s.type", e);
        in_list(sql, b, col, f->entity_types, f->n_entity_types);
    }
}

/* The selected entities as a subquery "(SELECT id FROM ...)" (limit case). */
static void top_ids(kg_buf *sql, binds *b, const kg_export_filter *f)
{
    kg_buf_puts(sql, "(SELECT e.id FROM entities e WHERE ");
    entity_where(sql, b, f, "e");
    kg_buf_puts(sql, " ORDER BY e.pagerank DESC, e.id LIMIT ?)");
    bind_int(b, f->limit);
}

static int sq_export_nodes(kg_store *store, const kg_export_filter *f, kg_export_node_fn fn,
                           void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    kg_buf sql = KG_BUF_INIT;
    binds b = {0};
    kg_buf_puts(&sql, "SELECT e.id, e.name, e.type, e.aliases, e.pagerank, e.confidence, e.rank,"
                      " e.mentions FROM entities e WHERE ");
    entity_where(&sql, &b, f, "e");
    kg_buf_puts(&sql, " ORDER BY e.pagerank DESC, e.id");
    if (f && f->limit > 0) {
        kg_buf_puts(&sql, " LIMIT ?");
        bind_int(&b, f->limit);
    }
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &st, err);
    kg_buf_free(&sql);
    if (rc) {
        free(b.v);
        return rc;
    }
    apply_binds(st, &b);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_export_node n = {
            .id = kg_sq_text(st, 0),
            .name = kg_sq_text(st, 1),
            .type = kg_sq_text(st, 2),
            .aliases = kg_sq_text(st, 3),
            .pagerank = sqlite3_column_double(st, 4),
            .confidence = sqlite3_column_double(st, 5),
            .rank = sqlite3_column_int64(st, 6),
            .mentions = sqlite3_column_int64(st, 7),
        };
        if ((rc = fn(ud, &n)) != 0)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading entities for export");
    sqlite3_finalize(st);
    free(b.v);
    return rc;
}

/* One SELECT over relationships r; `rev` swaps the ends (and keeps only
 * undirected edges between two distinct entities). */
static void edge_select(kg_buf *sql, binds *b, const kg_export_filter *f, int rev)
{
    const char *a = rev ? "target_id" : "source_id", *z = rev ? "source_id" : "target_id";
    kg_buf_printf(sql,
                  "SELECT r.id AS id, r.%s AS src, r.%s AS dst, r.type AS type, r.weight AS w,"
                  " r.confidence AS c, r.method AS m, r.support AS sup, %d AS rev,"
                  " ea.name AS an, eb.name AS bn"
                  " FROM relationships r JOIN entities ea ON ea.id = r.%s"
                  " JOIN entities eb ON eb.id = r.%s WHERE r.confidence >= ?",
                  a, z, rev, a, z);
    bind_double(b, f ? f->min_confidence : 0.0);
    if (f)
        in_list(sql, b, "r.type", f->relation_types, f->n_relation_types);
    if (rev)
        kg_buf_puts(sql, " AND r.type = '" KG_REL_UNDIRECTED "' AND r.source_id <> r.target_id");
    if (f && f->limit > 0) {
        kg_buf_puts(sql, " AND ea.id IN ");
        top_ids(sql, b, f);
        kg_buf_puts(sql, " AND eb.id IN ");
        top_ids(sql, b, f);
    } else {
        kg_buf_puts(sql, " AND ");
        entity_where(sql, b, f, "ea");
        kg_buf_puts(sql, " AND ");
        entity_where(sql, b, f, "eb");
    }
}

static int sq_export_edges(kg_store *store, const kg_export_filter *f, unsigned flags,
                           int64_t max_rows, kg_export_edge_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    kg_buf sql = KG_BUF_INIT;
    binds b = {0};
    int wrap = (flags & KG_EXPORT_BOTH_WAYS) != 0;
    if (wrap)
        kg_buf_puts(&sql, "SELECT * FROM (");
    edge_select(&sql, &b, f, 0);
    if (wrap) {
        kg_buf_puts(&sql, " UNION ALL ");
        edge_select(&sql, &b, f, 1);
        kg_buf_puts(&sql, ")");
    }
    /* Without an ORDER BY rows come in storage order: the cheapest stream. */
    if (flags & KG_EXPORT_BY_SOURCE)
        kg_buf_puts(&sql, " ORDER BY src, dst, type, id");
    else if (flags & KG_EXPORT_BY_WEIGHT)
        kg_buf_puts(&sql, " ORDER BY w DESC, id");
    else if (flags & KG_EXPORT_BY_TYPE)
        kg_buf_puts(&sql, " ORDER BY type, id");
    if (max_rows > 0) {
        kg_buf_puts(&sql, " LIMIT ?");
        bind_int(&b, max_rows);
    }
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, kg_buf_str(&sql), &st, err);
    kg_buf_free(&sql);
    if (rc) {
        free(b.v);
        return rc;
    }
    apply_binds(st, &b);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_export_edge e = {
            .id = kg_sq_text(st, 0),
            .source = kg_sq_text(st, 1),
            .target = kg_sq_text(st, 2),
            .type = kg_sq_text(st, 3),
            .weight = sqlite3_column_double(st, 4),
            .confidence = sqlite3_column_double(st, 5),
            .method = kg_sq_text(st, 6),
            .support = sqlite3_column_int64(st, 7),
            .reversed = sqlite3_column_int(st, 8),
            .source_name = kg_sq_text(st, 9),
            .target_name = kg_sq_text(st, 10),
        };
        if ((rc = fn(ud, &e)) != 0)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading relationships for export");
    sqlite3_finalize(st);
    free(b.v);
    return rc;
}

static int sq_export_docs(kg_store *store, kg_export_doc_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s,
        "SELECT d.id, d.path, coalesce(d.title, ''), d.kind, d.pages,"
        " coalesce((SELECT substr(c.text, 1, 2000) FROM chunks c WHERE c.document_id = d.id"
        " ORDER BY c.ordinal LIMIT 1), ''),"
        " json_remove(d.paper, '$.references', '$.sections') FROM documents d ORDER BY d.path",
        &st, err);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_export_doc d = {
            .id = kg_sq_text(st, 0),
            .path = kg_sq_text(st, 1),
            .title = kg_sq_text(st, 2),
            .kind = kg_sq_text(st, 3),
            .pages = sqlite3_column_int(st, 4),
            .head = kg_sq_text(st, 5),
            .paper = sqlite3_column_type(st, 6) == SQLITE_TEXT ? kg_sq_text(st, 6) : NULL,
        };
        if ((rc = fn(ud, &d)) != 0)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading documents for export");
    sqlite3_finalize(st);
    return rc;
}

static int sq_export_begin(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* Edge ends are looked up by id all over the entities table: with the
     * default 2 MB page cache those lookups reread pages constantly.  16 MB
     * is a fixed bound, so memory still does not grow with the graph.  An
     * export reads every page once: a mapped file (KG_STORE_MAP) would
     * leave all of them resident in this process, so it reads them. */
    int rc = kg_sq_exec(s, "PRAGMA cache_size=-16384; PRAGMA mmap_size=0", err);
    return rc ? rc : kg_sq_exec(s, "BEGIN", err);
}

static void sq_export_end(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    kg_err ignored;
    kg_sq_exec(s, "ROLLBACK", &ignored);
}

const kg_export_store_methods kg_sq_export_store_methods = {
    .nodes = sq_export_nodes,
    .edges = sq_export_edges,
    .docs = sq_export_docs,
    .begin = sq_export_begin,
    .end = sq_export_end,
};
