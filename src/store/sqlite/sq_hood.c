/* sq_hood: the SQLite methods of store/hood_store.h. */
#include "store/hood_store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "store/sqlite/sq_internal.h"

/* ---- a set of entity ids -------------------------------------------------- */

/* Open addressing over kg_hash_fnv64 of the id; the ids themselves are kept in
 * insertion order, so the set doubles as the list of what was added. */
typedef struct idset {
    char (*ids)[KG_ID_MAX];
    uint64_t *hash; /* of ids[i] */
    size_t n, cap;
    size_t *slots; /* index + 1; 0 is empty */
    size_t mask;
} idset;

static void idset_free(idset *s)
{
    free(s->ids);
    free(s->hash);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static size_t idset_slot(const idset *s, const char *id, uint64_t h)
{
    size_t j = (size_t)h & s->mask;
    if (!s->hash)
        return j; /* nothing added yet: every slot is free */
    for (size_t k; (k = s->slots[j]) != 0; j = (j + 1) & s->mask)
        if (s->hash[k - 1] == h && strcmp(s->ids[k - 1], id) == 0)
            break;
    return j;
}

static uint64_t id_hash(const char *id)
{
    return kg_hash_fnv64(id, strlen(id));
}

/* ids[i] + 1 when id is in the set, else 0. */
static size_t idset_find(const idset *s, const char *id)
{
    return s->slots ? s->slots[idset_slot(s, id, id_hash(id))] : 0;
}

static int idset_has(const idset *s, const char *id)
{
    return idset_find(s, id) != 0;
}

/* 1 when id was added, 0 when it was there already. */
static int idset_add(idset *s, const char *id)
{
    if (2 * (s->n + 1) > s->mask + 1 || !s->slots) {
        size_t cap = s->slots ? 2 * (s->mask + 1) : 64;
        free(s->slots);
        s->slots = kg_xcalloc(cap, sizeof *s->slots);
        s->mask = cap - 1;
        for (size_t i = 0; i < s->n; i++)
            s->slots[idset_slot(s, s->ids[i], s->hash[i])] = i + 1;
    }
    uint64_t h = id_hash(id);
    size_t j = idset_slot(s, id, h);
    if (s->slots[j])
        return 0;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->ids = kg_xrealloc(s->ids, s->cap * sizeof *s->ids);
        s->hash = kg_xrealloc(s->hash, s->cap * sizeof *s->hash);
    }
    kg_sq_copy_id(s->ids[s->n], id);
    s->hash[s->n] = h;
    s->slots[j] = ++s->n;
    return 1;
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
    idset queued; /* seeds and every node reached: walked once at most */
    idset walked;
    idset nodes; /* every entity to load */
    hood_edge *edges;
    size_t nedges, cap;
} hood;

static void hood_free(hood *h)
{
    sqlite3_finalize(h->out);
    sqlite3_finalize(h->in);
    free(h->row);
    idset_free(&h->queued);
    idset_free(&h->walked);
    idset_free(&h->nodes);
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
        if (h->nrow == h->caprow) {
            h->caprow = h->caprow ? 2 * h->caprow : 256;
            h->row = kg_xrealloc(h->row, h->caprow * sizeof *h->row);
        }
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
    if (h->nedges == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->edges = kg_xrealloc(h->edges, h->cap * sizeof *h->edges);
    }
    h->edges[h->nedges++] = *x;
}

/* Walk out of u: keep its best edges, queue their other ends on next. */
static int walk_node(hood *h, const char *u, int fanout, idset *next, kg_err *err)
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
static int target_edges(hood *h, const char *target, idset *near, int last_step, kg_err *err)
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
        ids[i] = h->nodes.ids[i];
    int rc = kg_store_graph_load_nodes(&h->s->base, ids, h->nodes.n, g, err);
    free(ids);
    if (rc)
        return rc;
    idset loaded = {0};
    for (size_t i = 0; i < g->nnodes; i++)
        idset_add(&loaded, g->nodes[i].id);
    /* loaded's insertion order is g's node order: slot -> index. */
    if (h->nedges)
        qsort(h->edges, h->nedges, sizeof *h->edges, by_rowid_edge);
    g->edges = kg_xcalloc(h->nedges + 1, sizeof *g->edges);
    for (size_t i = 0; i < h->nedges; i++) {
        if (i && h->edges[i].rowid == h->edges[i - 1].rowid)
            continue;
        size_t a = idset_find(&loaded, h->edges[i].src);
        size_t b = idset_find(&loaded, h->edges[i].dst);
        if (!a || !b)
            continue; /* an end that is not an entity: the full load skips it too */
        kg_graph_edge *e = &g->edges[g->nedges++];
        *e = h->edges[i].e;
        e->src = (int)a - 1;
        e->dst = (int)b - 1;
    }
    idset_free(&loaded);
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

static int walk_levels(hood *h, const kg_hood_req *req, const idset *near_target, int *too_big,
                       kg_err *err)
{
    idset frontier = {0};
    int rc = KG_OK;
    for (size_t i = 0; i < req->nseeds; i++)
        if (idset_add(&h->queued, req->seeds[i]))
            idset_add(&frontier, req->seeds[i]);
    for (int level = 0; level < req->levels && frontier.n && !rc && !*too_big; level++) {
        idset next = {0};
        int last = level == req->levels - 1;
        for (size_t i = 0; i < frontier.n && !rc; i++) {
            const char *u = frontier.ids[i];
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
        idset_free(&frontier);
        frontier = next;
    }
    idset_free(&frontier);
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
    idset near_target = {0};
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
    idset_free(&near_target);
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
