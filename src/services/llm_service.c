/* llm_service: see llm_service.h.
 *
 * Hand-over: a request lives in the queue (owned by the service) until the
 * loop starts its call, then it is shared by the waiting worker and the
 * call's callback.  Whoever finishes second frees it: the callback when the
 * worker has abandoned it, the worker otherwise.  Both decide under the
 * service mutex, so neither can free it under the other. */
#include "services/llm_service.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "net/credentials.h"
#include "net/http.h"
#include "net/openai.h"

/* How often a waiting worker looks at the cancel flag.  A signal handler
 * sets the flag and cannot signal a condition variable, so the wait has a
 * deadline; it is a wait on the condition, not a sleep. */
#define CANCEL_POLL_MS 100
/* How often the stopping loop checks whether its calls have ended. */
#define DRAIN_POLL_MS 20

typedef struct request {
    kg_llm_service *svc;
    char *user;
    int done, abandoned;
    int status;
    char error[KG_ERR_MSG_MAX];
    char *response;
    pthread_cond_t cond;
    struct request *next;
} request;

struct kg_llm_service {
    uv_loop_t loop;
    uv_async_t wake, quit;
    uv_timer_t drain; /* at stop: waits for calls in flight */
    uv_signal_t hup;  /* SIGHUP: re-read the keys (rotation without restart) */
    char service[16];
    pthread_t thread;
    kg_http *http;
    kg_credentials *cred;
    kg_openai *ai;
    char *system;
    json_t *schema; /* loop thread only once started */
    char *schema_name;
    char model[256];
    pthread_mutex_t mu;
    request *head, *tail; /* queued, not yet started */
};

static void request_free(request *r)
{
    free(r->user);
    free(r->response);
    pthread_cond_destroy(&r->cond);
    free(r);
}

/* Under s->mu: the outcome is in; wake the worker or, if it has gone,
 * free the request. */
static void complete_locked(request *r)
{
    if (r->abandoned) {
        request_free(r);
        return;
    }
    r->done = 1;
    pthread_cond_signal(&r->cond);
}

static void on_answer(const kg_openai_result *res, void *ud)
{
    request *r = ud;
    kg_llm_service *s = r->svc;
    /* Serialise outside the lock: the worker only needs the text. */
    char *text = res->status == KG_OK ? json_dumps(res->json, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    pthread_mutex_lock(&s->mu);
    if (res->status != KG_OK || !text) {
        r->status = res->status != KG_OK ? res->status : KG_EFORMAT;
        snprintf(r->error, sizeof r->error, "%s",
                 res->error ? res->error : "the answer could not be serialised");
        free(text);
    } else {
        r->status = KG_OK;
        r->response = text;
    }
    complete_locked(r);
    pthread_mutex_unlock(&s->mu);
}

/* Loop thread: start the calls of everything queued. */
static void on_wake(uv_async_t *a)
{
    kg_llm_service *s = a->data;
    pthread_mutex_lock(&s->mu);
    request *q = s->head;
    s->head = s->tail = NULL;
    pthread_mutex_unlock(&s->mu);
    while (q) {
        request *r = q;
        q = q->next;
        r->next = NULL;
        pthread_mutex_lock(&s->mu);
        int gone = r->abandoned;
        if (gone)
            request_free(r); /* the worker was cancelled: ask nothing */
        pthread_mutex_unlock(&s->mu);
        if (gone)
            continue;
        kg_err e;
        kg_err_clear(&e);
        int rc = kg_openai_chat_json(s->ai, s->system, r->user, s->schema, s->schema_name, 0,
                                     on_answer, r, &e);
        if (rc != KG_OK) {
            pthread_mutex_lock(&s->mu);
            r->status = rc;
            snprintf(r->error, sizeof r->error, "%s", e.msg);
            complete_locked(r);
            pthread_mutex_unlock(&s->mu);
        }
    }
}

static void on_drain(uv_timer_t *t)
{
    kg_llm_service *s = t->data;
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
    kg_llm_service *s = ud;
    if (status != KG_OK)
        kg_warn("%s: re-reading the keys on SIGHUP failed, the old keys stay: %s", s->service,
                err->msg);
    else
        kg_info("%s: keys re-read from %s on SIGHUP", s->service, kg_credentials_origin(s->cred));
}

/* Loop thread.  Reading a key file or running key_command may block, so
 * the reload runs on the worker pool and swaps the keys in on this loop;
 * calls already sent keep the key they were sent with. */
static void on_hup(uv_signal_t *h, int signum)
{
    (void)signum;
    kg_llm_service *s = h->data;
    int rc = kg_credentials_reload_async(s->cred, &s->loop, on_keys_reread, s);
    if (rc != KG_OK)
        kg_warn("%s: cannot re-read the keys now (a reload is already running)", s->service);
}

/* Loop thread: stop taking requests; once the calls in flight have ended,
 * free the client so that every handle closes and uv_run returns. */
static void on_quit(uv_async_t *a)
{
    kg_llm_service *s = a->data;
    on_wake(&s->wake); /* nothing is left behind in the queue */
    uv_close((uv_handle_t *)&s->wake, NULL);
    uv_close((uv_handle_t *)&s->quit, NULL);
    uv_close((uv_handle_t *)&s->hup, NULL);
    uv_timer_start(&s->drain, on_drain, 0, DRAIN_POLL_MS);
}

static void *loop_main(void *arg)
{
    kg_llm_service *s = arg;
    uv_run(&s->loop, UV_RUN_DEFAULT);
    return NULL;
}

int kg_llm_service_start(const kg_config *cfg, const char *service, const char *system,
                         const json_t *schema, const char *schema_name, kg_llm_service **out,
                         kg_err *err)
{
    *out = NULL;
    kg_llm_service *s = kg_xcalloc(1, sizeof *s);
    int rc = kg_credentials_open(cfg, service, &s->cred, err);
    if (rc) {
        free(s);
        return rc;
    }
    kg_openai_opts o;
    kg_openai_opts_from_config(cfg, service, &o);
    if (!o.model[0]) {
        kg_credentials_free(s->cred);
        free(s);
        return kg_err_set(err, KG_EINVAL, "%s.model is not set (the model to ask)", service);
    }
    snprintf(s->model, sizeof s->model, "%s", o.model);
    if (uv_loop_init(&s->loop) != 0) {
        kg_credentials_free(s->cred);
        free(s);
        return kg_err_set(err, KG_ENOMEM, "cannot create the %s event loop", service);
    }
    s->http = kg_http_new(&s->loop, err);
    if (!s->http) {
        uv_loop_close(&s->loop);
        kg_credentials_free(s->cred);
        free(s);
        return err ? err->code : KG_EIO;
    }
    s->ai = kg_openai_new(&s->loop, s->http, &o, s->cred);
    s->system = kg_xstrdup(system ? system : "");
    s->schema = schema ? json_deep_copy(schema) : NULL;
    s->schema_name = kg_xstrdup(schema_name ? schema_name : "result");
    pthread_mutex_init(&s->mu, NULL);
    uv_async_init(&s->loop, &s->wake, on_wake);
    uv_async_init(&s->loop, &s->quit, on_quit);
    uv_timer_init(&s->loop, &s->drain);
    uv_signal_init(&s->loop, &s->hup);
    s->wake.data = s->quit.data = s->drain.data = s->hup.data = s;
    snprintf(s->service, sizeof s->service, "%s", service);
    uv_signal_start(&s->hup, on_hup, SIGHUP);
    if (pthread_create(&s->thread, NULL, loop_main, s) != 0) {
        /* Close everything on this thread instead. */
        on_quit(&s->quit);
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        json_decref(s->schema);
        free(s->system);
        free(s->schema_name);
        kg_credentials_free(s->cred);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return kg_err_set(err, KG_ENOMEM, "cannot start the %s thread", service);
    }
    *out = s;
    return KG_OK;
}

void kg_llm_service_stop(kg_llm_service *s)
{
    if (!s)
        return;
    uv_async_send(&s->quit);
    pthread_join(s->thread, NULL);
    uv_loop_close(&s->loop);
    json_decref(s->schema);
    free(s->system);
    free(s->schema_name);
    kg_credentials_free(s->cred);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const char *kg_llm_service_model(const kg_llm_service *s)
{
    return s->model;
}

int kg_llm_service_chat(kg_llm_service *s, const char *user, const volatile int *cancel,
                        char **response_out, kg_err *err)
{
    *response_out = NULL;
    request *r = kg_xcalloc(1, sizeof *r);
    r->svc = s;
    r->user = kg_xstrdup(user);
    kg_cond_init_monotonic(&r->cond);
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = r;
    else
        s->head = r;
    s->tail = r;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->wake);

    pthread_mutex_lock(&s->mu);
    while (!r->done && !(cancel && *cancel)) {
        int w = kg_cond_wait_ms(&r->cond, &s->mu, CANCEL_POLL_MS);
        if (w != 0 && w != ETIMEDOUT)
            break;
    }
    if (!r->done) {
        /* Give the request to the loop: its callback frees it. */
        r->abandoned = 1;
        pthread_mutex_unlock(&s->mu);
        return kg_err_set(err, KG_ECANCELED, "cancelled while waiting for the LLM");
    }
    pthread_mutex_unlock(&s->mu);
    int rc = r->status;
    if (rc == KG_OK) {
        *response_out = r->response;
        r->response = NULL;
    } else {
        kg_err_set(err, rc, "%s", r->error);
    }
    request_free(r);
    return rc;
}
