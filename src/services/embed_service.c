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

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/vec.h"
#include "net/credentials.h"
#include "net/openai.h"
#include "services/service_loop.h"

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
    kg_service_loop *loop; /* owns the client: kg_service_loop_client() */
    kg_openai_opts opts;
    pthread_mutex_t mu;       /* guards the queue and every client */
    job *qhead, *qtail;       /* queued, not yet started */
    kg_embed_client *clients; /* open clients */
    size_t nclients;
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

static void push_sample(kg_embed_client *c, double lag)
{
    kg_vec_room(c->lag_v, c->lag_n, c->lag_cap);
    c->lag_v[c->lag_n++] = lag;
}

/* Loop thread: every open client gets the sample; the probe stops when
 * none is open (an idle pooled service should not wake 200 times a second
 * for nobody). */
static int on_lag(kg_service_loop *l, void *ud, double lag)
{
    (void)l;
    kg_embed_service *s = ud;
    pthread_mutex_lock(&s->mu);
    for (kg_embed_client *c = s->clients; c; c = c->next)
        push_sample(c, lag);
    int busy = s->nclients > 0;
    pthread_mutex_unlock(&s->mu);
    return busy;
}

/* Loop thread: start the calls of everything queued, and the lag probe
 * while a client is open. */
static void on_wake(kg_service_loop *l, void *ud)
{
    kg_embed_service *s = ud;
    pthread_mutex_lock(&s->mu);
    int busy = s->nclients > 0;
    job *q = s->qhead;
    s->qhead = s->qtail = NULL;
    pthread_mutex_unlock(&s->mu);
    if (busy)
        kg_service_loop_lag_start(l);
    while (q) {
        job *j = q;
        q = q->next;
        kg_err e;
        kg_err_clear(&e);
        if (kg_openai_embed(kg_service_loop_client(l), (const char *const *)j->texts, j->n,
                            on_vectors, j, &e) != KG_OK) {
            j->b->status = e.code ? e.code : KG_EINVAL;
            snprintf(j->b->error, sizeof j->b->error, "%s", e.msg);
            pthread_mutex_lock(&s->mu);
            finish_locked(j->c, j->b);
            pthread_mutex_unlock(&s->mu);
            job_free(j);
        }
    }
}

/* Loop thread, stopping: batches never started are dropped unsent: nobody
 * will collect them, and a paid answer nobody stores would be paid again
 * next run. */
static void on_quit(kg_service_loop *l, void *ud)
{
    (void)l;
    kg_embed_service *s = ud;
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
    kg_credentials *cred;
    int rc = kg_credentials_open(cfg, "embed", &cred, err);
    if (rc) {
        free(s);
        return rc;
    }
    pthread_mutex_init(&s->mu, NULL);
    static const kg_service_loop_ops ops = {on_wake, on_quit, on_lag};
    rc = kg_service_loop_start(&s->opts, cred, &ops, s, &s->loop, err);
    if (rc) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return rc;
    }
    *out = s;
    return KG_OK;
}

void kg_embed_service_stop(kg_embed_service *s)
{
    if (!s)
        return;
    kg_service_loop_stop(s->loop);
    pthread_mutex_destroy(&s->mu);
    free(s);
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
    kg_service_loop_wake(s->loop); /* starts the lag probe */
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
    kg_service_loop_wake(s->loop);
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
    while (!c->dhead && c->outstanding > 0)
        if (kg_service_wait(&c->cond, &s->mu, cancel))
            break;
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
