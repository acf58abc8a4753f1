/* entity_vec: see entity_vec.h.  The refresh reads the mentions twice:
 * once to fingerprint the windows (nothing is embedded when they are as
 * before), once, inside the write transaction, to embed them; a sum of
 * window vectors is kept for the current entity only, as the mentions
 * come sorted by entity. */
#include "search/entity_vec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/vec.h"
#include "search/vector_search.h"
#include "store/entvec_store.h"
#include "store/vector_store.h"
#include "store/vindex_store.h"
#include "vec/embed.h"

int kg_entity_model_id(const char *chunk_model, char out[KG_ENTITY_MODEL_MAX], kg_err *err)
{
    int w = snprintf(out, KG_ENTITY_MODEL_MAX, "%s%s", KG_ENTITY_MODEL_PREFIX, chunk_model);
    if (w < 0 || w >= KG_ENTITY_MODEL_MAX)
        return kg_err_set(err, KG_EINVAL, "model id too long: %s", chunk_model);
    return KG_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void kg_entity_window(const char *text, size_t len, int64_t start, int64_t end, int words,
                      size_t *from, size_t *to)
{
    size_t a = start < 0 ? 0 : (size_t)start > len ? len : (size_t)start;
    size_t b = end < 0 ? 0 : (size_t)end > len ? len : (size_t)end;
    if (b < a)
        b = a;
    /* Backwards: skip the spaces before a word, then the word; `words`
     * times.  A mention that starts inside a word takes the whole word. */
    while (a > 0 && !is_space(text[a - 1]))
        a--;
    for (int i = 0; i < words && a > 0; i++) {
        while (a > 0 && is_space(text[a - 1]))
            a--;
        while (a > 0 && !is_space(text[a - 1]))
            a--;
    }
    while (b < len && !is_space(text[b]))
        b++;
    for (int i = 0; i < words && b < len; i++) {
        while (b < len && is_space(text[b]))
            b++;
        while (b < len && !is_space(text[b]))
            b++;
    }
    *from = a;
    *to = b;
}

/* Embed one window (a copy, the embedder wants a C string) into out. */
static void embed_window(kg_embedder *e, const char *text, size_t from, size_t to, float *out,
                         int *empty)
{
    char *w = kg_xstrndup(text + from, to - from);
    kg_embed_text(e, w, out, empty);
    free(w);
}

/* Normalise acc into out; 0 when acc is zero (no vector). */
static int unit(const double *acc, int dim, float *out)
{
    double norm = 0;
    for (int j = 0; j < dim; j++)
        norm += acc[j] * acc[j];
    norm = sqrt(norm);
    /* Only the direction is compared (by cosine): the sum over its norm is
     * the normalised mean. */
    for (int j = 0; j < dim; j++)
        out[j] = norm > 0 ? (float)(acc[j] / norm) : 0.0f;
    return norm > 0;
}

/* A local model's stored IDF fit into a new embedder; *found 0 when the
 * model has none (the embedder then has IDF 1 until fitted). */
static int embedder_for(kg_store *s, const char *model, int dim, kg_embedder **e, int *found,
                        char fit_hash[65], kg_err *err)
{
    uint32_t docs = 0;
    uint32_t *df = NULL;
    int rc = kg_vec_fit_get(s, model, KG_EMBED_BUCKETS, &docs, fit_hash, &df, found, err);
    if (!rc)
        rc = kg_embedder_new(dim, e, err);
    if (!rc && *found)
        kg_embedder_set_df(*e, docs, df);
    free(df);
    return rc;
}

/* ---- refresh ------------------------------------------------------------ */

typedef struct refresh {
    kg_store *s;
    int window;
    kg_hasher *fp;  /* pass 1 */
    kg_embedder *e; /* pass 2 */
    int dim;
    char entity[KG_ID_MAX];
    double *acc;
    float *v, *out;
    kg_entity_vec_report *rep;
    kg_err *err;
} refresh;

static int on_fingerprint(void *ud, const kg_mention_ctx *m)
{
    refresh *r = ud;
    size_t a, b;
    kg_entity_window(m->text, m->len, m->start, m->end, r->window, &a, &b);
    kg_hasher_update(r->fp, m->entity_id, strlen(m->entity_id) + 1);
    kg_hasher_update(r->fp, m->text + a, b - a);
    kg_hasher_update(r->fp, "", 1);
    return 0;
}

static int flush_entity(refresh *r)
{
    if (!r->entity[0])
        return KG_OK;
    int rc = KG_OK;
    if (unit(r->acc, r->dim, r->out)) {
        rc = kg_vec_put(r->s, r->entity, r->rep->model, r->out, r->dim, r->err);
        r->rep->entities++;
    } else {
        r->rep->skipped++;
    }
    memset(r->acc, 0, (size_t)r->dim * sizeof *r->acc);
    r->entity[0] = '\0';
    return rc;
}

static int on_embed(void *ud, const kg_mention_ctx *m)
{
    refresh *r = ud;
    if (strcmp(r->entity, m->entity_id) != 0) {
        int rc = flush_entity(r);
        if (rc)
            return rc;
        snprintf(r->entity, sizeof r->entity, "%s", m->entity_id);
    }
    size_t a, b;
    kg_entity_window(m->text, m->len, m->start, m->end, r->window, &a, &b);
    int empty;
    embed_window(r->e, m->text, a, b, r->v, &empty);
    for (int j = 0; !empty && j < r->dim; j++)
        r->acc[j] += r->v[j];
    return 0;
}

/* Delete the model's old vectors (and those of the v1 method), write one
 * per entity, and the fingerprint, in one transaction. */
static int write_vectors(refresh *r, const char *chunk_model, const char *key, const char *fp)
{
    kg_store *s = r->s;
    kg_err *err = r->err;
    char legacy[KG_ENTITY_MODEL_MAX + 16];
    int rc = kg_store_begin(s, err);
    if (rc)
        return rc;
    rc = kg_vec_delete_model(s, r->rep->model, err);
    snprintf(legacy, sizeof legacy, "%s%s", KG_ENTITY_MODEL_LEGACY, chunk_model);
    if (!rc)
        rc = kg_vec_delete_model(s, legacy, err);
    if (!rc)
        rc = kg_vindex_delete(s, legacy, err);
    if (!rc) {
        snprintf(legacy, sizeof legacy, "vectors:%s%s", KG_ENTITY_MODEL_LEGACY, chunk_model);
        rc = kg_store_meta_put(s, legacy, NULL, err);
    }
    r->acc = kg_xcalloc((size_t)r->dim, sizeof *r->acc);
    r->v = kg_xmalloc((size_t)r->dim * sizeof *r->v);
    r->out = kg_xmalloc((size_t)r->dim * sizeof *r->out);
    if (!rc)
        rc = kg_store_mention_contexts(s, NULL, 0, on_embed, r, err);
    if (!rc)
        rc = flush_entity(r);
    free(r->acc);
    free(r->v);
    free(r->out);
    if (!rc)
        rc = kg_store_meta_put(s, key, fp, err);
    if (!rc)
        return kg_store_commit(s, err);
    kg_store_rollback(s);
    return rc;
}

int kg_entity_vectors_refresh(kg_store *s, const char *chunk_model, int window,
                              kg_entity_vec_report *rep, kg_err *err)
{
    double t0 = kg_now();
    memset(rep, 0, sizeof *rep);
    if (!chunk_model || !*chunk_model)
        chunk_model = KG_EMBED_MODEL_DEFAULT;
    rep->window = window > 0 ? window : KG_ENTITY_WINDOW_DEFAULT;
    refresh r = {.s = s, .window = rep->window, .rep = rep, .err = err};
    int rc = kg_entity_model_id(chunk_model, rep->model, err);
    if (!rc)
        rc = kg_embed_parse_model(chunk_model, &r.dim, err);
    char fit_hash[65] = "";
    int found = 0;
    if (!rc)
        rc = embedder_for(s, chunk_model, r.dim, &r.e, &found, fit_hash, err);
    if (rc || !found) {
        kg_embedder_free(r.e);
        rep->seconds = kg_now() - t0;
        return rc;
    }
    kg_hasher fp;
    kg_hasher_init(&fp);
    kg_hasher_update(&fp, rep->model, strlen(rep->model) + 1);
    kg_hasher_update(&fp, &rep->window, sizeof rep->window);
    kg_hasher_update(&fp, fit_hash, strlen(fit_hash) + 1);
    r.fp = &fp;
    rc = kg_store_mention_contexts(s, NULL, 0, on_fingerprint, &r, err);
    char hex[KG_HASH_HEX_LEN + 1], key[KG_ENTITY_MODEL_MAX + 16];
    kg_hasher_final_hex(&fp, hex);
    snprintf(key, sizeof key, "vectors:%s", rep->model);
    char *old = NULL;
    if (!rc)
        rc = kg_store_meta_get(s, key, &old, err);
    if (!rc && (!old || strcmp(old, hex) != 0)) {
        rep->recomputed = 1;
        rc = write_vectors(&r, chunk_model, key, hex);
    } else if (!rc) {
        int64_t have = 0;
        rc = kg_vec_count(s, rep->model, &have, err);
        rep->entities = have;
    }
    free(old);
    kg_embedder_free(r.e);
    rep->seconds = kg_now() - t0;
    return rc;
}

/* ---- context vectors on demand (fusion) ------------------------------------ */

typedef struct windows {
    char **text;
    size_t *owner; /* index into the ids */
    size_t n, cap;
    size_t cur;
    int window;
} windows;

static int on_window(void *ud, const kg_mention_ctx *m)
{
    windows *w = ud;
    size_t a, b;
    kg_entity_window(m->text, m->len, m->start, m->end, w->window, &a, &b);
    if (w->n == w->cap) { /* text sets the capacity, owner follows it */
        w->text = kg_vec_grow(w->text, &w->cap, w->n + 1, sizeof *w->text);
        w->owner = kg_xrealloc(w->owner, w->cap * sizeof *w->owner);
    }
    w->text[w->n] = kg_xstrndup(m->text + a, b - a);
    w->owner[w->n++] = w->cur;
    return 0;
}

int kg_entity_context_vectors(kg_store *s, const char *const *ids, size_t n, const char *model,
                              int window, int max_mentions, float **vecs, int *has, int *dim,
                              kg_entity_ctx_report *rep, kg_err *err)
{
    *vecs = NULL;
    memset(rep, 0, sizeof *rep);
    if (!model || !*model)
        model = KG_EMBED_MODEL_DEFAULT;
    snprintf(rep->model, sizeof rep->model, "%s", model);
    rep->window = window > 0 ? window : KG_ENTITY_WINDOW_DEFAULT;
    rep->max_mentions = max_mentions > 0 ? max_mentions : 0;
    int rc = kg_embed_parse_model(model, dim, err);
    windows w = {.window = rep->window};
    for (size_t i = 0; !rc && i < n; i++) {
        w.cur = i;
        rc = kg_store_mention_contexts(s, ids[i], max_mentions, on_window, &w, err);
    }
    kg_embedder *e = NULL;
    char fit_hash[65];
    int found = 0;
    if (!rc)
        rc = embedder_for(s, model, *dim, &e, &found, fit_hash, err);
    if (!rc) {
        rep->stored_fit = found;
        /* No fit yet: the windows compared are the corpus, so words common
         * to all of them ("the", "is") weigh little. */
        for (size_t i = 0; !found && i < w.n; i++)
            kg_embedder_add_doc(e, w.text[i]);
        rep->fit_docs = kg_embedder_docs(e);
        rep->windows = (int64_t)w.n;
        double *acc = kg_xcalloc(n * (size_t)*dim + 1, sizeof *acc);
        float *v = kg_xmalloc((size_t)*dim * sizeof *v);
        for (size_t i = 0; i < w.n; i++) {
            int empty;
            kg_embed_text(e, w.text[i], v, &empty);
            for (int j = 0; !empty && j < *dim; j++)
                acc[w.owner[i] * (size_t)*dim + (size_t)j] += v[j];
        }
        float *out = kg_xcalloc(n * (size_t)*dim + 1, sizeof *out);
        for (size_t i = 0; i < n; i++) {
            has[i] = unit(acc + i * (size_t)*dim, *dim, out + i * (size_t)*dim);
            rep->with_vector += has[i];
        }
        free(v);
        free(acc);
        *vecs = out;
    }
    kg_embedder_free(e);
    for (size_t i = 0; i < w.n; i++)
        free(w.text[i]);
    free(w.text);
    free(w.owner);
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
                     const kg_vindex_opts *ix, kg_entity_hit **hits, size_t *n, const char **index,
                     kg_err *err)
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
