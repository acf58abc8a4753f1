/* graph_hood: see graph_hood.h. */
#include "graphops/graph_hood.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "search/qlink.h"
#include "store/hood_store.h"

static _Thread_local int last_partial;

int kg_graph_hood_last_was_partial(void)
{
    return last_partial;
}

/* ---- steps 1 and 2: the entities a phrase names ------------------------------- */

typedef struct id_list {
    char (*ids)[KG_ID_MAX];
    size_t n, cap;
} id_list;

static void ids_add(id_list *l, const char *id)
{
    kg_vec_room(l->ids, l->n, l->cap);
    snprintf(l->ids[l->n++], KG_ID_MAX, "%s", id);
}

/* const char * view of a list, for the store's requests. */
static const char **ids_view(const id_list *l)
{
    const char **v = kg_xcalloc(l->n + 1, sizeof *v);
    for (size_t i = 0; i < l->n; i++)
        v[i] = l->ids[i];
    return v;
}

/* The entities each phrase names, by search/qlink (best first): the same
 * linking graph_query's answers use, so the neighbourhood holds them. */
static int pick(kg_store *s, const char *const *phrases, int np, unsigned flags, id_list *hits,
                kg_err *err)
{
    int rc = KG_OK;
    for (int p = 0; p < np && !rc; p++) {
        kg_qlink_result l;
        rc = kg_qlink_run(s, phrases[p], KG_QLINK_ENTITIES | flags, &l, err);
        for (size_t i = 0; !rc && i < l.n; i++)
            ids_add(&hits[p], l.hits[i].id);
        if (!rc)
            kg_qlink_result_free(&l);
    }
    return rc;
}

/* ---- step 3: the neighbourhood -------------------------------------------------- */

static int full(kg_store *s, kg_graph_view *v, kg_err *err)
{
    last_partial = 0;
    return kg_graph_view_load(s, v, err);
}

/* Only the picked entities are matchable: no other can be named. */
static void finish_view(kg_graph_view *v, const id_list *named, double max_pr)
{
    for (size_t i = 0; i < v->data.nnodes; i++) {
        int on = 0;
        for (size_t k = 0; k < named->n && !on; k++)
            on = strcmp(v->data.nodes[i].id, named->ids[k]) == 0;
        kg_query_set_matchable(v->q, (int)i, on);
    }
    kg_query_set_max_pagerank(v->q, max_pr);
    kg_query_graph_prepare(v->q);
}

static int load_hood(kg_store *s, kg_hood_req *req, const id_list *named, kg_graph_view *v,
                     kg_err *err)
{
    double max_pr = 0;
    int too_big = 0;
    req->fanout = KG_QUERY_FANOUT + 1; /* one more, so the walk sees it was cut */
    req->max_walked = KG_HOOD_MAX_WALKED;
    int rc = kg_store_graph_load_hood(s, req, &v->data, &max_pr, &too_big, err);
    if (!rc && too_big)
        return full(s, v, err);
    if (!rc)
        rc = kg_graph_view_build(v, err);
    if (!rc) {
        finish_view(v, named, max_pr);
        last_partial = 1;
    }
    return rc;
}

static int names_ready(kg_store *s, kg_err *err, int *ready)
{
    *ready = 0;
    return kg_store_names_ready(s, ready, err);
}

static int clamp_hops(int hops)
{
    if (hops == 0)
        return KG_QUERY_DEFAULT_HOPS;
    /* Out of range: kg_query_* reports it; walk nothing meanwhile. */
    return hops < 1 || hops > KG_QUERY_MAX_HOPS ? 0 : hops;
}

static int load_question(kg_store *s, const char *question, int max_hops, kg_graph_view *v,
                         kg_err *err)
{
    memset(v, 0, sizeof *v);
    int ready = 0;
    int rc = names_ready(s, err, &ready);
    if (rc || !ready)
        return rc ? rc : full(s, v, err);
    id_list hits = {0};
    const char *phrases[] = {question ? question : ""};
    rc = pick(s, phrases, 1, 0, &hits, err);
    if (!rc) {
        const char **seeds = ids_view(&hits);
        kg_hood_req req = {.seeds = seeds, .nseeds = hits.n, .levels = clamp_hops(max_hops)};
        rc = load_hood(s, &req, &hits, v, err);
        free(seeds);
    }
    free(hits.ids);
    return rc;
}

static int load_pair(kg_store *s, const char *a, const char *b, int max_hops, kg_graph_view *v,
                     kg_err *err)
{
    memset(v, 0, sizeof *v);
    int ready = 0;
    int rc = names_ready(s, err, &ready);
    if (rc || !ready)
        return rc ? rc : full(s, v, err);
    id_list hits[2] = {{0}, {0}};
    const char *phrases[] = {a ? a : "", b ? b : ""};
    rc = pick(s, phrases, 2, KG_QLINK_PHRASE, hits, err);
    if (!rc) {
        /* kg_query_paths walks from a's best match towards b's; both
         * phrases' other matches are kept so that matching picks the same. */
        id_list named = {0};
        for (int p = 0; p < 2; p++)
            for (size_t i = 0; i < hits[p].n; i++)
                ids_add(&named, hits[p].ids[i]);
        const char **all = ids_view(&named);
        const char *seed = hits[0].n ? hits[0].ids[0] : NULL;
        kg_hood_req req = {.seeds = &seed,
                           .nseeds = seed && hits[1].n ? 1 : 0,
                           .extra = all,
                           .nextra = named.n,
                           .levels = clamp_hops(max_hops),
                           .target = hits[1].n ? hits[1].ids[0] : NULL};
        rc = load_hood(s, &req, &named, v, err);
        free(all);
        free(named.ids);
    }
    free(hits[0].ids);
    free(hits[1].ids);
    return rc;
}

/* Each loader runs in one read transaction: the look-ups that pick the
 * entities and the walk see the same graph even if an ingest commits
 * meanwhile, and the read lock is taken once. */
int kg_graph_view_load_question(kg_store *s, const char *question, int max_hops, kg_graph_view *v,
                                kg_err *err)
{
    int rc = kg_store_read_begin(s, err);
    if (rc)
        return rc;
    rc = load_question(s, question, max_hops, v, err);
    kg_store_read_end(s);
    return rc;
}

int kg_graph_view_load_pair(kg_store *s, const char *a, const char *b, int max_hops,
                            kg_graph_view *v, kg_err *err)
{
    int rc = kg_store_read_begin(s, err);
    if (rc)
        return rc;
    rc = load_pair(s, a, b, max_hops, v, err);
    kg_store_read_end(s);
    return rc;
}
