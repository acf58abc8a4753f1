/* embed_service: see embed_service.h.
 *
 * Hand-over: a batch sits in the service's `queued` list (service mutex)
 * until the loop starts its call; the call's callback fills it in and
 * moves it to its client's `done` list and signals that client.  The loop
 * thread alone touches the net/ objects; the caller alone touches a batch
 * once it is in `done`.
 *
 * A client may be closed while batches of its are on the wire: they still
 * hold a pointer to it, so the client is freed by whoever sees it closed
 * with nothing outstanding (the close itself, or the last callback), both
 * under the service mutex. */
#include "services/embed_service.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
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
    kg_embed_client *c;
    kg_embed_batch *b; /* the caller's once it is in the done list */
    char **texts;
    size_t n;
    struct job *next;
} job;

struct kg_embed_client {
    kg_embed_service *svc;
    pthread_cond_t cond;           /* a batch of this client's finished */
    kg_embed_batch *dhead, *dtail; /* finished, not yet collected */
    size_t outstanding;            /* submitted, not yet finished */
    int closed;
    double *lag_v; /* the lag samples of its life */
    size_t lag_n, lag_cap;
    struct kg_embed_client *prev, *next; /* the open clients */
};

struct kg_embed_service {
    uv_loop_t loop;
    uv_async_t wake, quit;
    uv_timer_t drain, lag;
    uv_signal_t hup; /* SIGHUP: re-read the keys */
    pthread_t thread;
    kg_http *http;
    kg_credentials *cred;
    kg_openai *ai;
    kg_openai_opts opts;
    pthread_mutex_t mu;       /* guards the queue and every client */
    job *qhead, *qtail;       /* queued, not yet started */
    kg_embed_client *clients; /* open clients */
    size_t nclients;
    uint64_t lag_expected_ns; /* loop thread only */
};

static void job_free(job *j)
{
    for (size_t i = 0; j->texts && i < j->n; i++)
        free(j->texts[i]);
    free(j->texts);
    free(j);
}

static void client_free(kg_embed_client *c)
{
    while (c->dhead) {
        kg_embed_batch *b = c->dhead;
        c->dhead = b->next;
        kg_embed_batch_free(b);
    }
    pthread_cond_destroy(&c->cond);
    free(c->lag_v);
    free(c);
}

/* Under s->mu: one of c's batches will not be collected (dropped unsent,
 * or finished after the close); free the client once nothing is left. */
static void forget_locked(kg_embed_client *c, kg_embed_batch *b)
{
    kg_embed_batch_free(b);
    c->outstanding--;
    if (c->closed && c->outstanding == 0)
        client_free(c);
}

/* Under s->mu: a batch is finished; hand it to its client. */
static void finish_locked(kg_embed_client *c, kg_embed_batch *b)
{
    if (c->closed) {
        forget_locked(c, b);
        return;
    }
    c->outstanding--;
    b->next = NULL;
    if (c->dtail)
        c->dtail->next = b;
    else
        c->dhead = b;
    c->dtail = b;
    pthread_cond_signal(&c->cond);
}

static void on_vectors(const kg_openai_result *r, void *ud)
{
    job *j = ud;
    kg_embed_service *s = j->c->svc;
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
    finish_locked(j->c, b);
    pthread_mutex_unlock(&s->mu);
    job_free(j);
}

static void on_lag(uv_timer_t *t);

/* Loop thread: the lag probe runs while a client is open (an idle pooled
 * service should not wake 200 times a second for nobody). */
static void lag_arm(kg_embed_service *s)
{
    pthread_mutex_lock(&s->mu);
    int want = s->nclients > 0;
    pthread_mutex_unlock(&s->mu);
    if (want && !uv_is_active((uv_handle_t *)&s->lag)) {
        s->lag_expected_ns = uv_hrtime() + (uint64_t)LAG_TICK_MS * 1000000u;
        uv_timer_start(&s->lag, on_lag, LAG_TICK_MS, LAG_TICK_MS);
    }
}

static void push_sample(kg_embed_client *c, double lag)
{
    if (c->lag_n == c->lag_cap) {
        c->lag_cap = c->lag_cap ? c->lag_cap * 2 : 1024;
        c->lag_v = kg_xrealloc(c->lag_v, c->lag_cap * sizeof *c->lag_v);
    }
    c->lag_v[c->lag_n++] = lag;
}

static void on_lag(uv_timer_t *t)
{
    kg_embed_service *s = t->data;
    uint64_t now = uv_hrtime();
    double lag = now > s->lag_expected_ns ? (double)(now - s->lag_expected_ns) / 1e6 : 0.0;
    s->lag_expected_ns = now + (uint64_t)LAG_TICK_MS * 1000000u;
    pthread_mutex_lock(&s->mu);
    for (kg_embed_client *c = s->clients; c; c = c->next)
        push_sample(c, lag);
    int idle = s->nclients == 0;
    pthread_mutex_unlock(&s->mu);
    if (idle)
        uv_timer_stop(t);
}

/* Loop thread: start the calls of everything queued. */
static void on_wake(uv_async_t *a)
{
    kg_embed_service *s = a->data;
    lag_arm(s);
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
            finish_locked(j->c, j->b);
            pthread_mutex_unlock(&s->mu);
            job_free(j);
        }
    }
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

static void on_keys_reread(int status, const kg_err *err, void *ud)
{
    kg_embed_service *s = ud;
    if (status != KG_OK)
        kg_warn("embed: re-reading the keys on SIGHUP failed, the old keys stay: %s", err->msg);
    else
        kg_info("embed: keys re-read from %s on SIGHUP", kg_credentials_origin(s->cred));
}

/* Loop thread.  Reading a key file or running key_command may block, so
 * the reload runs on the worker pool and swaps the keys in on this loop;
 * calls already sent keep the key they were sent with. */
static void on_hup(uv_signal_t *h, int signum)
{
    (void)signum;
    kg_embed_service *s = h->data;
    if (kg_credentials_reload_async(s->cred, &s->loop, on_keys_reread, s) != KG_OK)
        kg_warn("embed: cannot re-read the keys now (a reload is already running)");
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
    while (q) {
        job *j = q;
        q = q->next;
        forget_locked(j->c, j->b);
        job_free(j);
    }
    pthread_mutex_unlock(&s->mu);
    uv_close((uv_handle_t *)&s->wake, NULL);
    uv_close((uv_handle_t *)&s->quit, NULL);
    uv_close((uv_handle_t *)&s->hup, NULL);
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
    uv_signal_init(&s->loop, &s->hup);
    s->wake.data = s->quit.data = s->drain.data = s->lag.data = s->hup.data = s;
    uv_signal_start(&s->hup, on_hup, SIGHUP);
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

void kg_embed_service_stop(kg_embed_service *s)
{
    if (!s)
        return;
    uv_async_send(&s->quit);
    pthread_join(s->thread, NULL);
    uv_loop_close(&s->loop);
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

kg_embed_client *kg_embed_client_open(kg_embed_service *s)
{
    kg_embed_client *c = kg_xcalloc(1, sizeof *c);
    c->svc = s;
    kg_cond_init_monotonic(&c->cond);
    pthread_mutex_lock(&s->mu);
    c->next = s->clients;
    if (s->clients)
        s->clients->prev = c;
    s->clients = c;
    s->nclients++;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->wake); /* arms the lag probe */
    return c;
}

void kg_embed_client_close(kg_embed_client *c, kg_embed_lag *lag)
{
    if (!c)
        return;
    kg_embed_service *s = c->svc;
    pthread_mutex_lock(&s->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        s->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nclients--;
    c->closed = 1;
    if (lag)
        kg_embed_lag_summary(c->lag_v, c->lag_n, lag);
    /* Its batches not yet started are dropped unsent. */
    job **pp = &s->qhead;
    s->qtail = NULL;
    while (*pp) {
        job *j = *pp;
        if (j->c == c) {
            *pp = j->next;
            c->outstanding--;
            kg_embed_batch_free(j->b);
            job_free(j);
        } else {
            s->qtail = j;
            pp = &j->next;
        }
    }
    while (c->dhead) {
        kg_embed_batch *b = c->dhead;
        c->dhead = b->next;
        kg_embed_batch_free(b);
    }
    c->dtail = NULL;
    /* On the wire: the last callback frees the client. */
    if (c->outstanding == 0)
        client_free(c);
    pthread_mutex_unlock(&s->mu);
}

kg_embed_service *kg_embed_client_service(const kg_embed_client *c)
{
    return c->svc;
}

void kg_embed_client_submit(kg_embed_client *c, uint64_t tag, const char *const *texts, size_t n)
{
    kg_embed_service *s = c->svc;
    job *j = kg_xcalloc(1, sizeof *j);
    j->c = c;
    j->b = kg_xcalloc(1, sizeof *j->b);
    j->b->tag = tag;
    j->b->n = n;
    j->n = n;
    j->texts = kg_xcalloc(n ? n : 1, sizeof *j->texts);
    for (size_t i = 0; i < n; i++)
        j->texts[i] = kg_xstrdup(texts[i]);
    pthread_mutex_lock(&s->mu);
    c->outstanding++;
    if (s->qtail)
        s->qtail->next = j;
    else
        s->qhead = j;
    s->qtail = j;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->wake);
}

/* Under s->mu: take the client's oldest finished batch, if any. */
static kg_embed_batch *pop_locked(kg_embed_client *c)
{
    kg_embed_batch *b = c->dhead;
    if (b) {
        c->dhead = b->next;
        if (!c->dhead)
            c->dtail = NULL;
        b->next = NULL;
    }
    return b;
}

int kg_embed_client_next(kg_embed_client *c, const volatile int *cancel, kg_embed_batch **out,
                         kg_err *err)
{
    kg_embed_service *s = c->svc;
    *out = NULL;
    pthread_mutex_lock(&s->mu);
    while (!c->dhead && c->outstanding > 0 && !(cancel && *cancel)) {
        int w = kg_cond_wait_ms(&c->cond, &s->mu, CANCEL_POLL_MS);
        if (w != 0 && w != ETIMEDOUT)
            break;
    }
    kg_embed_batch *b = pop_locked(c);
    int nothing = !b && c->outstanding == 0 && !(cancel && *cancel);
    pthread_mutex_unlock(&s->mu);
    if (nothing)
        return kg_err_set(err, KG_ENOTFOUND, "no embedding batch to wait for");
    if (!b)
        return kg_err_set(err, KG_ECANCELED, "cancelled while waiting for embeddings");
    *out = b;
    return KG_OK;
}

kg_embed_batch *kg_embed_client_try_next(kg_embed_client *c)
{
    kg_embed_service *s = c->svc;
    pthread_mutex_lock(&s->mu);
    kg_embed_batch *b = pop_locked(c);
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
