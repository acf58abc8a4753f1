/* vector_search: see vector_search.h.  The vector side of a search goes
 * through search/vector_index (an exact scan or the HNSW index); results
 * and their strings belong to the caller. */
#include "search/vector_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/hash.h"
#include "vec/embed.h"
#include "graphops/graph_hood.h"
#include "search/vector_index.h"
#include "store/graph_read.h"
#include "store/vector_store.h"

#define BATCH 256
#define FUSE_DEPTH_MIN 50 /* each list contributes at least this many to RRF */

typedef struct fit_ctx {
    kg_hasher h;
    kg_embedder *e;
    int64_t n;
    volatile int *cancel;
} fit_ctx;

static int fit_one(void *ud, const char *chunk_id, const char *text)
{
    fit_ctx *f = ud;
    if (f->cancel && *f->cancel)
        return KG_ECANCELED;
    kg_embedder_add_doc(f->e, text);
    kg_hasher_update(&f->h, chunk_id, strlen(chunk_id) + 1);
    f->n++;
    return 0;
}

static int resolve_model(const char *model, const char **out, int *dim, kg_err *err)
{
    *out = model && *model ? model : KG_EMBED_MODEL_DEFAULT;
    return kg_embed_parse_model(*out, dim, err);
}

/* Bring the stored fit up to date; *refit = 1 when it changed. */
static int refresh_fit(kg_store *s, const char *model, fit_ctx *f, int *refit, kg_err *err)
{
    char hash[KG_HASH_HEX_LEN + 1], old_hash[65];
    kg_hasher_final_hex(&f->h, hash);
    uint32_t old_docs;
    uint32_t *old_df = NULL;
    int found;
    int rc = kg_vec_fit_get(s, model, KG_EMBED_BUCKETS, &old_docs, old_hash, &old_df, &found, err);
    free(old_df);
    if (rc)
        return rc;
    *refit = !found || strcmp(old_hash, hash) != 0 || old_docs != kg_embedder_docs(f->e);
    if (!*refit)
        return KG_OK;
    if ((rc = kg_store_begin(s, err)) != KG_OK)
        return rc;
    rc = kg_vec_delete_model(s, model, err);
    if (!rc)
        rc = kg_vec_fit_put(s, model, kg_embedder_docs(f->e), hash, kg_embedder_df(f->e),
                            KG_EMBED_BUCKETS, err);
    if (!rc)
        return kg_store_commit(s, err);
    kg_store_rollback(s);
    return rc;
}

int kg_embed_chunks(kg_store *s, const char *model, volatile int *cancel,
                    void (*progress)(void *ud, double done, double total, const char *msg),
                    void *ud, kg_embed_report *rep, kg_err *err)
{
    double t0 = kg_now();
    memset(rep, 0, sizeof *rep);
    int dim;
    int rc = resolve_model(model, &model, &dim, err);
    if (rc)
        return rc;
    snprintf(rep->model, sizeof rep->model, "%s", model);
    rep->dim = dim;
    fit_ctx f = {.cancel = cancel};
    if ((rc = kg_embedder_new(dim, &f.e, err)) != KG_OK)
        return rc;
    kg_hasher_init(&f.h);
    rc = kg_vec_chunks_each(s, fit_one, &f, err);
    if (rc == KG_ECANCELED)
        kg_err_set(err, rc, "embed: cancelled");
    rep->chunks = f.n;
    if (!rc)
        rc = refresh_fit(s, model, &f, &rep->refit, err);
    char **ids = NULL;
    size_t n = 0;
    if (!rc)
        rc = kg_vec_missing(s, model, &ids, &n, err);
    float *v = kg_xmalloc((size_t)dim * sizeof *v);
    for (size_t i = 0; !rc && i < n; i += BATCH) {
        if (cancel && *cancel) {
            rc = kg_err_set(err, KG_ECANCELED, "embed: cancelled after %lld chunks",
                            (long long)rep->embedded);
            break;
        }
        if (progress)
            progress(ud, (double)i, (double)n, "embedding chunks");
        if ((rc = kg_store_begin(s, err)) != KG_OK)
            break;
        size_t end = i + BATCH < n ? i + BATCH : n;
        int64_t done = 0, empty = 0;
        for (size_t j = i; !rc && j < end; j++) {
            char *text = NULL;
            rc = kg_vec_chunk_text(s, ids[j], &text, err);
            if (rc || !text) {
                free(text);
                continue;
            }
            int is_empty;
            kg_embed_text(f.e, text, v, &is_empty);
            free(text);
            rc = kg_vec_put(s, ids[j], model, v, dim, err);
            done++;
            empty += is_empty;
        }
        if (!rc)
            rc = kg_store_commit(s, err);
        if (rc) {
            kg_store_rollback(s);
            break;
        }
        rep->embedded += done;
        rep->empty += empty;
    }
    if (!rc && progress)
        progress(ud, (double)n, (double)n, "done");
    free(v);
    kg_vec_ids_free(ids, n);
    kg_embedder_free(f.e);
    rep->seconds = kg_now() - t0;
    return rc;
}

int kg_search_mode_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "text") == 0)
        return KG_SEARCH_TEXT;
    if (strcmp(s, "vector") == 0)
        return KG_SEARCH_VECTOR;
    if (strcmp(s, "hybrid") == 0)
        return KG_SEARCH_HYBRID;
    return -1;
}

const char *kg_search_mode_name(kg_search_mode m)
{
    return m == KG_SEARCH_VECTOR ? "vector" : m == KG_SEARCH_HYBRID ? "hybrid" : "text";
}

void kg_ranked_hits_free(kg_ranked_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hits[i].hit.path);
        free(hits[i].hit.title);
        free(hits[i].hit.snippet);
    }
    free(hits);
}

/* The query's vector under a local model's stored fit (*q malloc'd); its
 * fit hash into fit_hash (the HNSW index is keyed by it). */
int kg_local_query_vector(kg_store *s, const char *query, const char *model, int dim, float **q_out,
                          char fit_hash[65], kg_err *err)
{
    *q_out = NULL;
    uint32_t docs;
    uint32_t *df = NULL;
    int found;
    int rc = kg_vec_fit_get(s, model, KG_EMBED_BUCKETS, &docs, fit_hash, &df, &found, err);
    if (rc)
        return rc;
    if (!found)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no vectors for model %s yet: run `kgas embed` (or the embed_chunks "
                          "tool) first",
                          model);
    kg_embedder *e = NULL;
    if ((rc = kg_embedder_new(dim, &e, err)) != KG_OK) {
        free(df);
        return rc;
    }
    kg_embedder_set_df(e, docs, df);
    free(df);
    float *q = kg_xmalloc((size_t)dim * sizeof *q);
    int empty;
    kg_embed_text(e, query, q, &empty);
    kg_embedder_free(e);
    if (empty) {
        free(q);
        return kg_err_set(err, KG_EINVAL, "search: the query '%s' has no words to search for",
                          query);
    }
    *q_out = q;
    return KG_OK;
}

/* Vector hits for the query vector q (dim floats): chunk ids (malloc'd) and
 * cosines, best first, by an exact scan or the HNSW index (search/
 * vector_index decides).  Only vectors of `model` are read, and one of
 * another dimension is an error, so two models are never compared. */
static int vector_list(kg_store *s, const float *q, const char *model, int dim,
                       const char *fit_hash, size_t k, const kg_vindex_opts *ix, char ***ids_out,
                       float **scores_out, size_t *n_out, kg_search_info *info, kg_err *err)
{
    kg_vindex_report rep;
    int rc = kg_vindex_search(s, model, dim, fit_hash, q, k, ix, ids_out, scores_out, n_out, &rep,
                              err);
    info->index = rep.index;
    return rc;
}

/* ---- the graph list (hybrid) --------------------------------------------- */

/* At most this many of the entities a query names feed the graph list. */
#define GRAPH_NAMED_MAX 8

typedef struct graph_cand {
    char chunk[KG_ID_MAX];
    double score; /* sum of the PageRank of the named entities it mentions */
    int mentions;
} graph_cand;

typedef struct graph_acc {
    graph_cand *v;
    size_t n, cap;
    double pr; /* the entity being read */
} graph_acc;

static int on_entity_chunk(const char *chunk_id, int mentions, void *ud)
{
    graph_acc *a = ud;
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 256;
        a->v = kg_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    graph_cand *c = &a->v[a->n++];
    snprintf(c->chunk, sizeof c->chunk, "%s", chunk_id);
    c->score = a->pr;
    c->mentions = mentions;
    return 0;
}

static int by_chunk(const void *x, const void *y)
{
    return strcmp(((const graph_cand *)x)->chunk, ((const graph_cand *)y)->chunk);
}

static int by_graph_score(const void *x, const void *y)
{
    const graph_cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    if (a->mentions != b->mentions)
        return b->mentions - a->mentions;
    return strcmp(a->chunk, b->chunk);
}

/* The chunks that mention the entities the query names, most central first:
 * a chunk scores the sum of the PageRank of the named entities it mentions
 * (each once), then its mention count.  Chunk ids into *out (malloc'd). */
static int graph_list(kg_store *s, const char *query, size_t k, char ***ids_out, size_t *n_out,
                      kg_search_info *info, kg_err *err)
{
    *ids_out = NULL;
    *n_out = 0;
    char(*named)[KG_ID_MAX] = NULL;
    double *pr = NULL;
    size_t nn = 0;
    int rc = kg_graph_named_entities(s, query, &named, &pr, &nn, err);
    graph_acc a = {0};
    if (nn > GRAPH_NAMED_MAX)
        nn = GRAPH_NAMED_MAX;
    info->named_entities = (int)nn;
    for (size_t i = 0; !rc && i < nn; i++) {
        a.pr = pr[i];
        rc = kg_store_entity_chunks(s, named[i], on_entity_chunk, &a, err);
    }
    free(named);
    free(pr);
    if (!rc && a.n) {
        qsort(a.v, a.n, sizeof *a.v, by_chunk);
        size_t m = 0;
        for (size_t i = 0; i < a.n; i++) {
            if (m && strcmp(a.v[m - 1].chunk, a.v[i].chunk) == 0) {
                a.v[m - 1].score += a.v[i].score;
                a.v[m - 1].mentions += a.v[i].mentions;
            } else {
                a.v[m++] = a.v[i];
            }
        }
        qsort(a.v, m, sizeof *a.v, by_graph_score);
        size_t keep = m < k ? m : k;
        *ids_out = kg_xcalloc(keep ? keep : 1, sizeof **ids_out);
        for (size_t i = 0; i < keep; i++)
            (*ids_out)[i] = kg_xstrdup(a.v[i].chunk);
        *n_out = keep;
    }
    free(a.v);
    return rc;
}

static kg_ranked_hit *find(kg_ranked_hit *h, size_t n, const char *chunk_id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].hit.chunk_id, chunk_id) == 0)
            return &h[i];
    return NULL;
}

static double rrf(const kg_ranked_hit *h)
{
    return (h->text_rank ? 1.0 / (KG_RRF_K + h->text_rank) : 0) +
           (h->vector_rank ? 1.0 / (KG_RRF_K + h->vector_rank) : 0) +
           (h->graph_rank ? 1.0 / (KG_RRF_K + h->graph_rank) : 0);
}

static int by_score(const void *pa, const void *pb)
{
    const kg_ranked_hit *a = pa, *b = pb;
    if (a->hit.score != b->hit.score)
        return a->hit.score < b->hit.score ? 1 : -1;
    return strcmp(a->hit.chunk_id, b->hit.chunk_id);
}

static int count_unembedded(kg_store *s, const char *model, kg_search_info *info, kg_err *err)
{
    char **ids;
    size_t n;
    int rc = kg_vec_missing(s, model, &ids, &n, err);
    kg_vec_ids_free(ids, n);
    info->unembedded = (int64_t)n;
    return rc;
}

static int search(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                  const float *qvec, int qdim, int limit, const kg_vindex_opts *ix,
                  kg_ranked_hit **hits, size_t *n, kg_search_info *info, kg_err *err);

int kg_search_ranked(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                     int limit, kg_ranked_hit **hits, size_t *n, kg_search_info *info, kg_err *err)
{
    return search(s, query, mode, model, NULL, 0, limit, NULL, hits, n, info, err);
}

int kg_search_ranked_ex(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                        int limit, const kg_vindex_opts *ix, kg_ranked_hit **hits, size_t *n,
                        kg_search_info *info, kg_err *err)
{
    return search(s, query, mode, model, NULL, 0, limit, ix, hits, n, info, err);
}

int kg_search_ranked_vec(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                         const float *qvec, int qdim, int limit, kg_ranked_hit **hits, size_t *n,
                         kg_search_info *info, kg_err *err)
{
    return search(s, query, mode, model, qvec, qdim, limit, NULL, hits, n, info, err);
}

/* All three: qvec NULL computes the query's vector with the local model;
 * ix NULL is the default index options. */
static int search(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                  const float *qvec, int qdim, int limit, const kg_vindex_opts *ix,
                  kg_ranked_hit **hits, size_t *n, kg_search_info *info, kg_err *err)
{
    *hits = NULL;
    *n = 0;
    memset(info, 0, sizeof *info);
    if (limit <= 0)
        limit = 10;
    int dim = qdim;
    int rc = KG_OK;
    float *own_q = NULL;
    char fit_hash[65] = ""; /* API models have no IDF fit */
    if (mode != KG_SEARCH_TEXT && !qvec) {
        if ((rc = resolve_model(model, &model, &dim, err)) != KG_OK)
            return rc;
        if ((rc = kg_local_query_vector(s, query, model, dim, &own_q, fit_hash, err)) != KG_OK)
            return rc;
        qvec = own_q;
    }
    size_t depth = mode == KG_SEARCH_HYBRID
                       ? ((size_t)limit * 4 > FUSE_DEPTH_MIN ? (size_t)limit * 4 : FUSE_DEPTH_MIN)
                       : (size_t)limit;
    /* Candidates: at most depth from each list. */
    size_t cap = 3 * depth, m = 0;
    kg_ranked_hit *out = kg_xcalloc(cap, sizeof *out);
    if (mode != KG_SEARCH_VECTOR) {
        kg_search_hit *th;
        size_t tn;
        if ((rc = kg_store_search(s, query, (int)depth, &th, &tn, err)) != KG_OK) {
            free(out);
            free(own_q);
            return rc;
        }
        for (size_t i = 0; i < tn; i++) {
            kg_ranked_hit *h = &out[m++];
            h->hit = th[i];
            h->text_rank = (int)i + 1;
            h->bm25 = th[i].score;
        }
        free(th); /* its strings moved into out */
    }
    if (mode != KG_SEARCH_TEXT) {
        char **ids;
        float *cos;
        size_t vn;
        rc = vector_list(s, qvec, model, dim, fit_hash, depth, ix, &ids, &cos, &vn, info, err);
        for (size_t i = 0; !rc && i < vn; i++) {
            kg_ranked_hit *h = find(out, m, ids[i]);
            if (!h) {
                int found;
                kg_ranked_hit tmp = {0};
                rc = kg_vec_chunk_hit(s, ids[i], &tmp.hit, &found, err);
                if (rc || !found)
                    continue;
                out[m] = tmp;
                h = &out[m++];
            }
            h->vector_rank = (int)i + 1;
            h->cosine = cos[i];
        }
        kg_vec_ids_free(ids, vn);
        free(cos);
        if (!rc)
            rc = count_unembedded(s, model, info, err);
    }
    if (mode == KG_SEARCH_HYBRID && !rc) {
        /* The graph's voice: chunks that mention the central entities the
         * query names. */
        char **ids;
        size_t gn;
        rc = graph_list(s, query, depth, &ids, &gn, info, err);
        for (size_t i = 0; !rc && i < gn; i++) {
            kg_ranked_hit *h = find(out, m, ids[i]);
            if (!h) {
                int found;
                kg_ranked_hit tmp = {0};
                rc = kg_vec_chunk_hit(s, ids[i], &tmp.hit, &found, err);
                if (rc || !found)
                    continue;
                out[m] = tmp;
                h = &out[m++];
            }
            h->graph_rank = (int)i + 1;
        }
        kg_vec_ids_free(ids, gn);
    }
    free(own_q);
    if (rc) {
        kg_ranked_hits_free(out, m);
        return rc;
    }
    for (size_t i = 0; i < m; i++)
        out[i].hit.score = mode == KG_SEARCH_TEXT     ? out[i].bm25
                           : mode == KG_SEARCH_VECTOR ? out[i].cosine
                                                      : rrf(&out[i]);
    if (mode == KG_SEARCH_HYBRID)
        qsort(out, m, sizeof *out, by_score);
    size_t keep = m < (size_t)limit ? m : (size_t)limit;
    for (size_t i = keep; i < m; i++) {
        free(out[i].hit.path);
        free(out[i].hit.title);
        free(out[i].hit.snippet);
    }
    *hits = out;
    *n = keep;
    return KG_OK;
}
