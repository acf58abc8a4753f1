/* graph_rebuild: see graph_rebuild.h. */
#include "graphops/graph_rebuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "graph/graph_rules.h"
#include "store/merge_store.h"

/* The graph handed back while it is built. */
typedef struct rebuild_out {
    kg_graph_data *g; /* NULL: nothing to hand back */
    size_t node_cap, edge_cap;
} rebuild_out;

/* ---- entities -------------------------------------------------------------- */

typedef struct ent_state {
    kg_store *s;
    rebuild_out *out;
    kg_entity_acc a; /* a.name NULL: none open */
    kg_err *err;
} ent_state;

static void node_append(rebuild_out *out, const kg_entity_acc *a, const char *aliases)
{
    kg_graph_data *g = out->g;
    kg_vec_room(g->nodes, g->nnodes, out->node_cap);
    kg_graph_node *n = &g->nodes[g->nnodes++];
    memset(n, 0, sizeof *n);
    snprintf(n->id, sizeof n->id, "%s", a->id);
    n->name = kg_xstrdup(a->name);
    snprintf(n->type, sizeof n->type, "%s", a->type);
    n->aliases = kg_xstrdup(aliases);
    n->mentions = a->mentions;
}

/* Write the open entity (if any) and close it. */
static int ent_flush(ent_state *st)
{
    kg_entity_acc *a = &st->a;
    if (!a->name)
        return KG_OK;
    char *aliases = kg_entity_acc_aliases(a);
    kg_entity e;
    memset(&e, 0, sizeof e);
    memcpy(e.id, a->id, sizeof e.id);
    e.name = a->name;
    e.key = a->key;
    memcpy(e.type, a->type, sizeof e.type);
    e.confidence = a->confidence;
    e.mentions = a->mentions;
    e.aliases = aliases;
    int rc = kg_store_entity_put(st->s, &e, st->err);
    if (!rc && st->out->g)
        node_append(st->out, a, aliases);
    free(aliases);
    kg_entity_acc_clear(a);
    return rc;
}

static int on_doc_entity(void *ud, const kg_doc_entity_row *r)
{
    ent_state *st = ud;
    if (!st->a.name || strcmp(st->a.id, r->entity_id) != 0) {
        int rc = ent_flush(st);
        if (rc)
            return rc;
        /* Rows come most-mentioned first (ties by name, then document id):
         * that row's name wins. */
        kg_entity_acc_start(&st->a, r->entity_id, r->name, r->key, r->type);
    }
    kg_entity_acc_add(&st->a, r->name, r->aliases, r->mentions, r->confidence);
    return KG_OK;
}

static int rebuild_entities(kg_store *s, int fused, rebuild_out *out, kg_err *err)
{
    ent_state st;
    memset(&st, 0, sizeof st);
    st.s = s;
    st.out = out;
    st.err = err;
    int rc = kg_store_doc_entities_each(s, fused, on_doc_entity, &st, err);
    if (!rc)
        rc = ent_flush(&st);
    else
        kg_entity_acc_clear(&st.a);
    return rc;
}

/* ---- relationships --------------------------------------------------------- */

typedef struct rel_state {
    kg_store *s;
    rebuild_out *out;
    kg_err *err;
    int open;
    char src[KG_ID_MAX], dst[KG_ID_MAX], type[KG_TYPE_MAX];
    kg_edge_acc acc;
    char last_doc[KG_ID_MAX]; /* the previous evidence row, to skip repeats */
    int64_t last_at;
} rel_state;

/* Index of the node with this id among the rebuilt ones, which come in id
 * order (BINARY, as strcmp), or -1. */
static int node_find(const kg_graph_data *g, const char *id)
{
    size_t lo = 0, hi = g->nnodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->nodes[mid].id, id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static void edge_append(rebuild_out *out, const kg_relation *r)
{
    kg_graph_data *g = out->g;
    int src = node_find(g, r->source_id), dst = node_find(g, r->target_id);
    if (src < 0 || dst < 0)
        return; /* as kg_store_graph_load skips an edge without its ends */
    kg_vec_room(g->edges, g->nedges, out->edge_cap);
    kg_graph_edge *e = &g->edges[g->nedges++];
    memset(e, 0, sizeof *e);
    memcpy(e->id, r->id, sizeof e->id);
    e->src = src;
    e->dst = dst;
    memcpy(e->type, r->type, sizeof e->type);
    e->weight = r->weight;
    e->confidence = r->confidence;
    memcpy(e->method, r->method, sizeof e->method);
    e->support = r->support;
}

/* Write the open relationship (if any) and close it. */
static int rel_flush(rel_state *st)
{
    if (!st->open)
        return KG_OK;
    kg_relation r;
    memset(&r, 0, sizeof r);
    kg_rel_make_id(r.id, st->src, st->type, st->dst);
    memcpy(r.source_id, st->src, sizeof r.source_id);
    memcpy(r.target_id, st->dst, sizeof r.target_id);
    memcpy(r.type, st->type, sizeof r.type);
    r.weight = st->acc.weight;
    r.confidence = kg_edge_acc_confidence(&st->acc);
    memcpy(r.method, st->acc.method, sizeof r.method);
    r.support = st->acc.support;
    int rc = kg_store_relationship_put(st->s, &r, st->err);
    if (!rc && st->out->g)
        edge_append(st->out, &r);
    st->open = 0;
    return rc;
}

static int on_evidence(void *ud, const kg_doc_evidence_row *e)
{
    rel_state *st = ud;
    if (!st->open || strcmp(st->src, e->source_id) != 0 || strcmp(st->dst, e->target_id) != 0 ||
        strcmp(st->type, e->type) != 0) {
        int rc = rel_flush(st);
        if (rc)
            return rc;
        snprintf(st->src, sizeof st->src, "%s", e->source_id);
        snprintf(st->dst, sizeof st->dst, "%s", e->target_id);
        snprintf(st->type, sizeof st->type, "%s", e->type);
        kg_edge_acc_init(&st->acc);
        st->last_doc[0] = '\0';
        st->last_at = 0;
        st->open = 1;
    }
    /* One sentence is one piece of evidence: its first row counts. */
    if (st->acc.support && e->at == st->last_at && strcmp(e->doc_id, st->last_doc) == 0)
        return KG_OK;
    st->last_at = e->at;
    snprintf(st->last_doc, sizeof st->last_doc, "%s", e->doc_id);
    kg_edge_acc_add(&st->acc, e->confidence, e->method);
    return KG_OK;
}

static int rebuild_relationships(kg_store *s, int fused, rebuild_out *out, kg_err *err)
{
    rel_state st;
    memset(&st, 0, sizeof st);
    st.s = s;
    st.out = out;
    st.err = err;
    int rc = kg_store_doc_evidence_each(s, fused, on_evidence, &st, err);
    return rc ? rc : rel_flush(&st);
}

int kg_graph_rebuild(kg_store *s, kg_graph_data *g, kg_err *err)
{
    rebuild_out out = {g, 0, 0};
    if (g)
        memset(g, 0, sizeof *g);
    int64_t mapped = 0;
    int rc = kg_merge_map_refresh(s, &mapped, err);
    if (!rc)
        rc = kg_store_graph_clear(s, err);
    if (!rc)
        rc = rebuild_entities(s, mapped > 0, &out, err);
    if (!rc)
        rc = rebuild_relationships(s, mapped > 0, &out, err);
    if (!rc)
        rc = kg_store_graph_finish(s, err);
    if (rc && g)
        kg_graph_data_free(g);
    return rc;
}
