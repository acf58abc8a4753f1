/* vector_index: see vector_index.h.  The exact path loads the vectors in
 * owner-id order (ties go to the smaller owner id, as before the index
 * existed); the HNSW path loads them in rowid order, the order the stored
 * index covers. */
#include "search/vector_index.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/log.h"
#include "base/vec.h"
#include "store/vector_store.h"
#include "store/vindex_store.h"
#include "vec/embed.h"
#include "vec/hnsw.h"
#include "vec/vsearch.h"

void kg_vindex_opts_default(kg_vindex_opts *o)
{
    o->mode = KG_VINDEX_AUTO;
    o->min_vectors = 20000;
    o->m = 16;
    o->ef_construction = 100;
    o->ef_search = 64;
}

void kg_vindex_opts_from_config(const kg_config *c, kg_vindex_opts *o)
{
    kg_vindex_opts_default(o);
    const char *mode = kg_config_str(c, "vector.index");
    o->mode = !mode || strcmp(mode, "auto") == 0 ? KG_VINDEX_AUTO
              : strcmp(mode, "hnsw") == 0        ? KG_VINDEX_HNSW
                                                 : KG_VINDEX_EXACT;
    o->min_vectors = kg_config_int(c, "vector.hnsw_min_vectors");
    o->m = (int)kg_config_int(c, "vector.hnsw_m");
    o->ef_construction = (int)kg_config_int(c, "vector.hnsw_ef_construction");
    o->ef_search = (int)kg_config_int(c, "vector.hnsw_ef_search");
}

int kg_vindex_wants_hnsw(const kg_vindex_opts *o, int64_t vectors)
{
    return o->mode == KG_VINDEX_HNSW || (o->mode == KG_VINDEX_AUTO && vectors >= o->min_vectors);
}

/* --- the vectors of a model as one matrix ------------------------------ */

typedef struct loaded {
    float *m;
    char **ids;
    size_t n, cap;
    int dim;
    kg_hasher fp;    /* over the rows so far */
    int64_t snap_at; /* row count at which to snapshot fp (-1: never) */
    char snap[KG_HASH_HEX_LEN + 1];
    kg_hnsw *h;
    char *key; /* cache key */
    int refs;
} loaded;

static void loaded_free(loaded *l)
{
    if (!l)
        return;
    kg_hnsw_free(l->h);
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    free(l->ids);
    free(l->m);
    free(l->key);
    free(l);
}

/* The fingerprint covers what makes two sets of vectors the same: model,
 * dimension, IDF fit and, per vector, its rowid and owner (a replaced
 * vector gets a new rowid). */
static void fp_start(kg_hasher *h, const char *model, int dim, const char *fit_hash)
{
    char head[160];
    int n = snprintf(head, sizeof head, "kgas-vindex-1\x1f%s\x1f%d\x1f%s", model, dim,
                     fit_hash ? fit_hash : "");
    kg_hasher_init(h);
    kg_hasher_update(h, head, (size_t)n + 1);
}

static void fp_row(kg_hasher *h, int64_t rowid, const char *owner)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)rowid >> (8 * i));
    kg_hasher_update(h, b, 8);
    kg_hasher_update(h, owner, strlen(owner) + 1);
}

static void fp_final(const kg_hasher *h, char out[KG_HASH_HEX_LEN + 1])
{
    kg_hasher copy = *h;
    kg_hasher_final_hex(&copy, out);
}

static int add_row(void *ud, int64_t rowid, const char *owner_id, const float *v, int dim)
{
    loaded *l = ud;
    if (dim != l->dim)
        return KG_EFORMAT;
    if ((int64_t)l->n == l->snap_at)
        fp_final(&l->fp, l->snap);
    if (l->n == l->cap) { /* rows of dim floats; ids follow m's capacity */
        l->m = kg_vec_grow(l->m, &l->cap, l->n + 1, (size_t)dim * sizeof *l->m);
        l->ids = kg_xrealloc(l->ids, l->cap * sizeof *l->ids);
    }
    memcpy(l->m + l->n * (size_t)dim, v, (size_t)dim * sizeof *v);
    l->ids[l->n++] = kg_xstrdup(owner_id);
    fp_row(&l->fp, rowid, owner_id);
    return 0;
}

static int add_row_owner_order(void *ud, const char *owner_id, const float *v, int dim)
{
    return add_row(ud, 0, owner_id, v, dim);
}

static int dim_error(int rc, const char *model, int dim, kg_err *err)
{
    if (rc == KG_EFORMAT)
        kg_err_set(err, rc, "a stored vector of %s does not have %d dimensions", model, dim);
    return rc;
}

/* --- the in-process cache ---------------------------------------------- */

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static loaded *cache;

static loaded *cache_take(const char *key)
{
    pthread_mutex_lock(&cache_mu);
    loaded *l = cache && strcmp(cache->key, key) == 0 ? cache : NULL;
    if (l)
        l->refs++;
    pthread_mutex_unlock(&cache_mu);
    return l;
}

static void release(loaded *l)
{
    pthread_mutex_lock(&cache_mu);
    int last = --l->refs == 0;
    pthread_mutex_unlock(&cache_mu);
    if (last)
        loaded_free(l);
}

static void cache_put(loaded *l)
{
    pthread_mutex_lock(&cache_mu);
    loaded *old = cache;
    cache = l;
    l->refs++;
    int last = old && --old->refs == 0;
    pthread_mutex_unlock(&cache_mu);
    if (last)
        loaded_free(old);
}

void kg_vindex_cache_clear(void)
{
    pthread_mutex_lock(&cache_mu);
    loaded *old = cache;
    cache = NULL;
    int last = old && --old->refs == 0;
    pthread_mutex_unlock(&cache_mu);
    if (last)
        loaded_free(old);
}

static int key_row(void *ud, int64_t rowid, const char *owner_id, const float *v, int dim)
{
    (void)v;
    (void)dim;
    fp_row(ud, rowid, owner_id);
    return 0;
}

static char *cache_key(kg_store *s, const char *model, const char *fp, const kg_vindex_opts *o)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, kg_store_path(s));
    char tail[256];
    snprintf(tail, sizeof tail, "\x1f%s\x1f%s\x1f%d\x1f%d", model, fp, o->m, o->ef_construction);
    kg_buf_puts(&b, tail);
    return kg_buf_steal(&b);
}

/* --- building, extending, storing ------------------------------------- */

/* Write the index through a connection of its own: s may be read-only. */
static int store_index(kg_store *s, const char *model, const loaded *l, const char *fp)
{
    kg_store *w = NULL;
    kg_err e;
    kg_store_opts so = {0};
    int rc = kg_store_open(kg_store_path(s), &so, &w, &e);
    kg_vindex_row r = {.dim = l->dim, .vectors = (int64_t)l->n};
    snprintf(r.kind, sizeof r.kind, "hnsw");
    snprintf(r.fingerprint, sizeof r.fingerprint, "%s", fp);
    if (!rc) {
        kg_hnsw_save(l->h, &r.data, &r.len);
        rc = kg_vindex_put(w, model, &r, &e);
        kg_vindex_row_free(&r);
    }
    kg_store_close(w);
    if (rc)
        kg_warn("the HNSW index of %s was built but not stored (it serves this process only): %s",
                model, e.msg);
    return rc == KG_OK;
}

/* Reuse the stored index when its vectors are a prefix of l's, else build. */
static int make_index(kg_store *s, const char *model, loaded *l, const kg_vindex_row *row,
                      int found, const kg_vindex_opts *o, kg_vindex_report *rep, kg_err *err)
{
    kg_err e;
    if (found && strcmp(row->kind, "hnsw") == 0 && row->dim == l->dim && row->vectors >= 0 &&
        (size_t)row->vectors <= l->n && strcmp(row->fingerprint, l->snap) == 0) {
        if (kg_hnsw_load(row->data, row->len, l->m, (size_t)row->vectors, (size_t)l->dim, &l->h,
                         &e) != KG_OK) {
            kg_warn("%s; rebuilding it", e.msg);
        } else {
            kg_hnsw_params p = kg_hnsw_get_params(l->h);
            if (p.m != o->m || p.ef_construction != o->ef_construction) {
                kg_hnsw_free(l->h); /* built with other settings: rebuild */
                l->h = NULL;
            }
        }
    }
    if (l->h) {
        size_t had = kg_hnsw_size(l->h);
        int rc = kg_hnsw_extend(l->h, l->m, l->n, err);
        if (rc)
            return rc;
        rep->extended = had < l->n;
        rep->added = (int64_t)(l->n - had);
    } else {
        kg_hnsw_params p = {o->m, o->ef_construction, KG_HNSW_DEFAULT_SEED};
        int rc = kg_hnsw_build(l->m, l->n, (size_t)l->dim, &p, &l->h, err);
        if (rc)
            return rc;
        rep->built = 1;
        rep->added = (int64_t)l->n;
    }
    return KG_OK;
}

/* The model's vectors and HNSW index, from the cache or the database; the
 * caller releases *out. */
static int get_index(kg_store *s, const char *model, int dim, const char *fit_hash,
                     const kg_vindex_opts *o, kg_vindex_report *rep, loaded **out, kg_err *err)
{
    double t0 = kg_now();
    *out = NULL;
    kg_hasher kh;
    fp_start(&kh, model, dim, fit_hash);
    int rc = kg_vec_keys_by_rowid(s, model, key_row, &kh, err);
    if (rc)
        return rc;
    char fp[KG_HASH_HEX_LEN + 1];
    fp_final(&kh, fp);
    char *key = cache_key(s, model, fp, o);
    if ((*out = cache_take(key)) != NULL) {
        free(key);
        rep->cached = 1;
        return KG_OK;
    }
    free(key);
    kg_vindex_row row;
    int found;
    if ((rc = kg_vindex_get(s, model, &row, &found, err)) != KG_OK)
        return rc;
    loaded *l = kg_xcalloc(1, sizeof *l);
    l->dim = dim;
    l->refs = 1;
    l->snap_at = found ? row.vectors : -1;
    fp_start(&l->fp, model, dim, fit_hash);
    rc = dim_error(kg_vec_each_by_rowid(s, model, add_row, l, err), model, dim, err);
    if (!rc) {
        if ((int64_t)l->n == l->snap_at)
            fp_final(&l->fp, l->snap);
        fp_final(&l->fp, fp); /* what was read, even if written to meanwhile */
        rc = make_index(s, model, l, &row, found, o, rep, err);
    }
    kg_vindex_row_free(&row);
    if (rc) {
        loaded_free(l);
        return rc;
    }
    if (rep->added)
        rep->stored = store_index(s, model, l, fp);
    l->key = cache_key(s, model, fp, o);
    cache_put(l);
    rep->seconds = kg_now() - t0;
    *out = l;
    return KG_OK;
}

/* --- searching -------------------------------------------------------- */

static void hits_out(char **ids, const kg_vhit *top, size_t got, int steal, char ***ids_out,
                     float **scores_out)
{
    *ids_out = kg_xcalloc(got ? got : 1, sizeof **ids_out);
    *scores_out = kg_xcalloc(got ? got : 1, sizeof **scores_out);
    for (size_t i = 0; i < got; i++) {
        char **src = &ids[top[i].index];
        (*ids_out)[i] = steal ? *src : kg_xstrdup(*src);
        if (steal)
            *src = NULL;
        (*scores_out)[i] = top[i].score;
    }
}

static int exact(kg_store *s, const char *model, int dim, const float *q, size_t k, char ***ids,
                 float **scores, size_t *n, kg_err *err)
{
    loaded *l = kg_xcalloc(1, sizeof *l);
    l->dim = dim;
    l->snap_at = -1;
    kg_hasher_init(&l->fp);
    int rc = dim_error(kg_vec_each(s, model, add_row_owner_order, l, err), model, dim, err);
    if (!rc) {
        kg_vhit *top = kg_xmalloc((k ? k : 1) * sizeof *top);
        *n = kg_vsearch(l->m, l->n, (size_t)dim, q, k, top);
        hits_out(l->ids, top, *n, 1, ids, scores);
        free(top);
    }
    loaded_free(l);
    return rc;
}

int kg_vindex_search(kg_store *s, const char *model, int dim, const char *fit_hash, const float *q,
                     size_t k, const kg_vindex_opts *o, char ***ids, float **scores, size_t *n,
                     kg_vindex_report *rep, kg_err *err)
{
    kg_vindex_opts def;
    if (!o) {
        kg_vindex_opts_default(&def);
        o = &def;
    }
    memset(rep, 0, sizeof *rep);
    *ids = NULL;
    *scores = NULL;
    *n = 0;
    int rc = kg_vec_count(s, model, &rep->vectors, err);
    if (rc)
        return rc;
    if (!kg_vindex_wants_hnsw(o, rep->vectors)) {
        rep->index = "exact";
        return exact(s, model, dim, q, k, ids, scores, n, err);
    }
    rep->index = "hnsw";
    loaded *l;
    if ((rc = get_index(s, model, dim, fit_hash, o, rep, &l, err)) != KG_OK)
        return rc;
    kg_vhit *top = kg_xmalloc((k ? k : 1) * sizeof *top);
    *n = kg_hnsw_search(l->h, q, k, (size_t)o->ef_search, top);
    hits_out(l->ids, top, *n, 0, ids, scores);
    free(top);
    release(l);
    return KG_OK;
}

int kg_vindex_refresh(kg_store *s, const char *model, int dim, const kg_vindex_opts *o,
                      kg_vindex_report *rep, kg_err *err)
{
    kg_vindex_opts def;
    if (!o) {
        kg_vindex_opts_default(&def);
        o = &def;
    }
    memset(rep, 0, sizeof *rep);
    int rc = kg_vec_count(s, model, &rep->vectors, err);
    if (rc)
        return rc;
    rep->index = kg_vindex_wants_hnsw(o, rep->vectors) ? "hnsw" : "exact";
    if (strcmp(rep->index, "exact") == 0)
        return KG_OK;
    uint32_t docs;
    uint32_t *df = NULL;
    char fit_hash[65];
    int found;
    rc = kg_vec_fit_get(s, model, KG_EMBED_BUCKETS, &docs, fit_hash, &df, &found, err);
    free(df);
    if (rc)
        return rc;
    loaded *l;
    if ((rc = get_index(s, model, dim, found ? fit_hash : "", o, rep, &l, err)) != KG_OK)
        return rc;
    release(l);
    return KG_OK;
}
