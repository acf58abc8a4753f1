/* graph_walk: see graph_walk.h.  The neighbourhood is read level by level
 * into a node table (ids numbered by base/idset) and an edge list, then
 * compressed (graph/csr) and walked (graph/pagerank's personalised walk). */
#include "search/graph_walk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/idset.h"
#include "base/vec.h"
#include "graph/csr.h"
#include "graph/pagerank.h"
#include "store/retrieval_store.h"

#define WALK_MAX_ITER 60
#define WALK_TOL 1e-9

/* ---- relation weights ------------------------------------------------------- */

/* How much a relationship of a type carries the walk, before its
 * confidence.  Typed relations (nlp/relate's patterns, and those a model
 * will add) say two entities are related the way a question's hops are;
 * co-occurrence only that they share a sentence, which the chunk -- entity
 * edges already express.  Extend the table as relation types are added. */
static const struct {
    const char *type;
    double weight;
} REL_WEIGHTS[] = {
    {"RELATED_TO", 0.25}, {"WORKS_FOR", 1.0}, {"MEMBER_OF", 1.0},
    {"LOCATED_IN", 1.0},  {"LEADS", 1.0},     {"CREATED", 1.0},
    {"OWNS", 1.0},        {"USES", 1.0},      {"COLLABORATES_WITH", 1.0},
};
#define REL_OTHER 0.8 /* any other type: a verb's subject and object */

double kg_walk_relation_weight(const char *type)
{
    for (size_t i = 0; i < sizeof REL_WEIGHTS / sizeof REL_WEIGHTS[0]; i++)
        if (strcmp(type, REL_WEIGHTS[i].type) == 0)
            return REL_WEIGHTS[i].weight;
    return REL_OTHER;
}

void kg_walk_opts_default(kg_walk_opts *o)
{
    o->damping = 0.5;
    o->levels = 2;
    o->chunk_fanout = 64; /* seeds; a quarter further out */
    o->relation_fanout = 16;
    o->max_nodes = 20000;
    o->typed_scale = 1.0;
    o->cooccur_scale = 1.0;
}

/* ---- the neighbourhood --------------------------------------------------------- */

typedef struct wnode {
    char id[KG_ID_MAX];
    int level;
    int is_chunk;
    int read;    /* its edges were read */
    double norm; /* its whole out-weight (entities: mentions + relations) */
} wnode;

typedef struct hood {
    wnode *v;
    int n;
    size_t cap;
    kg_idset ids;    /* node id -> index: ids.n == n, index i is v[i] */
    uint64_t *pairs; /* edges added, (a << 32 | b) with a < b; open addressing */
    size_t npairs, cappairs;
    kg_edge_list el;
    int max_nodes, truncated;
} hood;

static int find(const hood *h, const char *id)
{
    return (int)kg_idset_find(&h->ids, id);
}

/* The node's index, added at `level` when new; -1 beyond max_nodes. */
static int node(hood *h, const char *id, int level, double norm)
{
    int k = find(h, id);
    if (k >= 0)
        return k;
    if (h->n >= h->max_nodes) {
        h->truncated = 1;
        return -1;
    }
    kg_vec_room(h->v, h->n, h->cap);
    wnode *x = &h->v[h->n];
    memset(x, 0, sizeof *x);
    snprintf(x->id, sizeof x->id, "%s", id);
    x->level = level;
    x->is_chunk = strncmp(id, "chunk_", 6) == 0;
    x->norm = norm;
    kg_idset_add(&h->ids, id, NULL); /* index h->n: nodes are only added here */
    return h->n++;
}

/* Add the undirected edge a -- b once (the two ends may both read it). */
static int edge(hood *h, int a, int b, double w)
{
    if (a < 0 || b < 0 || a == b || !(w > 0))
        return 0;
    uint64_t key = a < b ? ((uint64_t)a << 32 | (uint32_t)b) : ((uint64_t)b << 32 | (uint32_t)a);
    key++; /* 0 marks an empty slot */
    if ((h->npairs + 1) * 2 > h->cappairs) {
        size_t oldcap = h->cappairs;
        uint64_t *old = h->pairs;
        h->cappairs = oldcap ? 2 * oldcap : 4096;
        h->pairs = kg_xcalloc(h->cappairs, sizeof *h->pairs);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i]) {
                size_t j = (size_t)(old[i] * 0x9E3779B97F4A7C15ULL) & (h->cappairs - 1);
                while (h->pairs[j])
                    j = (j + 1) & (h->cappairs - 1);
                h->pairs[j] = old[i];
            }
        free(old);
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (h->cappairs - 1);
    while (h->pairs[j] && h->pairs[j] != key)
        j = (j + 1) & (h->cappairs - 1);
    if (h->pairs[j])
        return 0;
    h->pairs[j] = key;
    h->npairs++;
    kg_edge_list_add_undirected(&h->el, a, b, w);
    return 1;
}

typedef struct level_ctx {
    hood *h;
    int level;
    const kg_walk_opts *o;
} level_ctx;

static int on_chunk_entity(const char *chunk_id, const char *entity_id, int mentions,
                           int64_t entity_mentions, void *ud)
{
    level_ctx *c = ud;
    int a = find(c->h, chunk_id);
    int b = node(c->h, entity_id, c->level + 1, (double)entity_mentions);
    if (b >= 0 && c->h->v[b].norm < (double)entity_mentions)
        c->h->v[b].norm = (double)entity_mentions;
    edge(c->h, a, b, mentions);
    return 0;
}

static int on_entity_chunk(const char *entity_id, const char *chunk_id, int mentions, void *ud)
{
    level_ctx *c = ud;
    int a = find(c->h, entity_id);
    int b = node(c->h, chunk_id, c->level + 1, 0);
    edge(c->h, a, b, mentions);
    return 0;
}

static int on_relation(const char *entity_id, const char *other_id, const char *type,
                       double confidence, int64_t other_mentions, void *ud)
{
    level_ctx *c = ud;
    double scale = strcmp(type, "RELATED_TO") == 0 ? c->o->cooccur_scale : c->o->typed_scale;
    double w = kg_walk_relation_weight(type) * confidence * scale;
    if (!(w > 0))
        return 0;
    int a = find(c->h, entity_id);
    int b = node(c->h, other_id, c->level + 1, (double)other_mentions);
    if (edge(c->h, a, b, w)) {
        c->h->v[a].norm += w;
        c->h->v[b].norm += w;
    }
    return 0;
}

/* Read the edges of the nodes at `level`. */
static int read_level(kg_store *s, hood *h, int level, const kg_walk_opts *o, kg_err *err)
{
    const char **chunks = kg_xcalloc((size_t)h->n + 1, sizeof *chunks);
    const char **ents = kg_xcalloc((size_t)h->n + 1, sizeof *ents);
    size_t nc = 0, ne = 0;
    int last = level == o->levels - 1;
    for (int i = 0; i < h->n; i++) {
        if (h->v[i].level != level)
            continue;
        h->v[i].read = !(last && h->v[i].is_chunk);
        if (h->v[i].is_chunk)
            chunks[nc++] = h->v[i].id;
        else
            ents[ne++] = h->v[i].id;
    }
    /* The ids point into h->v, which grows: copy them first. */
    char(*cid)[KG_ID_MAX] = kg_xcalloc(nc + ne + 1, KG_ID_MAX);
    for (size_t i = 0; i < nc; i++) {
        memcpy(cid[i], chunks[i], KG_ID_MAX);
        chunks[i] = cid[i];
    }
    for (size_t i = 0; i < ne; i++) {
        memcpy(cid[nc + i], ents[i], KG_ID_MAX);
        ents[i] = cid[nc + i];
    }
    /* The last level reads only what leads to chunks: entities reached
     * from there would score nothing, and its chunks keep what reaches
     * them. */
    level_ctx c = {h, level, o};
    int rc = last ? KG_OK : kg_store_chunks_entities(s, chunks, nc, on_chunk_entity, &c, err);
    /* All the chunks of a named entity that matter, fewer of an entity
     * reached on the way: a hub's share per chunk is small. */
    int fanout = level == 0 ? o->chunk_fanout : (o->chunk_fanout + 3) / 4;
    if (!rc)
        rc = kg_store_entities_chunks(s, ents, ne, fanout, on_entity_chunk, &c, err);
    if (!rc && !last && o->relation_fanout > 0)
        rc = kg_store_entities_relations(s, ents, ne, o->relation_fanout, on_relation, &c, err);
    free(cid);
    free(chunks);
    free(ents);
    return rc;
}

/* ---- the walk ------------------------------------------------------------------- */

static int by_score(const void *a, const void *b)
{
    const kg_walk_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->chunk_id, y->chunk_id);
}

static int walk(hood *h, const double *restart, const kg_walk_opts *o, kg_walk_hit **hits,
                size_t *nhits, kg_walk_report *rep, kg_err *err)
{
    h->el.n = h->n;
    kg_csr *g = NULL;
    int rc = kg_csr_build(&h->el, &g, err);
    if (rc)
        return rc;
    double *norm = kg_xcalloc((size_t)h->n + 1, sizeof *norm);
    for (int i = 0; i < h->n; i++)
        /* A chunk whose edges were not read keeps what reaches it. */
        norm[i] = h->v[i].is_chunk && !h->v[i].read ? HUGE_VAL : h->v[i].norm;
    double *x = kg_xcalloc((size_t)h->n + 1, sizeof *x);
    rc = kg_pagerank_personal(g, o->damping, restart, norm, WALK_MAX_ITER, WALK_TOL, x,
                              &rep->iterations, err);
    rep->edges = g->m / 2;
    kg_csr_free(g);
    free(norm);
    size_t m = 0;
    *hits = kg_xcalloc((size_t)h->n + 1, sizeof **hits);
    for (int i = 0; !rc && i < h->n; i++)
        if (h->v[i].is_chunk && x[i] > 0) {
            snprintf((*hits)[m].chunk_id, KG_ID_MAX, "%s", h->v[i].id);
            (*hits)[m++].score = x[i];
        }
    free(x);
    if (m)
        qsort(*hits, m, sizeof **hits, by_score);
    *nhits = m;
    return rc;
}

int kg_graph_walk(kg_store *s, const kg_walk_seed *seeds, size_t n, const kg_walk_opts *opts,
                  kg_walk_hit **hits, size_t *nhits, kg_walk_report *rep, kg_err *err)
{
    *hits = NULL;
    *nhits = 0;
    memset(rep, 0, sizeof *rep);
    kg_walk_opts o;
    if (opts)
        o = *opts;
    else
        kg_walk_opts_default(&o);
    hood h = {.max_nodes = o.max_nodes > 0 ? o.max_nodes : 20000};
    kg_edge_list_init(&h.el, 0);
    for (size_t i = 0; i < n; i++)
        if (seeds[i].weight > 0 && seeds[i].id[0])
            node(&h, seeds[i].id, 0, (double)seeds[i].mentions);
    int rc = KG_OK;
    for (int level = 0; !rc && h.n && level < o.levels && !h.truncated; level++)
        rc = read_level(s, &h, level, &o, err);
    if (!rc && h.n) {
        double *restart = kg_xcalloc((size_t)h.n + 1, sizeof *restart);
        for (size_t i = 0; i < n; i++) {
            int k = seeds[i].weight > 0 ? find(&h, seeds[i].id) : -1;
            if (k >= 0)
                restart[k] += seeds[i].weight;
        }
        for (int i = 0; i < h.n; i++) {
            rep->chunks += h.v[i].is_chunk;
            rep->entities += !h.v[i].is_chunk;
        }
        rc = walk(&h, restart, &o, hits, nhits, rep, err);
        free(restart);
    }
    rep->truncated = h.truncated;
    if (rc) {
        free(*hits);
        *hits = NULL;
        *nhits = 0;
    }
    kg_edge_list_free(&h.el);
    free(h.v);
    kg_idset_free(&h.ids);
    free(h.pairs);
    return rc;
}
