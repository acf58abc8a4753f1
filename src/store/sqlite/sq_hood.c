/* sq_hood: the SQLite methods of store/hood_store.h. */
#include "store/hood_store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/idset.h"
#include "base/vec.h"
#include "store/sqlite/sq_internal.h"

/* ---- sets of entity ids (base/idset) --------------------------------------- */

/* 1 when id was added, 0 when it was there already. */
static int idset_add(kg_idset *s, const char *id)
{
    int added;
    kg_idset_add(s, id, &added);
    return added;
}

static int idset_has(const kg_idset *s, const char *id)
{
    return kg_idset_find(s, id) >= 0;
}

/* ---- entity_names ----------------------------------------------------------- */

static int insert_name(sqlite3_stmt *ins, const char *norm, const char *id)
{
    sqlite3_bind_text(ins, 1, norm, -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 2, (unsigned char)norm[0]);
    sqlite3_bind_int64(ins, 3, (sqlite3_int64)strlen(norm));
    sqlite3_bind_text(ins, 4, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(ins);
    sqlite3_reset(ins);
    return r == SQLITE_DONE ? 0 : -1;
}

/* The distinct non-empty normal forms of one entity's name and aliases. */
static int write_entity_names(sqlite3_stmt *ins, const char *id, const char *name,
                              const char *aliases, char *(*norm)(const char *))
{
    json_t *al = aliases && strcmp(aliases, "[]") != 0 ? json_loads(aliases, 0, NULL) : NULL;
    size_t na = json_is_array(al) ? json_array_size(al) : 0;
    char **forms = kg_xcalloc(na + 1, sizeof *forms);
    size_t nf = 0;
    int bad = 0;
    for (size_t i = 0; i <= na && !bad; i++) {
        const char *src = i == 0 ? name : json_string_value(json_array_get(al, i - 1));
        if (!src)
            continue;
        char *f = norm(src);
        int dup = !f[0];
        for (size_t k = 0; k < nf && !dup; k++)
            dup = strcmp(forms[k], f) == 0;
        if (dup) {
            free(f);
            continue;
        }
        forms[nf++] = f;
        bad = insert_name(ins, f, id);
    }
    for (size_t k = 0; k < nf; k++)
        free(forms[k]);
    free(forms);
    json_decref(al);
    return bad;
}

static int sq_names_rewrite(kg_store *store, char *(*norm)(const char *), kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int rc = kg_sq_exec(s, "DELETE FROM entity_names", err);
    if (rc)
        return rc;
    sqlite3_stmt *q = NULL, *ins = NULL;
    if ((rc = kg_sq_prepare(s, "SELECT id, name, aliases FROM entities", &q, err)) ||
        (rc = kg_sq_prepare(s,
                            "INSERT INTO entity_names(norm, head, len, entity_id)"
                            " VALUES (?, ?, ?, ?)",
                            &ins, err))) {
        sqlite3_finalize(q);
        return rc;
    }
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW)
        if (write_entity_names(ins, kg_sq_text(q, 0), kg_sq_text(q, 1), kg_sq_text(q, 2), norm)) {
            rc = kg_sq_err(s, err, "writing the entity name index");
            break;
        }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading entities for the name index");
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    return rc;
}

static int sq_names_ready(kg_store *store, int *ready, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT EXISTS (SELECT 1 FROM entity_names),"
                           " EXISTS (SELECT 1 FROM entities)",
                           &q, err);
    if (rc)
        return rc;
    if (sqlite3_step(q) == SQLITE_ROW)
        *ready = sqlite3_column_int(q, 0) || !sqlite3_column_int(q, 1);
    else
        rc = kg_sq_err(s, err, "reading the entity name index");
    sqlite3_finalize(q);
    return rc;
}

static int each_name(kg_sq *s, sqlite3_stmt *q, kg_name_fn fn, void *ud, kg_err *err)
{
    int r, stop = 0;
    while (!stop && (r = sqlite3_step(q)) == SQLITE_ROW)
        stop = fn(kg_sq_text(q, 0), kg_sq_text(q, 1), ud);
    int rc = stop || r == SQLITE_DONE ? KG_OK : kg_sq_err(s, err, "looking up entity names");
    sqlite3_finalize(q);
    return rc;
}

static int sq_names_exact(kg_store *store, const char *norm, kg_name_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT norm, entity_id FROM entity_names WHERE norm = ?", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, norm, -1, SQLITE_STATIC);
    return each_name(s, q, fn, ud, err);
}

static int sq_names_near(kg_store *store, const char *norm, int min_len, int max_len, kg_name_fn fn,
                         void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT norm, entity_id FROM entity_names"
                           " WHERE head = ? AND len BETWEEN ? AND ?",
                           &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int(q, 1, (unsigned char)norm[0]);
    sqlite3_bind_int(q, 2, min_len);
    sqlite3_bind_int(q, 3, max_len);
    return each_name(s, q, fn, ud, err);
}

/* ---- nodes ------------------------------------------------------------------ */

typedef struct ranked_node {
    sqlite3_int64 rowid;
    kg_graph_node n;
} ranked_node;

static int by_rowid_node(const void *a, const void *b)
{
    sqlite3_int64 x = ((const ranked_node *)a)->rowid, y = ((const ranked_node *)b)->rowid;
    return (x > y) - (x < y);
}

static int sq_graph_load_nodes(kg_store *store, const char *const *ids, size_t n, kg_graph_data *g,
                               kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(g, 0, sizeof *g);
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT rowid, id, name, type, aliases, mentions, pagerank"
                           " FROM entities WHERE id = ?",
                           &q, err);
    if (rc)
        return rc;
    ranked_node *v = kg_xcalloc(n ? n : 1, sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_text(q, 1, ids[i], -1, SQLITE_STATIC);
        int r = sqlite3_step(q);
        if (r == SQLITE_ROW) {
            ranked_node *x = &v[m++];
            x->rowid = sqlite3_column_int64(q, 0);
            kg_sq_copy_id(x->n.id, kg_sq_text(q, 1));
            x->n.name = kg_xstrdup(kg_sq_text(q, 2));
            kg_sq_copy_str(x->n.type, sizeof x->n.type, kg_sq_text(q, 3));
            x->n.aliases = kg_xstrdup(kg_sq_text(q, 4));
            x->n.mentions = sqlite3_column_int64(q, 5);
            x->n.pagerank = sqlite3_column_double(q, 6);
        } else if (r != SQLITE_DONE) {
            rc = kg_sq_err(s, err, "loading entities");
        }
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (m)
        qsort(v, m, sizeof *v, by_rowid_node);
    g->nodes = kg_xcalloc(m ? m : 1, sizeof *g->nodes);
    for (size_t i = 0; i < m; i++)
        g->nodes[i] = v[i].n;
    g->nnodes = m;
    free(v);
    if (rc)
        kg_graph_data_free(g);
    return rc;
}

/* ---- the neighbourhood -------------------------------------------------------- */

typedef struct hood_edge {
    sqlite3_int64 rowid;
    char src[KG_ID_MAX], dst[KG_ID_MAX];
    kg_graph_edge e;
} hood_edge;

typedef struct hood {
    kg_sq *s;
    sqlite3_stmt *out, *in; /* one node's edges by confidence, each direction */
    hood_edge *row;         /* merge buffer for adjacent() */
    size_t nrow, caprow;
    kg_idset queued; /* seeds and every node reached: walked once at most */
    kg_idset walked;
    kg_idset nodes; /* every entity to load */
    hood_edge *edges;
    size_t nedges, cap;
} hood;

static void hood_free(hood *h)
{
    sqlite3_finalize(h->out);
    sqlite3_finalize(h->in);
    free(h->row);
    kg_idset_free(&h->queued);
    kg_idset_free(&h->walked);
    kg_idset_free(&h->nodes);
    free(h->edges);
}

static void read_edge(sqlite3_stmt *q, hood_edge *x)
{
    memset(x, 0, sizeof *x);
    x->rowid = sqlite3_column_int64(q, 0);
    kg_sq_copy_id(x->e.id, kg_sq_text(q, 1));
    kg_sq_copy_id(x->src, kg_sq_text(q, 2));
    kg_sq_copy_id(x->dst, kg_sq_text(q, 3));
    kg_sq_copy_str(x->e.type, sizeof x->e.type, kg_sq_text(q, 4));
    x->e.weight = sqlite3_column_double(q, 5);
    x->e.confidence = sqlite3_column_double(q, 6);
    kg_sq_copy_str(x->e.method, sizeof x->e.method, kg_sq_text(q, 7));
    x->e.support = sqlite3_column_int64(q, 8);
}

/* Append the rows of q (bound to node u) to h->row. */
static int read_rows(hood *h, sqlite3_stmt *q, const char *u, int limit, kg_err *err)
{
    sqlite3_bind_text(q, 1, u, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 2, limit);
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        kg_vec_room(h->row, h->nrow, h->caprow);
        read_edge(q, &h->row[h->nrow++]);
    }
    sqlite3_reset(q);
    return r == SQLITE_DONE ? KG_OK : kg_sq_err(h->s, err, "walking relationships");
}

/* graph/query's adjacency order: confidence, then position (rowid). */
static int by_adjacency(const void *a, const void *b)
{
    const hood_edge *x = a, *y = b;
    if (x->e.confidence != y->e.confidence)
        return x->e.confidence > y->e.confidence ? -1 : 1;
    return (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

/* u's `limit` first edges in adjacency order (all when limit < 0), into
 * h->row[0..nrow).  Each direction is read from its index in that order
 * and stops at the limit, so a hub costs `limit` rows, not its degree. */
static int adjacent(hood *h, const char *u, int limit, kg_err *err)
{
    h->nrow = 0;
    int rc = read_rows(h, h->out, u, limit, err);
    if (!rc)
        rc = read_rows(h, h->in, u, limit, err);
    if (!rc) {
        if (h->nrow)
            qsort(h->row, h->nrow, sizeof *h->row, by_adjacency);
        if (limit >= 0 && h->nrow > (size_t)limit)
            h->nrow = (size_t)limit;
    }
    return rc;
}

/* Keep relationship x (duplicates, reached from both ends, are dropped
 * when the view is assembled). */
static void keep_edge(hood *h, const hood_edge *x)
{
    kg_vec_room(h->edges, h->nedges, h->cap);
    h->edges[h->nedges++] = *x;
}

/* Walk out of u: keep its best edges, queue their other ends on next. */
static int walk_node(hood *h, const char *u, int fanout, kg_idset *next, kg_err *err)
{
    int rc = adjacent(h, u, fanout, err);
    for (size_t i = 0; !rc && i < h->nrow; i++) {
        const hood_edge *x = &h->row[i];
        const char *v = strcmp(x->src, u) == 0 ? x->dst : x->src;
        idset_add(&h->nodes, v);
        if (idset_add(&h->queued, v))
            idset_add(next, v);
        keep_edge(h, x);
    }
    return rc;
}

/* The target's neighbours, into near.  Once the walk is done, with
 * last_step set, the target's edges to walked nodes are kept too: the
 * walk of graph/query looks at a node's last step for the target even
 * beyond the fan-out cut (to tell whether the cut hid a path), so those
 * edges must be in the view whatever their rank. */
static int target_edges(hood *h, const char *target, kg_idset *near, int last_step, kg_err *err)
{
    int rc = adjacent(h, target, -1, err);
    for (size_t i = 0; !rc && i < h->nrow; i++) {
        const hood_edge *x = &h->row[i];
        const char *v = strcmp(x->src, target) == 0 ? x->dst : x->src;
        if (!last_step)
            idset_add(near, v);
        else if (idset_has(&h->walked, v))
            keep_edge(h, x);
    }
    return rc;
}

static int by_rowid_edge(const void *a, const void *b)
{
    sqlite3_int64 x = ((const hood_edge *)a)->rowid, y = ((const hood_edge *)b)->rowid;
    return (x > y) - (x < y);
}

/* Nodes by rowid, then the edges between loaded nodes, by rowid. */
static int assemble(hood *h, kg_graph_data *g, kg_err *err)
{
    const char **ids = kg_xcalloc(h->nodes.n + 1, sizeof *ids);
    for (size_t i = 0; i < h->nodes.n; i++)
        ids[i] = kg_idset_key(&h->nodes, i);
    int rc = kg_store_graph_load_nodes(&h->s->base, ids, h->nodes.n, g, err);
    free(ids);
    if (rc)
        return rc;
    kg_idset loaded = {0};
    for (size_t i = 0; i < g->nnodes; i++)
        idset_add(&loaded, g->nodes[i].id);
    /* loaded's indices are g's node order (ids are unique). */
    if (h->nedges)
        qsort(h->edges, h->nedges, sizeof *h->edges, by_rowid_edge);
    g->edges = kg_xcalloc(h->nedges + 1, sizeof *g->edges);
    for (size_t i = 0; i < h->nedges; i++) {
        if (i && h->edges[i].rowid == h->edges[i - 1].rowid)
            continue;
        long a = kg_idset_find(&loaded, h->edges[i].src);
        long b = kg_idset_find(&loaded, h->edges[i].dst);
        if (a < 0 || b < 0)
            continue; /* an end that is not an entity: the full load skips it too */
        kg_graph_edge *e = &g->edges[g->nedges++];
        *e = h->edges[i].e;
        e->src = (int)a;
        e->dst = (int)b;
    }
    kg_idset_free(&loaded);
    return KG_OK;
}

static int max_pagerank(kg_sq *s, double *out, kg_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = kg_sq_prepare(s, "SELECT max(pagerank) FROM entities", &q, err);
    if (rc)
        return rc;
    *out = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : 0;
    sqlite3_finalize(q);
    return KG_OK;
}

static int walk_levels(hood *h, const kg_hood_req *req, const kg_idset *near_target, int *too_big,
                       kg_err *err)
{
    kg_idset frontier = {0};
    int rc = KG_OK;
    for (size_t i = 0; i < req->nseeds; i++)
        if (idset_add(&h->queued, req->seeds[i]))
            idset_add(&frontier, req->seeds[i]);
    for (int level = 0; level < req->levels && frontier.n && !rc && !*too_big; level++) {
        kg_idset next = {0};
        int last = level == req->levels - 1;
        for (size_t i = 0; i < frontier.n && !rc; i++) {
            const char *u = kg_idset_key(&frontier, i);
            if ((req->target && strcmp(u, req->target) == 0) ||
                (req->target && last && !idset_has(near_target, u)))
                continue;
            if (!idset_add(&h->walked, u))
                continue;
            if (h->walked.n > req->max_walked) {
                *too_big = 1;
                break;
            }
            rc = walk_node(h, u, req->fanout, &next, err);
        }
        kg_idset_free(&frontier);
        frontier = next;
    }
    kg_idset_free(&frontier);
    return rc;
}

static int sq_graph_load_hood(kg_store *store, const kg_hood_req *req, kg_graph_data *g,
                              double *max_pr, int *too_big, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(g, 0, sizeof *g);
    *too_big = 0;
    *max_pr = 0;
    hood h = {.s = s};
    kg_idset near_target = {0};
#define EDGE_COLS "rowid, id, source_id, target_id, type, weight, confidence, method, support"
    /* A self-loop once: as an outgoing edge. */
    int rc = kg_sq_prepare(s,
                           "SELECT " EDGE_COLS " FROM relationships WHERE source_id = ?1"
                           " ORDER BY confidence DESC, rowid LIMIT ?2",
                           &h.out, err);
    if (!rc)
        rc = kg_sq_prepare(s,
                           "SELECT " EDGE_COLS " FROM relationships"
                           " WHERE target_id = ?1 AND source_id <> ?1"
                           " ORDER BY confidence DESC, rowid LIMIT ?2",
                           &h.in, err);
    if (!rc)
        rc = max_pagerank(s, max_pr, err);
    for (size_t i = 0; !rc && i < req->nseeds; i++)
        idset_add(&h.nodes, req->seeds[i]);
    for (size_t i = 0; !rc && i < req->nextra; i++)
        idset_add(&h.nodes, req->extra[i]);
    if (!rc && req->target) {
        idset_add(&h.nodes, req->target);
        rc = target_edges(&h, req->target, &near_target, 0, err);
    }
    if (!rc)
        rc = walk_levels(&h, req, &near_target, too_big, err);
    if (!rc && !*too_big && req->target)
        rc = target_edges(&h, req->target, &near_target, 1, err);
    if (!rc && !*too_big)
        rc = assemble(&h, g, err);
    kg_idset_free(&near_target);
    hood_free(&h);
    return rc;
}

const kg_hood_store_methods kg_sq_hood_store_methods = {
    .names_rewrite = sq_names_rewrite,
    .names_ready = sq_names_ready,
    .names_exact = sq_names_exact,
    .names_near = sq_names_near,
    .graph_load_nodes = sq_graph_load_nodes,
    .graph_load_hood = sq_graph_load_hood,
};
