/* openai: a client for OpenAI-compatible APIs (OpenAI, Azure through its
 * base URL, Ollama, vLLM, llama.cpp server, LM Studio).
 *
 * One kg_openai per service ("llm", "embed"): it owns that service's rate
 * limiter and circuit breaker and borrows the loop's kg_http and the
 * service's kg_credentials.  Each call goes: breaker -> rate limiter ->
 * HTTP -> classify -> (deliver | back off on a loop timer and repeat | fail
 * with a clear error).  A 401 retires the key and moves to the next (after
 * one reload of the key sources when none is left).
 *
 * Chat completions ask for JSON: response_format json_schema when a schema
 * is given; a server that answers 400 saying it does not support it gets
 * json_object from then on (remembered per service).  The content is read
 * with the tolerant reader (net/jsonfix.h); output cut short
 * (finish_reason "length") or unreadable is asked for once more.
 * Embeddings are sent in batches of batch_size inputs and reassembled in
 * input order.
 *
 * Memory: callers' strings and JSON are copied on call.  The kg_openai_result
 * handed to a callback, and everything it points to, is owned by the client
 * and valid only during the callback (json_incref what you keep).
 * Loop thread only.  Free a client only when kg_openai_pending() is 0. */
#ifndef KG_NET_OPENAI_H
#define KG_NET_OPENAI_H

#include <jansson.h>
#include <uv.h>

#include "base/err.h"
#include "config/config.h"
#include "net/breaker.h"
#include "net/credentials.h"
#include "net/http.h"

typedef struct kg_openai_opts {
    char service[32];
    char base_url[2048]; /* without the trailing slash */
    char model[256];
    double requests_per_minute;
    double tokens_per_minute; /* <= 0: no token limit */
    int max_concurrency;
    long timeout_ms;
    long connect_timeout_ms;
    int retries;
    int batch_size;
    int breaker_failures;
    double breaker_cooldown_ms;
    double backoff_base_ms; /* first backoff ceiling (500 ms) */
    double backoff_cap_ms;  /* largest backoff ceiling (30 s) */
} kg_openai_opts;

/* The service's settings (<service>.base_url ...); base_url defaults to
 * https://api.openai.com/v1 when unset. */
void kg_openai_opts_from_config(const kg_config *cfg, const char *service, kg_openai_opts *o);
/* A service counts as configured when its base_url or a key source of its
 * own (api_key, key_file, key_command) is set. */
int kg_openai_configured(const kg_config *cfg, const char *service);

typedef struct kg_openai kg_openai;

typedef struct kg_openai_result {
    int status;           /* KG_OK or an error code */
    const char *error;    /* the message when status != KG_OK */
    long http_status;     /* last HTTP status (0: none) */
    int attempts;         /* HTTP requests made for this call */
    json_t *json;         /* chat: the parsed content; models: array of ids */
    const float *vectors; /* embeddings: count x dim, input order */
    size_t count, dim;
    long prompt_tokens, completion_tokens;
} kg_openai_result;

typedef void (*kg_openai_cb)(const kg_openai_result *r, void *ud);

kg_openai *kg_openai_new(uv_loop_t *loop, kg_http *http, const kg_openai_opts *opts,
                         kg_credentials *cred);
void kg_openai_free(kg_openai *o);
size_t kg_openai_pending(const kg_openai *o);
/* The breaker (for status reports and tests). */
kg_breaker *kg_openai_breaker(kg_openai *o);
/* 1 once the server refused json_schema and json_object is used. */
int kg_openai_uses_json_object(const kg_openai *o);

/* Chat completion returning JSON.  schema (borrowed, may be NULL for plain
 * json_object mode) is sent as response_format json_schema named
 * schema_name.  max_tokens 0 leaves it to the server. */
int kg_openai_chat_json(kg_openai *o, const char *system, const char *user, json_t *schema,
                        const char *schema_name, long max_tokens, kg_openai_cb cb, void *ud,
                        kg_err *err);
/* Embeddings of n inputs (copied), batched by batch_size. */
int kg_openai_embed(kg_openai *o, const char *const *inputs, size_t n, kg_openai_cb cb, void *ud,
                    kg_err *err);
/* GET /models: the ids the key may use (a cheap authenticated request). */
int kg_openai_list_models(kg_openai *o, kg_openai_cb cb, void *ud, kg_err *err);

#endif
