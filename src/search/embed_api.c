/* embed_api: see embed_api.h.
 *
 * kg_embed_chunks_api, step by step: list the chunks lacking a vector of
 * the model; hash their texts and sort by hash, so that chunks sharing a
 * text form one group and are asked for once; serve groups from the cache
 * (committed a few hundred at a time); send the rest in batches of
 * embed.batch_size through the service, keeping a window of batches
 * submitted so that the rate limiter always has one waiting; commit every
 * finished batch (the cache rows and the chunk vectors together) as it
 * comes back, several at once when several are ready. */
#include "search/embed_api.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "vec/embed.h"
#include "services/claims.h"
#include "store/cache_store.h"
#include "store/vector_store.h"

#define CACHE_COMMIT_EVERY 256
#define DRAIN_MAX 256 /* finished batches written in one transaction */
#define WINDOW_MIN 16 /* batches submitted ahead, at least */
#define VEC_TAG "f32le:"

int kg_embed_is_api(const char *model)
{
    return model && (strcmp(model, "api") == 0 ||
                     strncmp(model, KG_EMBED_API_PREFIX, strlen(KG_EMBED_API_PREFIX)) == 0);
}

int kg_embed_api_model_id(const kg_config *cfg, const char *spec, char out[KG_EMBED_API_ID_MAX],
                          kg_err *err)
{
    out[0] = '\0';
    const char *name = NULL;
    if (spec && strcmp(spec, "api") == 0)
        name = kg_config_str(cfg, "embed.model");
    else if (kg_embed_is_api(spec))
        name = spec + strlen(KG_EMBED_API_PREFIX);
    if (!name || !*name)
        return kg_err_set(err, KG_EINVAL,
                          "model '%s': set embed.model (or name the model: api:NAME)",
                          spec ? spec : "");
    if (strlen(name) > 256)
        return kg_err_set(err, KG_EINVAL, "model name too long (at most 256 bytes)");
    snprintf(out, KG_EMBED_API_ID_MAX, "%s%s", KG_EMBED_API_PREFIX, name);
    return KG_OK;
}

char *kg_embed_vec_encode(const float *v, size_t dim)
{
    size_t bytes = dim * 4;
    unsigned char *bin = kg_xmalloc(bytes + 1);
    for (size_t i = 0; i < dim; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        for (int k = 0; k < 4; k++)
            bin[4 * i + (size_t)k] = (unsigned char)(u >> (8 * k));
    }
    size_t b64len = sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_ORIGINAL);
    char head[48];
    int hl = snprintf(head, sizeof head, VEC_TAG "%zu:", dim);
    char *out = kg_xmalloc((size_t)hl + b64len + 1);
    memcpy(out, head, (size_t)hl);
    sodium_bin2base64(out + hl, b64len, bin, bytes, sodium_base64_VARIANT_ORIGINAL);
    free(bin);
    return out;
}

int kg_embed_vec_decode(const char *text, float **v, int *dim)
{
    *v = NULL;
    *dim = 0;
    if (!text || strncmp(text, VEC_TAG, strlen(VEC_TAG)) != 0)
        return KG_EFORMAT;
    const char *p = text + strlen(VEC_TAG);
    char *end;
    long d = strtol(p, &end, 10);
    if (end == p || *end != ':' || d <= 0 || d > 65536)
        return KG_EFORMAT;
    const char *b64 = end + 1;
    size_t bytes = (size_t)d * 4, got = 0;
    unsigned char *bin = kg_xmalloc(bytes + 1);
    const char *b64_end = NULL;
    if (sodium_base642bin(bin, bytes, b64, strlen(b64), NULL, &got, &b64_end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != bytes || *b64_end != '\0') {
        free(bin);
        return KG_EFORMAT;
    }
    float *out = kg_xmalloc(bytes);
    for (size_t i = 0; i < (size_t)d; i++) {
        uint32_t u = (uint32_t)bin[4 * i] | (uint32_t)bin[4 * i + 1] << 8 |
                     (uint32_t)bin[4 * i + 2] << 16 | (uint32_t)bin[4 * i + 3] << 24;
        memcpy(&out[i], &u, 4);
    }
    free(bin);
    *v = out;
    *dim = (int)d;
    return KG_OK;
}

void kg_embed_unit(float *v, size_t dim)
{
    double ss = 0;
    for (size_t i = 0; i < dim; i++)
        ss += (double)v[i] * v[i];
    if (ss <= 0)
        return;
    double inv = 1.0 / sqrt(ss);
    for (size_t i = 0; i < dim; i++)
        v[i] = (float)(v[i] * inv);
}

/* A chunk to embed; after sorting, chunks with one text are adjacent. */
typedef struct item {
    char *id;
    char *text;
    char hash[KG_HASH_HEX_LEN + 1];
} item;

typedef struct group {
    size_t first, count; /* items[first .. first + count) share a text */
} group;

typedef struct run {
    kg_store *s;
    const char *id;   /* "api:NAME" */
    const char *name; /* NAME: the cache's model */
    item *items;
    size_t nitems;
    group *groups;
    size_t ngroups;
    int dim; /* of the stored vectors (0: none yet) */
    int in_tx;
    kg_embed_api_report *rep;
} run;

static int by_hash(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = strcmp(a->hash, b->hash);
    return c ? c : strcmp(a->id, b->id);
}

static int first_dim(void *ud, const char *owner_id, const float *v, int dim)
{
    (void)owner_id;
    (void)v;
    *(int *)ud = dim;
    return 1; /* one is enough */
}

static int stored_dim(kg_store *s, const char *id, int *dim, kg_err *err)
{
    *dim = 0;
    int rc = kg_vec_each(s, id, first_dim, dim, err);
    return rc == 1 ? KG_OK : rc;
}

/* The chunks lacking a vector, with their texts, grouped by text. */
static int load_items(run *r, kg_err *err)
{
    char **ids = NULL;
    size_t n = 0;
    int rc = kg_vec_missing(r->s, r->id, &ids, &n, err);
    if (rc)
        return rc;
    r->items = kg_xcalloc(n ? n : 1, sizeof *r->items);
    for (size_t i = 0; !rc && i < n; i++) {
        char *text = NULL;
        rc = kg_vec_chunk_text(r->s, ids[i], &text, err);
        if (rc || !text) {
            free(text);
            continue;
        }
        item *it = &r->items[r->nitems++];
        it->id = ids[i];
        ids[i] = NULL;
        it->text = text;
        kg_hash_hex(text, strlen(text), it->hash);
    }
    kg_vec_ids_free(ids, n);
    if (rc)
        return rc;
    qsort(r->items, r->nitems, sizeof *r->items, by_hash);
    r->groups = kg_xcalloc(r->nitems ? r->nitems : 1, sizeof *r->groups);
    for (size_t i = 0; i < r->nitems; i++) {
        if (i == 0 || strcmp(r->items[i].hash, r->items[i - 1].hash) != 0)
            r->groups[r->ngroups++] = (group){i, 0};
        r->groups[r->ngroups - 1].count++;
    }
    return KG_OK;
}

static void free_items(run *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        free(r->items[i].id);
        free(r->items[i].text);
    }
    free(r->items);
    free(r->groups);
}

static int tx_begin(run *r, kg_err *err)
{
    if (r->in_tx)
        return KG_OK;
    int rc = kg_store_begin(r->s, err);
    r->in_tx = rc == KG_OK;
    return rc;
}

static int tx_commit(run *r, kg_err *err)
{
    if (!r->in_tx)
        return KG_OK;
    r->in_tx = 0;
    int rc = kg_store_commit(r->s, err);
    if (rc)
        kg_store_rollback(r->s);
    return rc;
}

static int check_dim(run *r, int dim, const char *where)
{
    if (r->dim == 0) {
        r->dim = dim;
        r->rep->dim = dim;
        return KG_OK;
    }
    if (dim == r->dim)
        return KG_OK;
    if (!r->rep->stopped) {
        r->rep->stopped = 1;
        snprintf(r->rep->stop_reason, sizeof r->rep->stop_reason,
                 "%s has %d dimensions but the stored vectors of %s have %d: the model behind "
                 "the name changed; embed under another model name",
                 where, dim, r->id, r->dim);
    }
    return KG_EFORMAT;
}

/* Store one group's vector: the chunk vectors, and the cache row when the
 * vector is fresh (cache_text non-NULL). */
static int store_group(run *r, const group *g, const float *v, const char *cache_text, kg_err *err)
{
    int rc = KG_OK;
    if (cache_text) {
        kg_cache_key k = {KG_EMBED_API_SERVICE, r->name, r->items[g->first].hash,
                          KG_EMBED_API_PARAMS};
        rc = kg_cache_put(r->s, &k, cache_text, err);
    }
    for (size_t i = 0; !rc && i < g->count; i++)
        rc = kg_vec_put(r->s, r->items[g->first + i].id, r->id, v, r->dim, err);
    if (!rc)
        r->rep->embedded += (int64_t)g->count;
    return rc;
}

/* Serve what the cache holds of the groups in `which` (n of them; NULL:
 * all groups); the groups still to ask go to *misses. */
static int serve_cache(run *r, const size_t *which, size_t n, size_t **misses, size_t *nmiss,
                       kg_err *err)
{
    if (!which)
        n = r->ngroups;
    *misses = kg_xcalloc(n ? n : 1, sizeof **misses);
    *nmiss = 0;
    int rc = KG_OK;
    size_t since = 0;
    for (size_t wi = 0; !rc && wi < n; wi++) {
        size_t gi = which ? which[wi] : wi;
        const group *g = &r->groups[gi];
        kg_cache_key k = {KG_EMBED_API_SERVICE, r->name, r->items[g->first].hash,
                          KG_EMBED_API_PARAMS};
        char *resp = NULL;
        float *v = NULL;
        int dim = 0;
        rc = kg_cache_get(r->s, &k, &resp, err);
        if (!rc && resp && kg_embed_vec_decode(resp, &v, &dim) == KG_OK &&
            check_dim(r, dim, "a cached vector") == KG_OK) {
            rc = tx_begin(r, err);
            if (!rc)
                rc = store_group(r, g, v, NULL, err);
            r->rep->from_cache += (int64_t)g->count;
            if (!rc && ++since >= CACHE_COMMIT_EVERY) {
                rc = tx_commit(r, err);
                since = 0;
            }
        } else if (!rc && !r->rep->stopped) {
            (*misses)[(*nmiss)++] = gi;
        }
        free(v);
        free(resp);
    }
    if (!rc)
        rc = tx_commit(r, err);
    return rc;
}

/* Store a finished batch (in the open transaction). */
static int store_batch(run *r, kg_embed_batch *b, const size_t *misses, size_t bs, kg_err *err)
{
    kg_embed_api_report *rep = r->rep;
    rep->requests += b->attempts;
    rep->retries += b->attempts > 1 ? b->attempts - 1 : 0;
    if (b->status != KG_OK) {
        if (b->status == KG_EBUSY)
            rep->breaker_open = 1;
        if (!rep->stopped) {
            rep->stopped = 1;
            snprintf(rep->stop_reason, sizeof rep->stop_reason, "%s", b->error);
        }
        return KG_OK;
    }
    if (check_dim(r, (int)b->dim, "the answer") != KG_OK)
        return KG_OK;
    int rc = KG_OK;
    size_t base = (size_t)b->tag * bs;
    for (size_t i = 0; !rc && i < b->n; i++) {
        float *v = b->vectors + i * b->dim;
        kg_embed_unit(v, b->dim);
        char *text = kg_embed_vec_encode(v, b->dim);
        rc = store_group(r, &r->groups[misses[base + i]], v, text, err);
        free(text);
    }
    rep->sent += (int64_t)b->n;
    return rc;
}

/* Send the groups in misses in batches and store the answers. */
static int ask(run *r, kg_embed_client *cl, const size_t *misses, size_t nmiss,
               const volatile int *cancel,
               void (*progress)(void *ud, double done, double total, const char *msg), void *ud,
               kg_err *err)
{
    kg_embed_api_report *rep = r->rep;
    const kg_embed_service *svc = kg_embed_client_service(cl);
    size_t bs = (size_t)kg_embed_service_batch_size(svc);
    size_t nb = (nmiss + bs - 1) / bs, next = 0, out = 0;
    size_t window = (size_t)kg_embed_service_max_concurrency(svc) * 2;
    if (window < WINDOW_MIN)
        window = WINDOW_MIN;
    const char **texts = kg_xcalloc(bs, sizeof *texts);
    int rc = KG_OK;
    for (;;) {
        /* Keep the window full while nothing stopped the run. */
        while (!rc && !rep->stopped && !(cancel && *cancel) && next < nb && out < window) {
            size_t from = next * bs, cnt = nmiss - from < bs ? nmiss - from : bs;
            for (size_t i = 0; i < cnt; i++)
                texts[i] = r->items[r->groups[misses[from + i]].first].text;
            kg_embed_client_submit(cl, (uint64_t)next, texts, cnt);
            next++;
            out++;
            rep->batches++;
        }
        if (out == 0)
            break;
        /* Batches on the wire are paid for: always collect them. */
        kg_embed_batch *b = NULL;
        if (kg_embed_client_next(cl, NULL, &b, err) != KG_OK)
            break;
        if (!rc)
            rc = tx_begin(r, err);
        for (int k = 0; b; k++) {
            out--;
            if (!rc)
                rc = store_batch(r, b, misses, bs, err);
            kg_embed_batch_free(b);
            b = k + 1 < DRAIN_MAX ? kg_embed_client_try_next(cl) : NULL;
        }
        int crc = tx_commit(r, err);
        if (!rc)
            rc = crc;
        if (progress)
            progress(ud, (double)rep->embedded, (double)rep->missing, "embedding chunks");
    }
    free(texts);
    if (cancel && *cancel)
        rep->cancelled = 1;
    return rc;
}

/* The claim key of a group: database, model, text. */
static void claim_key(const run *r, const group *g, kg_buf *key)
{
    kg_buf_truncate(key, 0);
    kg_buf_printf(key, "%s\x1f%s\x1f%s", kg_store_path(r->s), r->name, r->items[g->first].hash);
}

/* Split `groups` (n) into those this run now claims (*mine) and those
 * another caller is already paying for (*theirs).  Without claims every
 * group is this run's. */
static void claim_groups(run *r, kg_claims *cl, const size_t *groups, size_t n, size_t **mine,
                         size_t *nmine, size_t **theirs, size_t *ntheirs)
{
    *mine = kg_xcalloc(n ? n : 1, sizeof **mine);
    *theirs = kg_xcalloc(n ? n : 1, sizeof **theirs);
    *nmine = *ntheirs = 0;
    kg_buf key = KG_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        claim_key(r, &r->groups[groups[i]], &key);
        if (!cl || kg_claims_take(cl, kg_buf_str(&key)))
            (*mine)[(*nmine)++] = groups[i];
        else
            (*theirs)[(*ntheirs)++] = groups[i];
    }
    kg_buf_free(&key);
}

static void drop_groups(run *r, kg_claims *cl, const size_t *groups, size_t n)
{
    if (!cl)
        return;
    kg_buf key = KG_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        claim_key(r, &r->groups[groups[i]], &key);
        kg_claims_drop(cl, kg_buf_str(&key));
    }
    kg_buf_free(&key);
}

/* Wait until nobody pays for these groups any more (their answers are then
 * in the cache, or the other caller gave up). */
static int wait_groups(run *r, kg_claims *cl, const size_t *groups, size_t n,
                       const volatile int *cancel)
{
    int rc = KG_OK;
    kg_buf key = KG_BUF_INIT;
    for (size_t i = 0; !rc && i < n; i++) {
        claim_key(r, &r->groups[groups[i]], &key);
        rc = kg_claims_wait(cl, kg_buf_str(&key), cancel);
    }
    kg_buf_free(&key);
    return rc;
}

/* Ask for the groups in misses, sharing with concurrent callers of the
 * pool: claim what nobody pays for yet and ask for it; wait for the rest,
 * take what the others stored from the cache, and go round again for what
 * they could not get.  A handful of rounds is plenty: each round either
 * asks or waits for someone who asked. */
#define CLAIM_ROUNDS 8
static int ask_shared(run *r, kg_service_pool *pool, const kg_config *cfg, size_t *misses,
                      size_t nmiss, kg_embed_service **svc, kg_embed_client **client,
                      volatile int *cancel,
                      void (*progress)(void *ud, double done, double total, const char *msg),
                      void *ud, kg_err *err)
{
    kg_claims *cl = kg_service_pool_claims(pool);
    int rc = KG_OK;
    size_t *todo = misses;
    size_t ntodo = nmiss;
    int owned = 0; /* todo is ours to free */
    for (int round = 0; !rc && ntodo && !r->rep->stopped && round < CLAIM_ROUNDS; round++) {
        size_t *mine, *theirs, nmine, ntheirs;
        claim_groups(r, cl, todo, ntodo, &mine, &nmine, &theirs, &ntheirs);
        if (nmine && !*svc)
            rc = kg_service_pool_embed_get(pool, cfg, r->name, svc, err);
        if (!rc && nmine) {
            if (!*client)
                *client = kg_embed_client_open(*svc);
            rc = ask(r, *client, mine, nmine, cancel, progress, ud, err);
        }
        /* Stored and committed, or given up: either way others may go on. */
        drop_groups(r, cl, mine, nmine);
        free(mine);
        if (owned)
            free(todo);
        todo = NULL;
        ntodo = 0;
        owned = 1;
        if (!rc && ntheirs) {
            if (wait_groups(r, cl, theirs, ntheirs, cancel) != KG_OK)
                r->rep->cancelled = 1;
            else
                rc = serve_cache(r, theirs, ntheirs, &todo, &ntodo, err);
        }
        free(theirs);
    }
    if (owned)
        free(todo);
    return rc;
}

int kg_embed_chunks_api(const kg_config *cfg, kg_service_pool *pool, kg_store *s, const char *spec,
                        int fallback_local, volatile int *cancel,
                        void (*progress)(void *ud, double done, double total, const char *msg),
                        void *ud, kg_embed_api_report *rep, kg_err *err)
{
    double t0 = kg_now();
    memset(rep, 0, sizeof *rep);
    int rc = kg_embed_api_model_id(cfg, spec, rep->model, err);
    if (rc)
        return rc;
    run r = {
        .s = s, .id = rep->model, .name = rep->model + strlen(KG_EMBED_API_PREFIX), .rep = rep};
    int64_t have = 0;
    if ((rc = stored_dim(s, r.id, &r.dim, err)) != KG_OK ||
        (rc = kg_vec_count(s, r.id, &have, err)) != KG_OK)
        return rc;
    rep->dim = r.dim;
    kg_embed_service *svc = NULL;
    size_t *misses = NULL, nmiss = 0;
    rc = load_items(&r, err);
    rep->missing = (int64_t)r.nitems;
    rep->chunks = have + rep->missing;
    if (!rc)
        rc = serve_cache(&r, NULL, 0, &misses, &nmiss, err);
    kg_embed_client *client = NULL;
    if (!rc && nmiss > 0 && !rep->stopped)
        rc = ask_shared(&r, pool, cfg, misses, nmiss, &svc, &client, cancel, progress, ud, err);
    if (client)
        kg_embed_client_close(client, &rep->lag);
    if (r.in_tx)
        kg_store_rollback(s);
    kg_service_pool_embed_put(pool, svc);
    free(misses);
    free_items(&r);
    rep->left = rep->missing - rep->embedded;
    if (!rc && rep->stopped && fallback_local && !(cancel && *cancel)) {
        kg_embed_report lr;
        rc = kg_embed_chunks(s, NULL, cancel, progress, ud, &lr, err);
        rep->fallback = lr.embedded;
        snprintf(rep->fallback_model, sizeof rep->fallback_model, "%s", lr.model);
    }
    rep->seconds = kg_now() - t0;
    return rc;
}

int kg_embed_api_query(const kg_config *cfg, kg_service_pool *pool, kg_store *s, kg_store *cache_rw,
                       const char *spec, const char *query, float **v, int *dim, int *cached,
                       kg_err *err)
{
    *v = NULL;
    *dim = 0;
    *cached = 0;
    char id[KG_EMBED_API_ID_MAX];
    int rc = kg_embed_api_model_id(cfg, spec, id, err);
    if (rc)
        return rc;
    const char *name = id + strlen(KG_EMBED_API_PREFIX);
    char hash[KG_HASH_HEX_LEN + 1];
    kg_hash_hex(query, strlen(query), hash);
    kg_cache_key k = {KG_EMBED_API_SERVICE, name, hash, KG_EMBED_API_PARAMS};
    char *resp = NULL;
    if ((rc = kg_cache_get(s, &k, &resp, err)) != KG_OK)
        return rc;
    int ok = resp && kg_embed_vec_decode(resp, v, dim) == KG_OK;
    free(resp);
    if (ok) {
        *cached = 1;
        return KG_OK;
    }
    kg_embed_service *svc = NULL;
    if ((rc = kg_service_pool_embed_get(pool, cfg, name, &svc, err)) != KG_OK)
        return rc;
    const char *texts[1] = {query};
    kg_embed_client *cl = kg_embed_client_open(svc);
    kg_embed_client_submit(cl, 0, texts, 1);
    kg_embed_batch *b = NULL;
    rc = kg_embed_client_next(cl, NULL, &b, err);
    kg_embed_client_close(cl, NULL);
    kg_service_pool_embed_put(pool, svc);
    if (rc == KG_OK && b->status != KG_OK)
        rc = kg_err_set(err, b->status, "embedding the query with %s: %s", id, b->error);
    if (rc == KG_OK) {
        kg_embed_unit(b->vectors, b->dim);
        *dim = (int)b->dim;
        *v = kg_xmalloc(b->dim * sizeof **v);
        memcpy(*v, b->vectors, b->dim * sizeof **v);
        if (cache_rw) {
            /* Best effort: a query not cached is only asked again. */
            char *text = kg_embed_vec_encode(*v, b->dim);
            kg_err ignored;
            kg_cache_put(cache_rw, &k, text, &ignored);
            free(text);
        }
    }
    kg_embed_batch_free(b);
    return rc;
}

int kg_search_ranked_api(const kg_config *cfg, kg_service_pool *pool, kg_store *s,
                         kg_store *cache_rw, const char *query, kg_search_mode mode,
                         const char *spec, int limit, kg_ranked_hit **hits, size_t *n,
                         kg_search_info *info, kg_err *err)
{
    *hits = NULL;
    *n = 0;
    if (mode == KG_SEARCH_TEXT)
        return kg_search_ranked(s, query, mode, NULL, limit, hits, n, info, err);
    char id[KG_EMBED_API_ID_MAX];
    int rc = kg_embed_api_model_id(cfg, spec, id, err);
    if (rc)
        return rc;
    int64_t have = 0;
    if ((rc = kg_vec_count(s, id, &have, err)) != KG_OK)
        return rc;
    /* Nothing to compare with: say so before paying for the query. */
    if (have == 0)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no vectors for model %s yet: run `kgas embed --model %s` (or the "
                          "embed_chunks tool) first",
                          id, spec);
    float *q = NULL;
    int dim = 0, cached = 0;
    if ((rc = kg_embed_api_query(cfg, pool, s, cache_rw, spec, query, &q, &dim, &cached, err)) !=
        KG_OK)
        return rc;
    rc = kg_search_ranked_vec(s, query, mode, id, q, dim, limit, hits, n, info, err);
    info->query_cached = cached;
    free(q);
    return rc;
}
