/* openai: see openai.h.
 *
 * A `call` is one logical request (one chat, one embeddings batch, one
 * model listing) across all its attempts.  It moves through: start (breaker,
 * then queue at the rate limiter) -> send (HTTP) -> on_http (classify) ->
 * deliver, fail, or wait on its own uv_timer and start again.  A call is
 * freed in its timer's close callback, so no libuv handle outlives it. */
#include "net/openai.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "net/jsonfix.h"
#include "net/ratelimit.h"
#include "net/retry.h"

enum {
    K_CHAT,
    K_EMBED,
    K_MODELS
};

typedef struct embed_job {
    size_t n, dim, pending;
    float *vecs;
    int status;
    long http_status;
    int attempts;
    long prompt_tokens;
    kg_err err;
    kg_openai_cb cb;
    void *ud;
} embed_job;

typedef struct call {
    kg_openai *o;
    int kind;
    const char *path;
    json_t *body; /* request body; NULL for GET */
    double est_tokens;
    int attempt;  /* retries used (429/5xx/transport) */
    int requests; /* HTTP requests made */
    int reasked;  /* the one retry for truncated/unreadable output */
    long http_status;
    uv_timer_t timer;
    embed_job *job; /* embeddings: the job this batch belongs to */
    size_t offset, count;
    kg_openai_cb cb;
    void *ud;
} call;

struct kg_openai {
    uv_loop_t *loop;
    kg_http *http;
    kg_credentials *cred;
    kg_openai_opts opts;
    kg_ratelimit *rl;
    kg_breaker breaker;
    kg_retry_policy retry;
    int json_object_only;
    size_t pending;
};

static double mono_ms(void *ud)
{
    (void)ud;
    return (double)uv_hrtime() / 1e6;
}

void kg_openai_opts_from_config(const kg_config *cfg, const char *service, kg_openai_opts *o)
{
    char k[96];
    memset(o, 0, sizeof *o);
    snprintf(o->service, sizeof o->service, "%s", service);
#define GETI(field, name)                           \
    do {                                            \
        snprintf(k, sizeof k, "%s." name, service); \
        o->field = kg_config_int(cfg, k);           \
    } while (0)
    snprintf(k, sizeof k, "%s.base_url", service);
    const char *u = kg_config_str(cfg, k);
    snprintf(o->base_url, sizeof o->base_url, "%s", u && *u ? u : "https://api.openai.com/v1");
    size_t bl = strlen(o->base_url);
    while (bl > 0 && o->base_url[bl - 1] == '/')
        o->base_url[--bl] = '\0';
    snprintf(k, sizeof k, "%s.model", service);
    const char *m = kg_config_str(cfg, k);
    snprintf(o->model, sizeof o->model, "%s", m ? m : "");
    long v;
    snprintf(k, sizeof k, "%s.requests_per_minute", service);
    o->requests_per_minute = (double)kg_config_int(cfg, k);
    snprintf(k, sizeof k, "%s.tokens_per_minute", service);
    o->tokens_per_minute = (double)kg_config_int(cfg, k);
    GETI(max_concurrency, "max_concurrency");
    GETI(retries, "retries");
    GETI(breaker_failures, "breaker_failures");
    snprintf(k, sizeof k, "%s.timeout_s", service);
    v = (long)kg_config_int(cfg, k);
    o->timeout_ms = v * 1000;
    snprintf(k, sizeof k, "%s.connect_timeout_s", service);
    v = (long)kg_config_int(cfg, k);
    o->connect_timeout_ms = v * 1000;
    snprintf(k, sizeof k, "%s.breaker_cooldown_s", service);
    o->breaker_cooldown_ms = (double)kg_config_int(cfg, k) * 1000.0;
    o->batch_size = kg_config_known("embed.batch_size") && strcmp(service, "embed") == 0
                        ? (int)kg_config_int(cfg, "embed.batch_size")
                        : 64;
    o->backoff_base_ms = 500;
    o->backoff_cap_ms = 30000;
#undef GETI
}

int kg_openai_configured(const kg_config *cfg, const char *service)
{
    static const char *const own[] = {"base_url", "api_key", "key_file", "key_command"};
    char k[96];
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        snprintf(k, sizeof k, "%s.%s", service, own[i]);
        const char *v = kg_config_str(cfg, k);
        if (v && *v)
            return 1;
    }
    return 0;
}

kg_openai *kg_openai_new(uv_loop_t *loop, kg_http *http, const kg_openai_opts *opts,
                         kg_credentials *cred)
{
    kg_openai *o = kg_xcalloc(1, sizeof *o);
    o->loop = loop;
    o->http = http;
    o->cred = cred;
    o->opts = *opts;
    if (o->opts.max_concurrency < 1)
        o->opts.max_concurrency = 1;
    if (o->opts.batch_size < 1)
        o->opts.batch_size = 64;
    o->rl = kg_ratelimit_new(loop, o->opts.requests_per_minute, o->opts.tokens_per_minute,
                             o->opts.max_concurrency);
    kg_breaker_init(&o->breaker, o->opts.breaker_failures > 0 ? o->opts.breaker_failures : 5,
                    o->opts.breaker_cooldown_ms > 0 ? o->opts.breaker_cooldown_ms : 30000, mono_ms,
                    NULL);
    o->retry.max_retries = o->opts.retries;
    o->retry.base_ms = o->opts.backoff_base_ms > 0 ? o->opts.backoff_base_ms : 500;
    o->retry.cap_ms = o->opts.backoff_cap_ms > 0 ? o->opts.backoff_cap_ms : 30000;
    return o;
}

void kg_openai_free(kg_openai *o)
{
    if (!o)
        return;
    kg_ratelimit_free(o->rl);
    free(o);
}

size_t kg_openai_pending(const kg_openai *o)
{
    return o->pending;
}

kg_breaker *kg_openai_breaker(kg_openai *o)
{
    return &o->breaker;
}

int kg_openai_uses_json_object(const kg_openai *o)
{
    return o->json_object_only;
}

/* ---- the life of a call ---- */

static void start(call *c);

static void on_call_closed(uv_handle_t *h)
{
    call *c = h->data;
    json_decref(c->body);
    free(c);
}

static void release_call(call *c)
{
    c->o->pending--;
    uv_close((uv_handle_t *)&c->timer, on_call_closed);
}

static void job_done(embed_job *j)
{
    kg_openai_result r;
    memset(&r, 0, sizeof r);
    r.status = j->status;
    r.error = j->status ? j->err.msg : NULL;
    r.http_status = j->http_status;
    r.attempts = j->attempts;
    r.prompt_tokens = j->prompt_tokens;
    if (!j->status) {
        r.vectors = j->vecs;
        r.count = j->n;
        r.dim = j->dim;
    }
    j->cb(&r, j->ud);
    free(j->vecs);
    free(j);
}

/* Finish a call with an error (message already in e). */
static void fail(call *c, const kg_err *e)
{
    if (c->job) {
        embed_job *j = c->job;
        j->attempts += c->requests;
        if (!j->status) {
            j->status = e->code ? e->code : KG_EIO;
            j->err = *e;
            j->http_status = c->http_status;
        }
        if (--j->pending == 0)
            job_done(j);
    } else {
        kg_openai_result r;
        memset(&r, 0, sizeof r);
        r.status = e->code ? e->code : KG_EIO;
        r.error = e->msg;
        r.http_status = c->http_status;
        r.attempts = c->requests;
        c->cb(&r, c->ud);
    }
    release_call(c);
}

static void failf(call *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void failf(call *c, int code, const char *fmt, ...)
{
    kg_err e;
    va_list ap;
    va_start(ap, fmt);
    kg_err_setv(&e, code, fmt, ap);
    va_end(ap);
    kg_err_prefix(&e, "%s %s%s", c->o->opts.service, c->body ? "POST " : "GET ", c->path);
    fail(c, &e);
}

static void on_backoff(uv_timer_t *t)
{
    start(t->data);
}

static void send_now(call *c);
static void on_fast_fail(uv_timer_t *t);

static void on_grant(int status, void *ud)
{
    call *c = ud;
    if (status != KG_OK) {
        failf(c, KG_ECANCELED, "cancelled: the client is shutting down");
        return;
    }
    /* The breaker let this call start, but it may have waited here behind
     * the concurrency limit while other calls failed and opened it: then
     * it must not go out either.  (A half-open breaker's trial is this
     * call or another already out; either way it may go.) */
    if (kg_breaker_get_state(&c->o->breaker) == KG_BREAKER_OPEN) {
        kg_ratelimit_release(c->o->rl);
        uv_timer_start(&c->timer, on_fast_fail, 0, 0);
        return;
    }
    send_now(c);
}

static void on_fast_fail(uv_timer_t *t)
{
    call *c = t->data;
    kg_openai *o = c->o;
    failf(c, KG_EBUSY,
          "circuit open after %d consecutive failures: failing fast; next trial in %.1f s",
          o->breaker.threshold, kg_breaker_retry_in_ms(&o->breaker) / 1000.0);
}

static void start(call *c)
{
    kg_openai *o = c->o;
    if (!kg_breaker_allow(&o->breaker)) {
        /* Fail on the next loop turn, so a callback never runs inside the
         * call that started the request. */
        uv_timer_start(&c->timer, on_fast_fail, 0, 0);
        return;
    }
    kg_ratelimit_acquire(o->rl, c->est_tokens, on_grant, c);
}

/* The server's own message ("error": {"message": ...}), shortened. */
static void server_message(const kg_http_response *r, char *out, size_t cap)
{
    out[0] = '\0';
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    json_t *m = NULL;
    if (j) {
        json_t *e = json_object_get(j, "error");
        m = json_is_object(e) ? json_object_get(e, "message") : json_is_string(e) ? e : NULL;
    }
    if (json_is_string(m))
        snprintf(out, cap, "%s", json_string_value(m));
    else
        snprintf(out, cap, "%.*s", (int)(r->body_len < 200 ? r->body_len : 200), r->body);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    json_decref(j);
}

static void schedule_retry(call *c, const kg_http_response *r, const char *why)
{
    kg_openai *o = c->o;
    if (c->attempt >= o->retry.max_retries) {
        failf(c, KG_EIO, "gave up after %d attempts: %s", c->requests, why);
        return;
    }
    char ra[128] = "", rr[64] = "", rt[64] = "";
    if (r) {
        kg_http_header(r, "retry-after", ra, sizeof ra);
        kg_http_header(r, "x-ratelimit-reset-requests", rr, sizeof rr);
        kg_http_header(r, "x-ratelimit-reset-tokens", rt, sizeof rt);
    }
    double hint = kg_retry_hint_ms(ra[0] ? ra : NULL, rr[0] ? rr : NULL, rt[0] ? rt : NULL,
                                   time(NULL));
    double rnd = (double)randombytes_uniform(1000001) / 1e6;
    double ms = kg_retry_delay_ms(&o->retry, c->attempt, hint, rnd);
    if (r && r->status == 429 && hint > 0)
        kg_ratelimit_pause(o->rl, hint); /* the whole service must wait, not just us */
    c->attempt++;
    kg_debug("%s %s: %s; retry %d in %.0f ms", o->opts.service, c->path, why, c->attempt, ms);
    uv_timer_start(&c->timer, on_backoff, (uint64_t)ms, 0);
}

/* Response handling per kind: 0 = delivered, 1 = ask again (once), or an
 * error code with e filled. */
static int deliver_chat(call *c, json_t *resp, kg_err *e)
{
    json_t *choice = json_array_get(json_object_get(resp, "choices"), 0);
    json_t *msg = json_object_get(choice, "message");
    const char *content = json_string_value(json_object_get(msg, "content"));
    const char *finish = json_string_value(json_object_get(choice, "finish_reason"));
    if (finish && strcmp(finish, "length") == 0) {
        if (c->reasked)
            return kg_err_set(e, KG_EFORMAT, "output cut short twice (finish_reason \"length\")");
        /* Give the second try room to finish. */
        json_t *mt = json_object_get(c->body, "max_tokens");
        json_int_t n = json_is_integer(mt) ? json_integer_value(mt) * 2 : 4096;
        json_object_set_new(c->body, "max_tokens", json_integer(n));
        return 1;
    }
    if (!content)
        return kg_err_set(e, KG_EFORMAT, "response has no choices[0].message.content");
    json_t *out = kg_jsonfix_parse(content, strlen(content), e);
    if (!out)
        return c->reasked ? e->code : 1;
    json_t *usage = json_object_get(resp, "usage");
    kg_openai_result r;
    memset(&r, 0, sizeof r);
    r.http_status = c->http_status;
    r.attempts = c->requests;
    r.json = out;
    r.prompt_tokens = (long)json_integer_value(json_object_get(usage, "prompt_tokens"));
    r.completion_tokens = (long)json_integer_value(json_object_get(usage, "completion_tokens"));
    c->cb(&r, c->ud);
    json_decref(out);
    return 0;
}

static int deliver_embed(call *c, json_t *resp, kg_err *e)
{
    embed_job *j = c->job;
    json_t *data = json_object_get(resp, "data");
    if (!json_is_array(data) || json_array_size(data) != c->count)
        return kg_err_set(e, KG_EFORMAT, "expected %zu embeddings, got %zu", c->count,
                          json_array_size(data));
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        json_t *vec = json_object_get(item, "embedding");
        json_t *ix = json_object_get(item, "index");
        size_t at = json_is_integer(ix) ? (size_t)json_integer_value(ix) : i;
        size_t d = json_array_size(vec);
        if (!json_is_array(vec) || d == 0 || at >= c->count)
            return kg_err_set(e, KG_EFORMAT, "embedding %zu is malformed", i);
        if (!j->dim) {
            j->dim = d;
            j->vecs = kg_xcalloc(j->n * d, sizeof *j->vecs);
        } else if (d != j->dim) {
            return kg_err_set(e, KG_EFORMAT, "embedding dimensions differ (%zu and %zu)", j->dim,
                              d);
        }
        for (size_t k = 0; k < d; k++)
            j->vecs[(c->offset + at) * d + k] = (float)json_number_value(json_array_get(vec, k));
    }
    j->attempts += c->requests;
    j->http_status = c->http_status;
    j->prompt_tokens += (long)json_integer_value(
        json_object_get(json_object_get(resp, "usage"), "prompt_tokens"));
    if (--j->pending == 0)
        job_done(j);
    return 0;
}

static int deliver_models(call *c, json_t *resp, kg_err *e)
{
    json_t *data = json_object_get(resp, "data");
    if (!json_is_array(data))
        return kg_err_set(e, KG_EFORMAT, "response has no \"data\" list of models");
    json_t *ids = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(data, i, m)
    {
        json_t *id = json_object_get(m, "id");
        if (json_is_string(id))
            json_array_append(ids, id);
    }
    kg_openai_result r;
    memset(&r, 0, sizeof r);
    r.http_status = c->http_status;
    r.attempts = c->requests;
    r.json = ids;
    c->cb(&r, c->ud);
    json_decref(ids);
    return 0;
}

static void use_json_object(kg_openai *o, call *c)
{
    o->json_object_only = 1;
    json_object_set_new(c->body, "response_format", json_pack("{s:s}", "type", "json_object"));
}

static int says_format_unsupported(const char *msg)
{
    return strstr(msg, "response_format") || strstr(msg, "json_schema") ||
           strstr(msg, "not supported") || strstr(msg, "unsupported");
}

static void on_reloaded(int status, const kg_err *err, void *ud)
{
    call *c = ud;
    if (status != KG_OK) {
        failf(c, KG_EDENIED, "key rejected (401) and re-reading %s failed: %s",
              kg_credentials_origin(c->o->cred), err->msg);
        return;
    }
    if (!kg_credentials_key(c->o->cred)) {
        failf(c, KG_EDENIED, "every key from %s was rejected (401)",
              kg_credentials_origin(c->o->cred));
        return;
    }
    start(c);
}

static void on_unauthorized(call *c, const char *smsg)
{
    kg_openai *o = c->o;
    if (!o->cred || !kg_credentials_key(o->cred)) {
        failf(c, KG_EDENIED,
              "HTTP 401 (no key is configured: set %s.api_key, %s.key_file, "
              "%s.key_command or OPENAI_API_KEY): %s",
              o->opts.service, o->opts.service, o->opts.service, smsg);
        return;
    }
    kg_warn("%s: a key from %s was rejected (401); retiring it", o->opts.service,
            kg_credentials_origin(o->cred));
    if (kg_credentials_retire(o->cred)) {
        start(c);
        return;
    }
    if (kg_credentials_may_reload(o->cred) &&
        kg_credentials_reload_async(o->cred, o->loop, on_reloaded, c) == KG_OK)
        return;
    failf(c, KG_EDENIED, "the key from %s was rejected (401): %s", kg_credentials_origin(o->cred),
          smsg);
}

static void on_http(const kg_http_response *r, void *ud)
{
    call *c = ud;
    kg_openai *o = c->o;
    kg_ratelimit_release(o->rl);
    c->http_status = r->status;
    kg_retry_class cls = kg_retry_classify(r->curl_code, r->status);
    char why[512];
    if (r->curl_code) {
        snprintf(why, sizeof why, "%s", r->error ? r->error : "transfer failed");
        kg_breaker_failure(&o->breaker);
        if (cls == KG_RETRY_AGAIN)
            schedule_retry(c, NULL, why);
        else
            failf(c, KG_EIO, "%s", why);
        return;
    }
    char smsg[400];
    if (cls != KG_RETRY_DONE)
        server_message(r, smsg, sizeof smsg);
    if (cls == KG_RETRY_AGAIN) {
        kg_breaker_failure(&o->breaker);
        snprintf(why, sizeof why, "HTTP %ld: %s", r->status, smsg);
        schedule_retry(c, r, why);
        return;
    }
    if (cls == KG_RETRY_FATAL) {
        /* The server is up and answering: not a breaker failure. */
        if (r->status == 401) {
            on_unauthorized(c, smsg);
            return;
        }
        if (r->status == 400 && c->kind == K_CHAT && !o->json_object_only &&
            says_format_unsupported(smsg)) {
            json_t *rf = json_object_get(c->body, "response_format");
            const char *rft = json_string_value(json_object_get(rf, "type"));
            if (rft && strcmp(rft, "json_schema") == 0) {
                kg_info("%s: server refused json_schema output; using json_object from now on",
                        o->opts.service);
                use_json_object(o, c);
                start(c);
                return;
            }
        }
        const char *hint = r->status == 403   ? " (the key may not use this model or endpoint)"
                           : r->status == 404 ? " (check base_url and model)"
                                              : "";
        failf(c,
              r->status == 403   ? KG_EDENIED
              : r->status == 404 ? KG_ENOTFOUND
                                 : KG_EINVAL,
              "HTTP %ld%s: %s", r->status, hint, smsg);
        return;
    }
    /* 2xx */
    json_error_t je;
    json_t *resp = json_loadb(r->body, r->body_len, 0, &je);
    if (!resp || !json_is_object(resp)) {
        json_decref(resp);
        kg_breaker_failure(&o->breaker);
        snprintf(why, sizeof why, "unreadable response body (%s)",
                 resp ? "not an object" : je.text);
        schedule_retry(c, NULL, why);
        return;
    }
    kg_breaker_success(&o->breaker);
    if (o->cred)
        kg_credentials_accepted(o->cred);
    json_t *usage = json_object_get(resp, "usage");
    json_t *total = json_object_get(usage, "total_tokens");
    if (json_is_integer(total))
        kg_ratelimit_correct(o->rl, (double)json_integer_value(total) - c->est_tokens);
    kg_err e;
    kg_err_clear(&e);
    int rc = c->kind == K_CHAT    ? deliver_chat(c, resp, &e)
             : c->kind == K_EMBED ? deliver_embed(c, resp, &e)
                                  : deliver_models(c, resp, &e);
    json_decref(resp);
    if (rc == 0) {
        release_call(c);
    } else if (rc == 1) {
        c->reasked = 1;
        kg_info("%s %s: output cut short or unreadable; asking once more", o->opts.service,
                c->path);
        start(c);
    } else {
        kg_err_prefix(&e, "%s POST %s", o->opts.service, c->path);
        fail(c, &e);
    }
}

static void send_now(call *c)
{
    kg_openai *o = c->o;
    char url[2200];
    snprintf(url, sizeof url, "%s%s", o->opts.base_url, c->path);
    const char *key = o->cred ? kg_credentials_key(o->cred) : NULL;
    /* The header line holds the key: keep it in guarded memory and wipe it
     * once curl has its copy. */
    size_t alen = key ? strlen(key) + 32 : 0;
    char *auth = key ? sodium_malloc(alen) : NULL;
    if (auth)
        snprintf(auth, alen, "Authorization: Bearer %s", key);
    const char *hdrs[4];
    size_t nh = 0;
    if (auth)
        hdrs[nh++] = auth;
    hdrs[nh++] = "Content-Type: application/json";
    hdrs[nh++] = "Accept: application/json";
    hdrs[nh] = NULL;
    char *body = c->body ? json_dumps(c->body, JSON_COMPACT) : NULL;
    kg_http_req req;
    memset(&req, 0, sizeof req);
    req.method = body ? "POST" : "GET";
    req.url = url;
    req.headers = hdrs;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.timeout_ms = o->opts.timeout_ms;
    req.connect_timeout_ms = o->opts.connect_timeout_ms;
    kg_err e;
    c->requests++;
    int rc = kg_http_request(o->http, &req, on_http, c, &e);
    if (auth) {
        sodium_memzero(auth, alen);
        sodium_free(auth);
    }
    free(body);
    if (rc != KG_OK) {
        kg_ratelimit_release(o->rl);
        kg_err_prefix(&e, "%s %s", o->opts.service, c->path);
        fail(c, &e);
    }
}

static call *new_call(kg_openai *o, int kind, const char *path, json_t *body, double est,
                      kg_openai_cb cb, void *ud)
{
    call *c = kg_xcalloc(1, sizeof *c);
    c->o = o;
    c->kind = kind;
    c->path = path;
    c->body = body;
    c->est_tokens = est;
    c->cb = cb;
    c->ud = ud;
    uv_timer_init(o->loop, &c->timer);
    c->timer.data = c;
    o->pending++;
    return c;
}

int kg_openai_chat_json(kg_openai *o, const char *system, const char *user, json_t *schema,
                        const char *schema_name, long max_tokens, kg_openai_cb cb, void *ud,
                        kg_err *err)
{
    if (!user || !cb)
        return kg_err_set(err, KG_EINVAL, "chat request without a prompt or callback");
    if (!o->opts.model[0])
        return kg_err_set(err, KG_EINVAL, "%s.model is not set", o->opts.service);
    json_t *msgs = json_array();
    if (system)
        json_array_append_new(msgs, json_pack("{s:s,s:s}", "role", "system", "content", system));
    json_array_append_new(msgs, json_pack("{s:s,s:s}", "role", "user", "content", user));
    json_t *body = json_pack("{s:s,s:o}", "model", o->opts.model, "messages", msgs);
    if (max_tokens > 0)
        json_object_set_new(body, "max_tokens", json_integer(max_tokens));
    if (schema && !o->json_object_only)
        json_object_set_new(body, "response_format",
                            json_pack("{s:s,s:{s:s,s:O,s:b}}", "type", "json_schema", "json_schema",
                                      "name", schema_name ? schema_name : "result", "schema",
                                      schema, "strict", 1));
    else
        json_object_set_new(body, "response_format", json_pack("{s:s}", "type", "json_object"));
    /* About four characters a token, plus what the answer may use. */
    double est = (double)(strlen(user) + (system ? strlen(system) : 0)) / 4.0 +
                 (max_tokens > 0 ? (double)max_tokens : 256.0);
    start(new_call(o, K_CHAT, "/chat/completions", body, est, cb, ud));
    return KG_OK;
}

int kg_openai_embed(kg_openai *o, const char *const *inputs, size_t n, kg_openai_cb cb, void *ud,
                    kg_err *err)
{
    if (!n || !inputs || !cb)
        return kg_err_set(err, KG_EINVAL, "embeddings request without inputs or callback");
    if (!o->opts.model[0])
        return kg_err_set(err, KG_EINVAL, "%s.model is not set", o->opts.service);
    embed_job *j = kg_xcalloc(1, sizeof *j);
    j->n = n;
    j->cb = cb;
    j->ud = ud;
    size_t bs = (size_t)o->opts.batch_size;
    j->pending = (n + bs - 1) / bs;
    for (size_t off = 0; off < n; off += bs) {
        size_t cnt = n - off < bs ? n - off : bs;
        json_t *arr = json_array();
        double est = 0;
        for (size_t i = 0; i < cnt; i++) {
            json_array_append_new(arr, json_string(inputs[off + i]));
            est += (double)strlen(inputs[off + i]) / 4.0 + 1;
        }
        json_t *body = json_pack("{s:s,s:o}", "model", o->opts.model, "input", arr);
        call *c = new_call(o, K_EMBED, "/embeddings", body, est, NULL, NULL);
        c->job = j;
        c->offset = off;
        c->count = cnt;
        start(c);
    }
    return KG_OK;
}

int kg_openai_list_models(kg_openai *o, kg_openai_cb cb, void *ud, kg_err *err)
{
    if (!cb)
        return kg_err_set(err, KG_EINVAL, "models request without a callback");
    start(new_call(o, K_MODELS, "/models", NULL, 0, cb, ud));
    return KG_OK;
}
