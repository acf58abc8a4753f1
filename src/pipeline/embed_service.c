/* embed_service: see embed_service.h.
 *
 * Hand-over: a batch sits in the `queued` list (service mutex) until the
 * loop starts its call; the call's callback fills it in and moves it to the
 * `done` list and signals the caller.  The loop thread alone touches the
 * net/ objects; the caller alone touches a batch once it is in `done`. */
#include "pipeline/embed_service.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base/buf.h"
#include "base/clock.h"
#include "net/credentials.h"
#include "net/http.h"
#include "net/openai.h"

/* How often a waiting caller looks at the cancel flag: a signal handler
 * sets it and cannot signal a condition variable, so the wait has a
 * deadline.  It is a wait on the condition, not a sleep. */
#define CANCEL_POLL_MS 100
/* How often the stopping loop checks whether its calls have ended. */
#define DRAIN_POLL_MS 10
/* The lag probe's period. */
#define LAG_TICK_MS 5

typedef struct job {
    kg_embed_service *svc;
    kg_embed_batch *b;       /* the caller's once it is in the done list */
    char **texts;
    size_t n;
    struct job *next;
} job;

struct kg_embed_service {
    uv_loop_t loop;
    uv_async_t wake, quit;
    uv_timer_t drain, lag;
    pthread_t thread;
    kg_http *http;
    kg_credentials *cred;
    kg_openai *ai;
    kg_openai_opts opts;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    job *qhead, *qtail;                /* queued, not yet started */
    kg_embed_batch *dhead, *dtail;     /* finished, not yet collected */
    /* Lag probe (loop thread while it runs; read after the join). */
    uint64_t lag_expected_ns;
    double *lag_v;
    size_t lag_n, lag_cap;
};

static void job_free(job *j)
{
    for (size_t i = 0; j->texts && i < j->n; i++)
        free(j->texts[i]);
    free(j->texts);
    free(j);
}

/* Under s->mu: a batch is finished. */
static void finish_locked(kg_embed_service *s, kg_embed_batch *b)
{
    b->next = NULL;
    if (s->dtail)
        s->dtail->next = b;
    else
        s->dhead = b;
    s->dtail = b;
    pthread_cond_signal(&s->cond);
}

static void on_vectors(const kg_openai_result *r, void *ud)
{
    job *j = ud;
    kg_embed_service *s = j->svc;
    kg_embed_batch *b = j->b;
    b->status = r->status;
    b->http_status = r->http_status;
    b->attempts = r->attempts;
    if (r->status == KG_OK) {
        b->dim = r->dim;
        size_t nf = r->count * r->dim;
        b->vectors = kg_xmalloc((nf > 0 ? nf : 1) * sizeof(float));
        if (nf > 0)
            memcpy(b->vectors, r->vectors, nf * sizeof(float));
    } else {
        snprintf(b->error, sizeof b->error, "%s", r->error ? r->error : "embedding failed");
    }
    pthread_mutex_lock(&s->mu);
    finish_locked(s, b);
    pthread_mutex_unlock(&s->mu);
    job_free(j);
}

/* Loop thread: start the calls of everything queued. */
static void on_wake(uv_async_t *a)
{
    kg_embed_service *s = a->data;
    pthread_mutex_lock(&s->mu);
    job *q = s->qhead;
    s->qhead = s->qtail = NULL;
    pthread_mutex_unlock(&s->mu);
    while (q) {
        job *j = q;
        q = q->next;
        kg_err e;
        kg_err_clear(&e);
        if (kg_openai_embed(s->ai, (const char *const *)j->texts, j->n, on_vectors, j, &e) !=
            KG_OK) {
            j->b->status = e.code ? e.code : KG_EINVAL;
            snprintf(j->b->error, sizeof j->b->error, "%s", e.msg);
            pthread_mutex_lock(&s->mu);
            finish_locked(s, j->b);
            pthread_mutex_unlock(&s->mu);
            job_free(j);
        }
    }
}

static void on_lag(uv_timer_t *t)
{
    kg_embed_service *s = t->data;
    uint64_t now = uv_hrtime();
    double lag = now > s->lag_expected_ns ? (double)(now - s->lag_expected_ns) / 1e6 : 0.0;
    s->lag_expected_ns = now + (uint64_t)LAG_TICK_MS * 1000000u;
    if (s->lag_n == s->lag_cap) {
        s->lag_cap = s->lag_cap ? s->lag_cap * 2 : 1024;
        s->lag_v = kg_xrealloc(s->lag_v, s->lag_cap * sizeof *s->lag_v);
    }
    s->lag_v[s->lag_n++] = lag;
}

static void on_drain(uv_timer_t *t)
{
    kg_embed_service *s = t->data;
    if (kg_openai_pending(s->ai) > 0)
        return;
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
    kg_openai_free(s->ai);
    s->ai = NULL;
    kg_http_free(s->http);
    s->http = NULL;
}

/* Loop thread: take no more batches; once the calls in flight have ended,
 * free the client so that every handle closes and uv_run returns. */
static void on_quit(uv_async_t *a)
{
    kg_embed_service *s = a->data;
    /* Batches never started are dropped unsent: nobody will collect them,
     * and a paid answer nobody stores would be paid again next run. */
    pthread_mutex_lock(&s->mu);
    job *q = s->qhead;
    s->qhead = s->qtail = NULL;
    pthread_mutex_unlock(&s->mu);
    while (q) {
        job *j = q;
        q = q->next;
        kg_embed_batch *b = j->b;
        job_free(j);
        kg_embed_batch_free(b);
    }
    uv_close((uv_handle_t *)&s->wake, NULL);
    uv_close((uv_handle_t *)&s->quit, NULL);
    uv_timer_stop(&s->lag);
    uv_close((uv_handle_t *)&s->lag, NULL);
    uv_timer_start(&s->drain, on_drain, 0, DRAIN_POLL_MS);
}

static void *loop_main(void *arg)
{
    kg_embed_service *s = arg;
    uv_run(&s->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void free_fields(kg_embed_service *s)
{
    kg_credentials_free(s->cred);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cond);
    while (s->dhead) {
        kg_embed_batch *b = s->dhead;
        s->dhead = b->next;
        kg_embed_batch_free(b);
    }
    free(s->lag_v);
    free(s);
}

int kg_embed_service_start(const kg_config *cfg, const char *model, kg_embed_service **out,
                           kg_err *err)
{
    *out = NULL;
    if (!kg_openai_configured(cfg, "embed"))
        return kg_err_set(err, KG_EINVAL,
                          "the embed service is not configured: set embed.base_url (or a key: "
                          "embed.api_key, embed.key_file, embed.key_command) and embed.model");
    kg_embed_service *s = kg_xcalloc(1, sizeof *s);
    kg_openai_opts_from_config(cfg, "embed", &s->opts);
    if (model && *model)
        snprintf(s->opts.model, sizeof s->opts.model, "%s", model);
    if (!s->opts.model[0]) {
        free(s);
        return kg_err_set(err, KG_EINVAL, "embed.model is not set (the embedding model to ask)");
    }
    int rc = kg_credentials_open(cfg, "embed", &s->cred, err);
    if (rc) {
        free(s);
        return rc;
    }
    pthread_mutex_init(&s->mu, NULL);
    kg_cond_init_monotonic(&s->cond);
    if (uv_loop_init(&s->loop) != 0) {
        free_fields(s);
        return kg_err_set(err, KG_ENOMEM, "cannot create the embed event loop");
    }
    s->http = kg_http_new(&s->loop, err);
    if (!s->http) {
        uv_loop_close(&s->loop);
        free_fields(s);
        return err ? err->code : KG_EIO;
    }
    s->ai = kg_openai_new(&s->loop, s->http, &s->opts, s->cred);
    uv_async_init(&s->loop, &s->wake, on_wake);
    uv_async_init(&s->loop, &s->quit, on_quit);
    uv_timer_init(&s->loop, &s->drain);
    uv_timer_init(&s->loop, &s->lag);
    s->wake.data = s->quit.data = s->drain.data = s->lag.data = s;
    s->lag_expected_ns = uv_hrtime() + (uint64_t)LAG_TICK_MS * 1000000u;
    uv_timer_start(&s->lag, on_lag, LAG_TICK_MS, LAG_TICK_MS);
    if (pthread_create(&s->thread, NULL, loop_main, s) != 0) {
        on_quit(&s->quit); /* close everything on this thread instead */
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        free_fields(s);
        return kg_err_set(err, KG_ENOMEM, "cannot start the embed thread");
    }
    *out = s;
    return KG_OK;
}

void kg_embed_service_stop(kg_embed_service *s, kg_embed_lag *lag)
{
    if (!s)
        return;
    uv_async_send(&s->quit);
    pthread_join(s->thread, NULL);
    uv_loop_close(&s->loop);
    if (lag)
        kg_embed_lag_summary(s->lag_v, s->lag_n, lag);
    free_fields(s);
}

const char *kg_embed_service_model(const kg_embed_service *s)
{
    return s->opts.model;
}

int kg_embed_service_batch_size(const kg_embed_service *s)
{
    return s->opts.batch_size > 0 ? s->opts.batch_size : 64;
}

int kg_embed_service_max_concurrency(const kg_embed_service *s)
{
    return s->opts.max_concurrency > 0 ? s->opts.max_concurrency : 1;
}

void kg_embed_service_submit(kg_embed_service *s, uint64_t tag, const char *const *texts,
                             size_t n)
{
    job *j = kg_xcalloc(1, sizeof *j);
    j->svc = s;
    j->b = kg_xcalloc(1, sizeof *j->b);
    j->b->tag = tag;
    j->b->n = n;
    j->n = n;
    j->texts = kg_xcalloc(n ? n : 1, sizeof *j->texts);
    for (size_t i = 0; i < n; i++)
        j->texts[i] = kg_xstrdup(texts[i]);
    pthread_mutex_lock(&s->mu);
    if (s->qtail)
        s->qtail->next = j;
    else
        s->qhead = j;
    s->qtail = j;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->wake);
}

int kg_embed_service_next(kg_embed_service *s, const volatile int *cancel, kg_embed_batch **out,
                          kg_err *err)
{
    *out = NULL;
    pthread_mutex_lock(&s->mu);
    while (!s->dhead && !(cancel && *cancel)) {
        int w = kg_cond_wait_ms(&s->cond, &s->mu, CANCEL_POLL_MS);
        if (w != 0 && w != ETIMEDOUT)
            break;
    }
    kg_embed_batch *b = s->dhead;
    if (b) {
        s->dhead = b->next;
        if (!s->dhead)
            s->dtail = NULL;
        b->next = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    if (!b)
        return kg_err_set(err, KG_ECANCELED, "cancelled while waiting for embeddings");
    *out = b;
    return KG_OK;
}

kg_embed_batch *kg_embed_service_try_next(kg_embed_service *s)
{
    pthread_mutex_lock(&s->mu);
    kg_embed_batch *b = s->dhead;
    if (b) {
        s->dhead = b->next;
        if (!s->dhead)
            s->dtail = NULL;
        b->next = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    return b;
}

void kg_embed_batch_free(kg_embed_batch *b)
{
    if (!b)
        return;
    free(b->vectors);
    free(b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void kg_embed_lag_summary(double *v, size_t n, kg_embed_lag *out)
{
    memset(out, 0, sizeof *out);
    out->samples = n;
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    out->max_ms = v[n - 1];
    /* Nearest rank: the smallest value with at least 99% of samples <= it. */
    size_t rank = (size_t)ceil(0.99 * (double)n);
    out->p99_ms = v[(rank ? rank : 1) - 1];
}
