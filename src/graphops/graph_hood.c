/* graph_hood: see graph_hood.h. */
#include "graphops/graph_hood.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph/qnames.h"
#include "store/hood_store.h"

static _Thread_local int last_partial;

int kg_graph_hood_last_was_partial(void)
{
    return last_partial;
}

/* ---- step 1: the entities a phrase may name --------------------------------- */

typedef struct id_list {
    char (*ids)[KG_ID_MAX];
    size_t n, cap;
} id_list;

static void ids_add(id_list *l, const char *id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->ids = kg_xrealloc(l->ids, l->cap * sizeof *l->ids);
    }
    snprintf(l->ids[l->n++], KG_ID_MAX, "%s", id);
}

static int by_id(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void ids_unique(id_list *l)
{
    if (!l->n)
        return;
    qsort(l->ids, l->n, sizeof *l->ids, by_id);
    size_t m = 1;
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->ids[i], l->ids[m - 1]) != 0)
            memcpy(l->ids[m++], l->ids[i], KG_ID_MAX);
    l->n = m;
}

/* const char * view of a list, for the store's requests. */
static const char **ids_view(const id_list *l)
{
    const char **v = kg_xcalloc(l->n + 1, sizeof *v);
    for (size_t i = 0; i < l->n; i++)
        v[i] = l->ids[i];
    return v;
}

typedef struct near_ctx {
    const kg_qname_gram *gram;
    id_list *out;
} near_ctx;

static int on_exact(const char *norm, const char *id, void *ud)
{
    (void)norm;
    ids_add(ud, id);
    return 0;
}

static int on_near(const char *norm, const char *id, void *ud)
{
    near_ctx *c = ud;
    if (kg_qname_fuzzy(c->gram->text, c->gram->words, norm) > 0)
        ids_add(c->out, id);
    return 0;
}

static int candidates(kg_store *s, const char *phrase, id_list *out, kg_err *err)
{
    kg_qname_gram *g = NULL;
    int n = kg_qname_grams(phrase, &g), rc = KG_OK;
    for (int i = 0; i < n && !rc; i++) {
        rc = kg_store_names_exact(s, g[i].text, on_exact, out, err);
        int len = (int)strlen(g[i].text);
        if (!rc && len >= KG_QNAME_FUZZY_MIN) {
            near_ctx c = {&g[i], out};
            rc = kg_store_names_near(s, g[i].text, len - KG_QNAME_LEN_GAP, len + KG_QNAME_LEN_GAP,
                                     on_near, &c, err);
        }
    }
    kg_qname_grams_free(g, n);
    return rc;
}

/* ---- step 2: the entities the matcher picks ----------------------------------- */

/* Load the candidates of the phrases and run the matcher on each phrase:
 * hits[p] are phrase p's matched entity ids, best first. */
static int pick(kg_store *s, const char *const *phrases, int np, id_list *hits, kg_err *err)
{
    id_list cand = {0};
    int rc = KG_OK;
    for (int p = 0; p < np && !rc; p++)
        rc = candidates(s, phrases[p], &cand, err);
    ids_unique(&cand);
    kg_graph_view seeds;
    memset(&seeds, 0, sizeof seeds);
    if (!rc) {
        const char **v = ids_view(&cand);
        rc = kg_store_graph_load_nodes(s, v, cand.n, &seeds.data, err);
        free(v);
    }
    free(cand.ids);
    if (!rc)
        rc = kg_graph_view_build(&seeds, err);
    for (int p = 0; p < np && !rc; p++) {
        kg_query_hit *m = NULL;
        int nm = 0;
        rc = kg_query_match(seeds.q, phrases[p], &m, &nm, err);
        for (int i = 0; i < nm; i++)
            ids_add(&hits[p], seeds.data.nodes[m[i].node].id);
        free(m);
    }
    kg_graph_view_free(&seeds);
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
    rc = pick(s, phrases, 1, &hits, err);
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
    rc = pick(s, phrases, 2, hits, err);
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

int kg_graph_named_entities(kg_store *s, const char *text, char (**ids)[KG_ID_MAX], double **pr,
                            size_t *n, kg_err *err)
{
    *ids = NULL;
    *pr = NULL;
    *n = 0;
    int ready = 0;
    int rc = names_ready(s, err, &ready);
    if (rc || !ready)
        return rc;
    id_list hits = {0};
    const char *phrases[] = {text ? text : ""};
    rc = pick(s, phrases, 1, &hits, err);
    kg_graph_data d;
    memset(&d, 0, sizeof d);
    if (!rc && hits.n) {
        const char **v = ids_view(&hits);
        rc = kg_store_graph_load_nodes(s, v, hits.n, &d, err);
        free(v);
    }
    if (!rc && hits.n) {
        /* Keep the matcher's order; the nodes came back by rowid. */
        *pr = kg_xcalloc(hits.n, sizeof **pr);
        for (size_t i = 0; i < hits.n; i++)
            for (size_t k = 0; k < d.nnodes; k++)
                if (strcmp(d.nodes[k].id, hits.ids[i]) == 0)
                    (*pr)[i] = d.nodes[k].pagerank;
        *ids = hits.ids;
        *n = hits.n;
        hits.ids = NULL;
    }
    kg_graph_data_free(&d);
    free(hits.ids);
    return rc;
}
