/* llm_service: see llm_service.h.
 *
 * Hand-over: a request lives in the queue (owned by the service) until the
 * loop starts its call, then it is shared by the waiting worker and the
 * call's callback.  Whoever finishes second frees it: the callback when the
 * worker has abandoned it, the worker otherwise.  Both decide under the
 * service mutex, so neither can free it under the other. */
#include "services/llm_service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "net/openai.h"
#include "services/service_loop.h"

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
    kg_service_loop *loop; /* owns the client: kg_service_loop_client() */
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

/* Loop thread: start the calls of everything queued.  Also the loop's quit:
 * nothing is left behind in the queue, every worker gets its answer. */
static void on_wake(kg_service_loop *l, void *ud)
{
    kg_llm_service *s = ud;
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
        int rc = kg_openai_chat_json(kg_service_loop_client(l), s->system, r->user, s->schema,
                                     s->schema_name, 0, on_answer, r, &e);
        if (rc != KG_OK) {
            pthread_mutex_lock(&s->mu);
            r->status = rc;
            snprintf(r->error, sizeof r->error, "%s", e.msg);
            complete_locked(r);
            pthread_mutex_unlock(&s->mu);
        }
    }
}

static void service_free(kg_llm_service *s)
{
    json_decref(s->schema);
    free(s->system);
    free(s->schema_name);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int kg_llm_service_start(const kg_config *cfg, const char *service, const char *system,
                         const json_t *schema, const char *schema_name, kg_llm_service **out,
                         kg_err *err)
{
    *out = NULL;
    kg_credentials *cred;
    int rc = kg_credentials_open(cfg, service, &cred, err);
    if (rc)
        return rc;
    kg_openai_opts o;
    kg_openai_opts_from_config(cfg, service, &o);
    if (!o.model[0]) {
        kg_credentials_free(cred);
        return kg_err_set(err, KG_EINVAL, "%s.model is not set (the model to ask)", service);
    }
    kg_llm_service *s = kg_xcalloc(1, sizeof *s);
    snprintf(s->model, sizeof s->model, "%s", o.model);
    s->system = kg_xstrdup(system ? system : "");
    s->schema = schema ? json_deep_copy(schema) : NULL;
    s->schema_name = kg_xstrdup(schema_name ? schema_name : "result");
    pthread_mutex_init(&s->mu, NULL);
    static const kg_service_loop_ops ops = {on_wake, on_wake, NULL};
    rc = kg_service_loop_start(&o, cred, &ops, s, &s->loop, err);
    if (rc) {
        service_free(s);
        return rc;
    }
    *out = s;
    return KG_OK;
}

void kg_llm_service_stop(kg_llm_service *s)
{
    if (!s)
        return;
    kg_service_loop_stop(s->loop);
    service_free(s);
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
    kg_service_loop_wake(s->loop);

    pthread_mutex_lock(&s->mu);
    while (!r->done)
        if (kg_service_wait(&r->cond, &s->mu, cancel))
            break;
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
