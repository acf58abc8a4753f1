/* entity_vec: see entity_vec.h.  Chunk vectors are loaded once (sorted by
 * id, as kg_vec_each gives them) and looked up by binary search while the
 * (entity, chunk, mentions) triples stream past in entity order. */
#include "pipeline/entity_vec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "nlp/embed.h"
#include "pipeline/vector_search.h"
#include "store/entvec_store.h"
#include "store/vector_store.h"

int kg_entity_model_id(const char *chunk_model, char out[KG_ENTITY_MODEL_MAX], kg_err *err)
{
    int w = snprintf(out, KG_ENTITY_MODEL_MAX, "%s%s", KG_ENTITY_MODEL_PREFIX, chunk_model);
    if (w < 0 || w >= KG_ENTITY_MODEL_MAX)
        return kg_err_set(err, KG_EINVAL, "model id too long: %s", chunk_model);
    return KG_OK;
}

int kg_entity_vec_mean(const float *const *vecs, const int *weights, size_t n, int dim,
                       float *out)
{
    double *acc = kg_xcalloc((size_t)dim, sizeof *acc);
    for (size_t i = 0; i < n; i++)
        if (weights[i] > 0)
            for (int j = 0; j < dim; j++)
                acc[j] += (double)weights[i] * vecs[i][j];
    double norm = 0;
    for (int j = 0; j < dim; j++)
        norm += acc[j] * acc[j];
    norm = sqrt(norm);
    /* The mean's length does not matter: only its direction is compared
     * (by cosine), so dividing the sum by its norm is the normalised mean. */
    for (int j = 0; j < dim; j++)
        out[j] = norm > 0 ? (float)(acc[j] / norm) : 0.0f;
    free(acc);
    return norm > 0;
}

/* ---- refresh ------------------------------------------------------------ */

typedef struct chunk_vecs {
    char **ids;     /* sorted (owner-id order) */
    float *data;    /* n * dim */
    size_t n, cap;
    int dim;
    kg_hasher *fp;
} chunk_vecs;

static int on_chunk_vec(void *ud, const char *owner_id, const float *v, int dim)
{
    chunk_vecs *c = ud;
    if (c->dim && dim != c->dim)
        return KG_EFORMAT;
    c->dim = dim;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->ids = kg_xrealloc(c->ids, c->cap * sizeof *c->ids);
        c->data = kg_xrealloc(c->data, c->cap * (size_t)dim * sizeof *c->data);
    }
    c->ids[c->n] = kg_xstrdup(owner_id);
    memcpy(c->data + c->n * (size_t)dim, v, (size_t)dim * sizeof *v);
    c->n++;
    kg_hasher_update(c->fp, owner_id, strlen(owner_id) + 1);
    kg_hasher_update(c->fp, v, (size_t)dim * sizeof *v);
    return 0;
}

static const float *chunk_vec(const chunk_vecs *c, const char *id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(c->ids[mid], id);
        if (d == 0)
            return c->data + mid * (size_t)c->dim;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The triples, kept in memory so the fingerprint is known before writing. */
typedef struct triple {
    char entity[KG_ID_MAX];
    const float *v; /* NULL: the chunk has no vector */
    int mentions;
} triple;

typedef struct triples {
    triple *v;
    size_t n, cap;
    const chunk_vecs *cv;
    kg_hasher *fp;
} triples;

static int on_triple(void *ud, const char *entity_id, const char *chunk_id, int mentions)
{
    triples *t = ud;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->v = kg_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    triple *x = &t->v[t->n++];
    snprintf(x->entity, sizeof x->entity, "%s", entity_id);
    x->v = chunk_vec(t->cv, chunk_id);
    x->mentions = mentions;
    kg_hasher_update(t->fp, entity_id, strlen(entity_id) + 1);
    kg_hasher_update(t->fp, chunk_id, strlen(chunk_id) + 1);
    kg_hasher_update(t->fp, &mentions, sizeof mentions);
    return 0;
}

/* Write one vector per entity of t (delete the model's old ones first),
 * and the fingerprint, in one transaction. */
static int write_vectors(kg_store *s, const triples *t, int dim, const char *key,
                         const char *fp, kg_entity_vec_report *rep, kg_err *err)
{
    int rc = kg_store_begin(s, err);
    if (rc)
        return rc;
    rc = kg_vec_delete_model(s, rep->model, err);
    const float **vecs = kg_xmalloc((t->n ? t->n : 1) * sizeof *vecs);
    int *w = kg_xmalloc((t->n ? t->n : 1) * sizeof *w);
    float *out = kg_xmalloc((size_t)dim * sizeof *out);
    for (size_t i = 0; !rc && i < t->n;) {
        size_t j = i, m = 0;
        for (; j < t->n && strcmp(t->v[j].entity, t->v[i].entity) == 0; j++)
            if (t->v[j].v) {
                vecs[m] = t->v[j].v;
                w[m++] = t->v[j].mentions;
            }
        if (kg_entity_vec_mean(vecs, w, m, dim, out)) {
            rc = kg_vec_put(s, t->v[i].entity, rep->model, out, dim, err);
            rep->entities++;
        } else {
            rep->skipped++;
        }
        i = j;
    }
    free(out);
    free(w);
    free(vecs);
    if (!rc)
        rc = kg_store_meta_put(s, key, fp, err);
    if (!rc)
        return kg_store_commit(s, err);
    kg_store_rollback(s);
    return rc;
}

int kg_entity_vectors_refresh(kg_store *s, const char *chunk_model, kg_entity_vec_report *rep,
                              kg_err *err)
{
    double t0 = kg_now();
    memset(rep, 0, sizeof *rep);
    if (!chunk_model || !*chunk_model)
        chunk_model = KG_EMBED_MODEL_DEFAULT;
    int rc = kg_entity_model_id(chunk_model, rep->model, err);
    if (rc)
        return rc;
    kg_hasher fp;
    kg_hasher_init(&fp);
    kg_hasher_update(&fp, rep->model, strlen(rep->model) + 1);
    chunk_vecs cv = {.fp = &fp};
    rc = kg_vec_each(s, chunk_model, on_chunk_vec, &cv, err);
    if (rc == KG_EFORMAT && cv.dim)
        kg_err_set(err, rc, "chunk vectors of %s have different dimensions", chunk_model);
    triples t = {.cv = &cv, .fp = &fp};
    if (!rc)
        rc = kg_store_entity_chunk_counts(s, on_triple, &t, err);
    char hex[KG_HASH_HEX_LEN + 1], key[KG_ENTITY_MODEL_MAX + 16];
    kg_hasher_final_hex(&fp, hex);
    snprintf(key, sizeof key, "vectors:%s", rep->model);
    char *old = NULL;
    if (!rc)
        rc = kg_store_meta_get(s, key, &old, err);
    if (!rc && (!old || strcmp(old, hex) != 0)) {
        rep->recomputed = 1;
        rc = write_vectors(s, &t, cv.dim ? cv.dim : 1, key, hex, rep, err);
    } else if (!rc) {
        int64_t have = 0;
        rc = kg_vec_count(s, rep->model, &have, err);
        rep->entities = have;
    }
    free(old);
    free(t.v);
    for (size_t i = 0; i < cv.n; i++)
        free(cv.ids[i]);
    free(cv.ids);
    free(cv.data);
    rep->seconds = kg_now() - t0;
    return rc;
}

/* ---- search --------------------------------------------------------------- */

void kg_entity_hits_free(kg_entity_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hits[i].row.name);
        free(hits[i].row.type);
        free(hits[i].row.aliases);
    }
    free(hits);
}

int kg_entity_search(kg_store *s, const char *query, const char *model, int limit,
                     const kg_vindex_opts *ix, kg_entity_hit **hits, size_t *n,
                     const char **index, kg_err *err)
{
    *hits = NULL;
    *n = 0;
    *index = "exact";
    if (limit <= 0)
        limit = 10;
    if (!model || !*model)
        model = KG_EMBED_MODEL_DEFAULT;
    int dim;
    char emodel[KG_ENTITY_MODEL_MAX], fit_hash[65];
    int rc = kg_embed_parse_model(model, &dim, err);
    if (!rc)
        rc = kg_entity_model_id(model, emodel, err);
    int64_t have = 0;
    if (!rc)
        rc = kg_vec_count(s, emodel, &have, err);
    if (!rc && have == 0)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no entity vectors for model %s yet: run `kgas embed` (or the "
                          "embed_chunks tool) first",
                          model);
    float *q = NULL;
    if (!rc)
        rc = kg_local_query_vector(s, query, model, dim, &q, fit_hash, err);
    if (rc)
        return rc;
    char **ids = NULL;
    float *cos = NULL;
    size_t vn = 0;
    kg_vindex_report vr;
    /* Entity models have no IDF fit of their own: "" keys their index. */
    rc = kg_vindex_search(s, emodel, dim, "", q, (size_t)limit, ix, &ids, &cos, &vn, &vr, err);
    free(q);
    if (!rc)
        *index = vr.index;
    kg_entity_hit *out = kg_xcalloc(vn ? vn : 1, sizeof *out);
    size_t m = 0;
    for (size_t i = 0; !rc && i < vn; i++) {
        kg_entity_row *rows;
        size_t rn;
        rc = kg_store_find_entities(s, ids[i], 1, &rows, &rn, err);
        /* An entity gone since the last `kgas embed` (a re-ingest) is
         * skipped rather than shown without a name. */
        if (!rc && rn == 1 && strcmp(rows[0].id, ids[i]) == 0) {
            out[m].row = rows[0];
            out[m++].cosine = cos[i];
            free(rows);
        } else if (!rc) {
            kg_entity_rows_free(rows, rn);
        }
    }
    kg_vec_ids_free(ids, vn);
    free(cos);
    if (rc) {
        kg_entity_hits_free(out, m);
        return rc;
    }
    *hits = out;
    *n = m;
    return KG_OK;
}
