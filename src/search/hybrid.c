/* hybrid: see hybrid.h. */
#include "search/hybrid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "graph/qnames.h"
#include "search/graph_walk.h"
#include "search/qlink.h"
#include "store/retrieval_store.h"
#include "store/vector_store.h"

#define DEPTH_MIN 50 /* each channel lists at least this many */

void kg_hybrid_opts_default(kg_hybrid_opts *o)
{
    o->text_seeds = 3;
    o->text_weight = 0.02;
    o->vector_seeds = 10;
    o->vector_weight = 0.02;
    o->vector_below = 10;
    o->title_weight = 1.0;
    o->entity_weight = 2.0;
    kg_walk_opts_default(&o->walk);
}

static int set_opt(kg_hybrid_opts *o, const char *name, double v)
{
    static const char *const ints[] = {"text_seeds", "vector_seeds", "vector_below",
                                       "levels",     "chunk_fanout", "relation_fanout"};
    int *ip[] = {&o->text_seeds,  &o->vector_seeds,      &o->vector_below,
                 &o->walk.levels, &o->walk.chunk_fanout, &o->walk.relation_fanout};
    static const char *const dbls[] = {"text_weight",   "vector_weight", "title_weight",
                                       "entity_weight", "damping",       "typed_scale",
                                       "cooccur_scale"};
    double *dp[] = {&o->text_weight,       &o->vector_weight, &o->title_weight,
                    &o->entity_weight,     &o->walk.damping,  &o->walk.typed_scale,
                    &o->walk.cooccur_scale};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (strcmp(name, ints[i]) == 0 && v >= 0 && v <= 1e6 && v == (int)v) {
            *ip[i] = (int)v;
            return 0;
        }
    for (size_t i = 0; i < sizeof dbls / sizeof *dbls; i++)
        if (strcmp(name, dbls[i]) == 0 && v >= 0) {
            *dp[i] = v;
            return 0;
        }
    return -1;
}

int kg_hybrid_opts_parse(kg_hybrid_opts *o, const char *spec, char *bad, size_t badlen)
{
    char *copy = kg_xstrdup(spec ? spec : ""), *save = NULL;
    int rc = 0;
    for (char *item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
        snprintf(bad, badlen, "%s", item); /* whole, before it is split */
        char *eq = strchr(item, '='), *end = NULL;
        double v = eq ? strtod(eq + 1, &end) : 0;
        if (eq)
            *eq = 0;
        if (!eq || end == eq + 1 || *end || set_opt(o, item, v))
            rc = -1;
    }
    free(copy);
    return rc;
}

/* ---- candidates ----------------------------------------------------------------- */

typedef struct cands {
    kg_ranked_hit *v;
    size_t n, cap;
} cands;

static kg_ranked_hit *find(cands *c, const char *chunk_id)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].hit.chunk_id, chunk_id) == 0)
            return &c->v[i];
    return NULL;
}

/* The candidate for chunk_id, added when new.  Only its id: the few
 * shown are read at the end (details()). */
static kg_ranked_hit *get(cands *c, const char *chunk_id)
{
    kg_ranked_hit *h = find(c, chunk_id);
    if (h)
        return h;
    h = kg_vec_push_zero(c);
    snprintf(h->hit.chunk_id, sizeof h->hit.chunk_id, "%s", chunk_id);
    return h;
}

/* Read document, title, span and snippet of the first n candidates; a
 * chunk deleted meanwhile is dropped.  Returns how many are kept. */
static int details(kg_store *s, cands *c, size_t n, size_t *kept, kg_err *err)
{
    size_t m = 0;
    int rc = KG_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        kg_ranked_hit h = c->v[i];
        int found = 0;
        rc = kg_vec_chunk_hit(s, c->v[i].hit.chunk_id, &h.hit, &found, err);
        if (found) {
            h.hit.score = c->v[i].hit.score;
            c->v[m++] = h;
        }
    }
    *kept = m;
    return rc;
}

/* ---- channels ------------------------------------------------------------------- */

typedef struct text_ctx {
    cands *c;
    int rank;
} text_ctx;

static int on_text(const char *chunk_id, double score, void *ud)
{
    text_ctx *t = ud;
    kg_ranked_hit *h = get(t->c, chunk_id);
    h->text_rank = ++t->rank;
    h->bm25 = score;
    return 0;
}

/* The question's words without its stop words ("who", "was", "the"): they
 * weigh nothing in BM25 and make FTS5 score every chunk.  All of them when
 * nothing else is left. */
static char *content_words(const char *query)
{
    char **w = NULL;
    int nw = kg_qname_words(query, &w);
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < nw; i++)
        if (!kg_qname_stop(w[i]))
            kg_buf_printf(&b, "%s%s", b.len ? " " : "", w[i]);
    kg_qname_free_words(w, nw);
    if (!b.len) {
        kg_buf_free(&b);
        return kg_xstrdup(query);
    }
    return kg_buf_steal(&b);
}

static int text_channel(kg_store *s, const char *query, size_t depth, cands *c, const char **state,
                        kg_err *err)
{
    char *words = content_words(query);
    text_ctx t = {c, 0};
    int rc = kg_store_search_ids(s, words, (int)depth, on_text, &t, err);
    free(words);
    if (rc == KG_EINVAL) {
        *state = "no words";
        return KG_OK;
    }
    *state = "used";
    return rc;
}

static int vector_channel(kg_store *s, const kg_hybrid_vec *vec, size_t depth,
                          const kg_vindex_opts *ix, cands *c, kg_search_info *info, kg_err *err)
{
    char **ids = NULL;
    float *cos = NULL;
    size_t vn = 0;
    kg_vindex_report rep;
    int rc = kg_vindex_search(s, vec->model, vec->dim, vec->fit_hash ? vec->fit_hash : "",
                              vec->qvec, depth, ix, &ids, &cos, &vn, &rep, err);
    info->index = rep.index;
    for (size_t i = 0; !rc && i < vn; i++) {
        kg_ranked_hit *h = get(c, ids[i]);
        h->vector_rank = (int)i + 1;
        h->cosine = cos[i];
    }
    kg_vec_ids_free(ids, vn);
    free(cos);
    int64_t chunks = 0;
    if (!rc)
        rc = kg_store_chunk_count(s, &chunks, err);
    info->unembedded = chunks > rep.vectors ? chunks - rep.vectors : 0;
    return rc;
}

/* ---- seeds and the walk ---------------------------------------------------------- */

typedef struct seeds {
    kg_walk_seed *v;
    size_t n, cap;
} seeds;

static void seed(seeds *s, const char *id, double w, int64_t mentions)
{
    if (!(w > 0))
        return;
    kg_vec_reserve(s, 1);
    kg_walk_seed *x = &s->v[s->n++];
    snprintf(x->id, sizeof x->id, "%s", id);
    x->weight = w;
    x->mentions = mentions;
}

/* The channels' first passages, weighted by their score over the best. */
static void channel_seeds(const cands *c, const kg_hybrid_opts *o, seeds *sd)
{
    double best_t = 0, best_v = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].text_rank == 1)
            best_t = c->v[i].bm25;
        if (c->v[i].vector_rank == 1)
            best_v = c->v[i].cosine;
    }
    for (size_t i = 0; i < c->n; i++) {
        const kg_ranked_hit *h = &c->v[i];
        if (h->text_rank && h->text_rank <= o->text_seeds && best_t > 0)
            seed(sd, h->hit.chunk_id, o->text_weight * h->bm25 / best_t, 0);
        if (h->vector_rank && h->vector_rank <= o->vector_seeds && best_v > 0)
            seed(sd, h->hit.chunk_id, o->vector_weight * h->cosine / best_v, 0);
    }
}

/* How much an entity of a type says about what a question is about: its
 * names identify; its dates, amounts and nationalities describe ("the 1999
 * championship", "an Indian film"), and a rare date is rare by accident,
 * so its specificity would mislead. */
static double type_weight(const char *type)
{
    static const char *const values[] = {"DATE",     "TIME",     "MONEY",   "PERCENT",
                                         "QUANTITY", "CARDINAL", "ORDINAL", NULL};
    static const char *const descriptors[] = {"NORP", "LANGUAGE", NULL};
    for (const char *const *t = values; *t; t++)
        if (strcmp(type, *t) == 0)
            return 0.1;
    for (const char *const *t = descriptors; *t; t++)
        if (strcmp(type, *t) == 0)
            return 0.5;
    return 1.0;
}

/* How common the question's words that link hit i are: the mentions of
 * every entity the same words link.  "German" links the nationality (25
 * mentions) and, where the recogniser once misread it, a place (1): the
 * words are as common as their readings together, and the misreading is
 * no rarer, more telling name. */
static int64_t words_mentions(const kg_qlink_result *l, size_t i)
{
    int64_t m = 0;
    for (size_t j = 0; j < l->n; j++)
        if (l->hits[j].word_start == l->hits[i].word_start &&
            l->hits[j].word_end == l->hits[i].word_end)
            m += l->hits[j].mentions > 0 ? l->hits[j].mentions : 1;
    return m;
}

double kg_hybrid_link_weight(const kg_qlink_result *l, size_t i, const kg_hybrid_opts *o)
{
    double w = o->entity_weight * type_weight(l->hits[i].type) * l->hits[i].score;
    return w / (double)words_mentions(l, i);
}

static void link_seeds(const kg_qlink_result *l, const kg_hybrid_opts *o, seeds *sd)
{
    for (size_t i = 0; i < l->n; i++) {
        int64_t m = l->hits[i].mentions > 0 ? l->hits[i].mentions : 1;
        seed(sd, l->hits[i].id, kg_hybrid_link_weight(l, i, o), m);
    }
    for (size_t i = 0; i < l->ntitles; i++) {
        const kg_qlink_title *t = &l->titles[i];
        seed(sd, t->chunk_id, o->title_weight * t->score / (t->sharing > 0 ? t->sharing : 1), 0);
    }
}

static int graph_channel(kg_store *s, const kg_qlink_result *l, cands *c, const kg_hybrid_opts *o,
                         size_t depth, json_t *report, kg_err *err)
{
    seeds sd = {0};
    channel_seeds(c, o, &sd);
    link_seeds(l, o, &sd);
    kg_walk_hit *wh = NULL;
    size_t wn = 0;
    kg_walk_report wr;
    int rc = kg_graph_walk(s, sd.v, sd.n, &o->walk, &wh, &wn, &wr, err);
    /* The walk's first `depth` passages join the candidates; further ones
     * only mark candidates the other channels brought. */
    for (size_t i = 0; !rc && i < wn; i++) {
        kg_ranked_hit *h = i < depth ? get(c, wh[i].chunk_id) : find(c, wh[i].chunk_id);
        if (h) {
            h->graph_rank = (int)i + 1;
            h->graph_score = wh[i].score;
        }
    }
    for (size_t i = 0; !rc && i < l->ntitles; i++) {
        kg_ranked_hit *h = find(c, l->titles[i].chunk_id);
        if (h)
            h->named = 1;
    }
    json_object_set_new(report, "walk",
                        json_pack("{s:I, s:i, s:i, s:I, s:i, s:b}", "seeds", (json_int_t)sd.n,
                                  "entities", wr.entities, "chunks", wr.chunks, "edges",
                                  (json_int_t)wr.edges, "iterations", wr.iterations, "truncated",
                                  wr.truncated));
    free(sd.v);
    free(wh);
    return rc;
}

/* ---- fusion ----------------------------------------------------------------------- */

static double rrf(const kg_ranked_hit *h)
{
    return (h->text_rank ? 1.0 / (KG_RRF_K + h->text_rank) : 0) +
           (h->vector_rank ? 1.0 / (KG_RRF_K + h->vector_rank) : 0);
}

/* The walk's mass first; passages it did not reach after, by RRF. */
static int by_fused(const void *pa, const void *pb)
{
    const kg_ranked_hit *a = pa, *b = pb;
    if (a->hit.score != b->hit.score)
        return a->hit.score < b->hit.score ? 1 : -1;
    double x = rrf(a), y = rrf(b);
    if (x != y)
        return x < y ? 1 : -1;
    return strcmp(a->hit.chunk_id, b->hit.chunk_id);
}

static json_t *channel_json(const char *state, int hits)
{
    return json_pack("{s:s, s:i}", "state", state, "hits", hits);
}

static void finish_report(json_t *report, const cands *c, const char *text_state,
                          const char *vector_state, const char *graph_state)
{
    int t = 0, v = 0, g = 0;
    for (size_t i = 0; i < c->n; i++) {
        t += c->v[i].text_rank > 0;
        v += c->v[i].vector_rank > 0;
        g += c->v[i].graph_rank > 0;
    }
    json_object_set_new(report, "channels",
                        json_pack("{s:o, s:o, s:o}", "text", channel_json(text_state, t), "vector",
                                  channel_json(vector_state, v), "graph",
                                  channel_json(graph_state, g)));
}

int kg_hybrid_search(kg_store *s, const char *query, const kg_hybrid_vec *vec, int limit,
                     const kg_vindex_opts *ix, kg_ranked_hit **hits, size_t *n,
                     kg_search_info *info, kg_err *err)
{
    *hits = NULL;
    *n = 0;
    memset(info, 0, sizeof *info);
    if (limit <= 0)
        limit = 10;
    kg_hybrid_opts o;
    kg_hybrid_opts_default(&o);
    const char *spec = getenv("KG_BENCH_HYBRID");
    char bad[64];
    if (spec && *spec && kg_hybrid_opts_parse(&o, spec, bad, sizeof bad))
        return kg_err_set(err, KG_EINVAL, "KG_BENCH_HYBRID: '%s' is not name=value of a setting",
                          bad);
    size_t depth = (size_t)limit * 4 > DEPTH_MIN ? (size_t)limit * 4 : DEPTH_MIN;
    info->report = json_object();
    if (spec && *spec)
        json_object_set_new(info->report, "settings", json_string(spec));
    cands c = {0};
    const char *text_state = "no words", *vector_state = "off";
    const char *graph_state = "nothing named";
    kg_qlink_result l;
    memset(&l, 0, sizeof l);
    int rc = text_channel(s, query, depth, &c, &text_state, err);
    size_t text_hits = c.n;
    kg_hybrid_vec v = *vec;
    if (!rc && !v.qvec && v.prepare) {
        if (text_hits >= (size_t)o.vector_below)
            v.off = "not needed (local model, the text channel found enough)";
        else
            rc = v.prepare(v.ud, &v, err);
    }
    vector_state = v.qvec ? "used" : v.off ? v.off : "off";
    /* Vectors before the read transaction: an HNSW index built on demand
     * is stored, which a read transaction would not allow. */
    if (!rc && v.qvec)
        rc = vector_channel(s, &v, depth, ix, &c, info, err);
    /* One read transaction for the rest, unless the caller holds one. */
    int own = !rc && !kg_store_in_transaction(s);
    if (own)
        rc = kg_store_read_begin(s, err);
    if (rc) {
        kg_ranked_hits_free(c.v, c.n);
        kg_search_info_free(info);
        return rc;
    }
    rc = kg_qlink_run(s, query, KG_QLINK_ENTITIES | KG_QLINK_TITLES, &l, err);
    if (!rc) {
        info->named_entities = (int)l.n;
        info->named_passages = (int)l.ntitles;
        graph_state = l.n || l.ntitles ? "used"
                      : c.n            ? "text and vector seeds only"
                                       : "nothing to start from";
        json_object_set_new(info->report, "linked", kg_qlink_json(&l));
        rc = graph_channel(s, &l, &c, &o, depth, info->report, err);
    }
    kg_qlink_result_free(&l);
    size_t keep = 0;
    if (!rc) {
        finish_report(info->report, &c, text_state, vector_state, graph_state);
        for (size_t i = 0; i < c.n; i++)
            c.v[i].hit.score = c.v[i].graph_score;
        if (c.n)
            qsort(c.v, c.n, sizeof *c.v, by_fused);
        rc = details(s, &c, c.n < (size_t)limit ? c.n : (size_t)limit, &keep, err);
    }
    if (own)
        kg_store_read_end(s);
    if (rc) {
        kg_ranked_hits_free(c.v, keep);
        kg_search_info_free(info);
        return rc;
    }
    *hits = c.v;
    *n = keep;
    return KG_OK;
}
