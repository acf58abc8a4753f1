/* service_pool: see service_pool.h.
 *
 * The pool is a short list (a process uses a handful of services), so a
 * linear search under one mutex is all it needs.  An entry being started
 * is in the list with `starting` set, so that a second caller with the
 * same key waits on the pool's condition variable for it rather than
 * starting a twin with its own limiter and breaker. */
#include "services/service_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/log.h"
#include "net/openai.h"

typedef struct entry {
    char *key;
    void *svc;
    kg_service_stop_fn stop;
    int refs;
    int starting;
    struct entry *next;
} entry;

struct kg_service_pool {
    pthread_mutex_t mu;
    pthread_cond_t started; /* an entry left the starting state */
    entry *head;
    kg_claims *claims; /* answers being paid for (claims.h) */
};

kg_service_pool *kg_service_pool_new(void)
{
    kg_hash_init(); /* the keys are hashed */
    kg_service_pool *p = kg_xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->started, NULL);
    p->claims = kg_claims_new();
    return p;
}

kg_claims *kg_service_pool_claims(kg_service_pool *p)
{
    return p ? p->claims : NULL;
}

void kg_service_pool_free(kg_service_pool *p)
{
    if (!p)
        return;
    entry *e = p->head;
    while (e) {
        entry *next = e->next;
        if (e->refs > 0)
            kg_warn("service pool: a service is stopped with %d user(s) left", e->refs);
        e->stop(e->svc);
        free(e->key);
        free(e);
        e = next;
    }
    kg_claims_free(p->claims);
    pthread_cond_destroy(&p->started);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

static entry *find_locked(kg_service_pool *p, const char *key)
{
    for (entry *e = p->head; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

int kg_service_pool_acquire(kg_service_pool *p, const char *key, kg_service_start_fn start,
                            void *ud, kg_service_stop_fn stop, void **out, kg_err *err)
{
    *out = NULL;
    pthread_mutex_lock(&p->mu);
    entry *e;
    while ((e = find_locked(p, key)) != NULL && e->starting)
        pthread_cond_wait(&p->started, &p->mu);
    if (e) {
        e->refs++;
        *out = e->svc;
        pthread_mutex_unlock(&p->mu);
        return KG_OK;
    }
    e = kg_xcalloc(1, sizeof *e);
    e->key = kg_xstrdup(key);
    e->stop = stop;
    e->starting = 1;
    e->next = p->head;
    p->head = e;
    pthread_mutex_unlock(&p->mu);

    void *svc = NULL;
    int rc = start(ud, &svc, err);

    pthread_mutex_lock(&p->mu);
    e->starting = 0;
    if (rc != KG_OK) {
        for (entry **pp = &p->head; *pp; pp = &(*pp)->next)
            if (*pp == e) {
                *pp = e->next;
                break;
            }
        free(e->key);
        free(e);
    } else {
        e->svc = svc;
        e->refs = 1;
        *out = svc;
    }
    pthread_cond_broadcast(&p->started);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void kg_service_pool_release(kg_service_pool *p, const void *svc)
{
    if (!svc)
        return;
    pthread_mutex_lock(&p->mu);
    for (entry *e = p->head; e; e = e->next)
        if (e->svc == svc && !e->starting) {
            if (e->refs > 0)
                e->refs--;
            break;
        }
    pthread_mutex_unlock(&p->mu);
}

size_t kg_service_pool_size(kg_service_pool *p)
{
    size_t n = 0;
    pthread_mutex_lock(&p->mu);
    for (entry *e = p->head; e; e = e->next)
        n += !e->starting;
    pthread_mutex_unlock(&p->mu);
    return n;
}

int kg_service_pool_refs(kg_service_pool *p, const void *svc)
{
    int refs = -1;
    pthread_mutex_lock(&p->mu);
    for (entry *e = p->head; e; e = e->next)
        if (e->svc == svc && !e->starting)
            refs = e->refs;
    pthread_mutex_unlock(&p->mu);
    return refs;
}

/* ---- keys ------------------------------------------------------------- */

/* What fixes a service's behaviour besides its model: its settings, and
 * the kg_config object itself (the keys are read from it, now and on
 * SIGHUP).  Hashed, so no setting appears in a key. */
static void settings_print(kg_buf *b, const kg_config *cfg, const kg_openai_opts *o)
{
    kg_buf_printf(b, "%p\n%s\n%s\n%s\n%.17g %.17g %d %ld %ld %d %d %d %.17g %.17g %.17g\n",
                  (const void *)cfg, o->service, o->base_url, o->model, o->requests_per_minute,
                  o->tokens_per_minute, o->max_concurrency, o->timeout_ms, o->connect_timeout_ms,
                  o->retries, o->batch_size, o->breaker_failures, o->breaker_cooldown_ms,
                  o->backoff_base_ms, o->backoff_cap_ms);
}

/* "kind model hash(material)". */
static char *make_key(const char *kind, const char *model, const kg_buf *material)
{
    char h[KG_HASH_HEX_LEN + 1];
    kg_hash_hex(material->data ? material->data : "", material->len, h);
    kg_buf k = KG_BUF_INIT;
    kg_buf_printf(&k, "%s %s %s", kind, model, h);
    return k.data;
}

/* ---- embed ------------------------------------------------------------ */

typedef struct embed_args {
    const kg_config *cfg;
    const char *model;
} embed_args;

static int embed_start(void *ud, void **svc, kg_err *err)
{
    const embed_args *a = ud;
    kg_embed_service *s = NULL;
    int rc = kg_embed_service_start(a->cfg, a->model, &s, err);
    *svc = s;
    return rc;
}

static void embed_stop(void *svc)
{
    kg_embed_service_stop(svc);
}

int kg_service_pool_embed_get(kg_service_pool *p, const kg_config *cfg, const char *model,
                              kg_embed_service **out, kg_err *err)
{
    *out = NULL;
    if (!p)
        return kg_embed_service_start(cfg, model, out, err);
    kg_openai_opts o;
    kg_openai_opts_from_config(cfg, "embed", &o);
    if (model && *model)
        snprintf(o.model, sizeof o.model, "%s", model);
    kg_buf m = KG_BUF_INIT;
    settings_print(&m, cfg, &o);
    char *key = make_key("embed", o.model, &m);
    kg_buf_free(&m);
    embed_args a = {cfg, model};
    void *svc = NULL;
    int rc = kg_service_pool_acquire(p, key, embed_start, &a, embed_stop, &svc, err);
    free(key);
    *out = svc;
    return rc;
}

void kg_service_pool_embed_put(kg_service_pool *p, kg_embed_service *s)
{
    if (p)
        kg_service_pool_release(p, s);
    else
        kg_embed_service_stop(s);
}

/* ---- llm -------------------------------------------------------------- */

typedef struct llm_args {
    const kg_config *cfg;
    const char *service, *system, *schema_name;
    const json_t *schema;
} llm_args;

static int llm_start(void *ud, void **svc, kg_err *err)
{
    const llm_args *a = ud;
    kg_llm_service *s = NULL;
    int rc = kg_llm_service_start(a->cfg, a->service, a->system, a->schema, a->schema_name, &s,
                                  err);
    *svc = s;
    return rc;
}

static void llm_stop(void *svc)
{
    kg_llm_service_stop(svc);
}

int kg_service_pool_llm_get(kg_service_pool *p, const kg_config *cfg, const char *service,
                            const char *system, const json_t *schema, const char *schema_name,
                            kg_llm_service **out, kg_err *err)
{
    *out = NULL;
    if (!p)
        return kg_llm_service_start(cfg, service, system, schema, schema_name, out, err);
    kg_openai_opts o;
    kg_openai_opts_from_config(cfg, service, &o);
    kg_buf m = KG_BUF_INIT;
    settings_print(&m, cfg, &o);
    /* The prompt and the schema are fixed at start: part of the key. */
    char *sj = schema ? json_dumps(schema, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    kg_buf_printf(&m, "%s\n%zu:%s\n%s\n", schema_name ? schema_name : "",
                  system ? strlen(system) : 0, system ? system : "", sj ? sj : "");
    free(sj);
    char kind[64];
    snprintf(kind, sizeof kind, "chat:%s", service);
    char *key = make_key(kind, o.model, &m);
    kg_buf_free(&m);
    llm_args a = {cfg, service, system, schema_name, schema};
    void *svc = NULL;
    int rc = kg_service_pool_acquire(p, key, llm_start, &a, llm_stop, &svc, err);
    free(key);
    *out = svc;
    return rc;
}

void kg_service_pool_llm_put(kg_service_pool *p, kg_llm_service *s)
{
    if (p)
        kg_service_pool_release(p, s);
    else
        kg_llm_service_stop(s);
}
