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
#include "search/hybrid.h"
#include "search/vector_index.h"
#include "store/vector_store.h"

#define BATCH 256

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

/* Hybrid's vector channel for a local model, made when hybrid asks: the
 * query's vector under the model's stored fit; off, with the reason, when
 * there are no vectors yet or the query has no words to embed. */
typedef struct local_vec {
    kg_store *s;
    const char *query;
    float *q;
    char fit_hash[65];
} local_vec;

static int prepare_local(void *ud, kg_hybrid_vec *v, kg_err *err)
{
    local_vec *l = ud;
    int rc = resolve_model(v->model, &v->model, &v->dim, err);
    if (!rc)
        rc = kg_local_query_vector(l->s, l->query, v->model, v->dim, &l->q, l->fit_hash, err);
    if (rc == KG_ENOTFOUND || rc == KG_EINVAL) {
        v->off = rc == KG_ENOTFOUND ? "not embedded" : "no words";
        return KG_OK;
    }
    v->qvec = l->q;
    v->fit_hash = l->fit_hash;
    return rc;
}

static int hybrid(kg_store *s, const char *query, const char *model, const float *qvec, int qdim,
                  int limit, const kg_vindex_opts *ix, kg_ranked_hit **hits, size_t *n,
                  kg_search_info *info, kg_err *err)
{
    local_vec l = {.s = s, .query = query};
    kg_hybrid_vec v = {.model = model, .qvec = qvec, .dim = qdim, .fit_hash = ""};
    if (!qvec) {
        v.prepare = prepare_local;
        v.ud = &l;
    }
    int rc = kg_hybrid_search(s, query, &v, limit, ix, hits, n, info, err);
    free(l.q);
    return rc;
}

/* Text and vector: one channel each (kg_store_search for text, exactly). */
static int search(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                  const float *qvec, int qdim, int limit, const kg_vindex_opts *ix,
                  kg_ranked_hit **hits, size_t *n, kg_search_info *info, kg_err *err)
{
    *hits = NULL;
    *n = 0;
    memset(info, 0, sizeof *info);
    if (limit <= 0)
        limit = 10;
    if (mode == KG_SEARCH_HYBRID)
        return hybrid(s, query, model, qvec, qdim, limit, ix, hits, n, info, err);
    kg_ranked_hit *out = NULL;
    size_t m = 0;
    int rc = KG_OK;
    if (mode == KG_SEARCH_TEXT) {
        kg_search_hit *th;
        if ((rc = kg_store_search(s, query, limit, &th, &m, err)) != KG_OK)
            return rc;
        out = kg_xcalloc(m + 1, sizeof *out);
        for (size_t i = 0; i < m; i++) {
            out[i].hit = th[i];
            out[i].text_rank = (int)i + 1;
            out[i].bm25 = th[i].score;
        }
        free(th); /* its strings moved into out */
        *hits = out;
        *n = m;
        return KG_OK;
    }
    int dim = qdim;
    float *own_q = NULL;
    char fit_hash[65] = ""; /* API models have no IDF fit */
    if (!qvec) {
        if ((rc = resolve_model(model, &model, &dim, err)) != KG_OK)
            return rc;
        if ((rc = kg_local_query_vector(s, query, model, dim, &own_q, fit_hash, err)) != KG_OK)
            return rc;
        qvec = own_q;
    }
    char **ids = NULL;
    float *cos = NULL;
    size_t vn = 0;
    rc = vector_list(s, qvec, model, dim, fit_hash, (size_t)limit, ix, &ids, &cos, &vn, info, err);
    out = kg_xcalloc(vn + 1, sizeof *out);
    for (size_t i = 0; !rc && i < vn; i++) {
        int found;
        kg_ranked_hit *h = &out[m];
        rc = kg_vec_chunk_hit(s, ids[i], &h->hit, &found, err);
        if (rc || !found)
            continue;
        h->vector_rank = (int)i + 1;
        h->cosine = cos[i];
        h->hit.score = cos[i];
        m++;
    }
    kg_vec_ids_free(ids, vn);
    free(cos);
    free(own_q);
    if (!rc)
        rc = count_unembedded(s, model, info, err);
    if (rc) {
        kg_ranked_hits_free(out, m);
        return rc;
    }
    *hits = out;
    *n = m;
    return KG_OK;
}
