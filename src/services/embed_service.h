/* embed_service: the `embed` API service (OpenAI-compatible /embeddings)
 * on its own libuv loop thread, for callers that have no loop (the CLI's
 * `kgas embed --model api`, the embed_chunks / similarity_search tools).
 *
 * One thread runs a loop (services/service_loop) that owns every net/
 * object of the service: kg_http, the kg_openai client and with it the rate
 * limiter, the retries and the circuit breaker.  One service may serve many callers at once
 * (the MCP server shares one per model through services/service_pool), so
 * the limits and the breaker hold for all of them together.
 *
 * Callers talk to it through a client (kg_embed_client_open): each client
 * has its own completion queue, so a caller collects only the batches it
 * submitted.  A caller submits batches (kg_embed_client_submit: queued
 * under the service mutex, the loop woken; it never
 * waits) and collects its finished batches in completion order
 * (kg_embed_client_next: a wait on the client's condition variable).  So
 * any number of batches can be in flight with no thread per request, and
 * the loop never blocks: the caller does the database writes on its own
 * thread.
 *
 * Each batch is one kg_openai_embed call, which with at most batch_size
 * inputs is one HTTP request (plus its retries).
 *
 * SIGHUP re-reads the service's keys (embed.key_file, embed.key_command)
 * without a restart, as the LLM service does (services/service_loop).
 *
 * The loop measures its own lag (how late a 5 ms timer fires) while any
 * client is open, and gives each client the samples of its own life, so a
 * report can show that the embedding traffic did not stall it.
 *
 * Memory: the service copies the texts it is given.  A kg_embed_batch
 * returned by kg_embed_client_next belongs to the caller
 * (kg_embed_batch_free).  The kg_config given to start must outlive the
 * service (the keys are re-read from it). */
#ifndef KG_SERVICES_EMBED_SERVICE_H
#define KG_SERVICES_EMBED_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "config/config.h"

typedef struct kg_embed_service kg_embed_service;

typedef struct kg_embed_batch {
    uint64_t tag; /* the submitter's, returned as given */
    size_t n;     /* inputs */
    int status;   /* KG_OK or the client's error (KG_EBUSY: breaker open) */
    char error[KG_ERR_MSG_MAX];
    long http_status;
    int attempts;   /* HTTP requests made for it (1 + retries) */
    float *vectors; /* n x dim, input order, when status is KG_OK */
    size_t dim;
    struct kg_embed_batch *next;
} kg_embed_batch;

typedef struct kg_embed_lag {
    double max_ms, p99_ms;
    size_t samples;
} kg_embed_lag;

/* Read the embed.* settings and keys (blocking, on the caller's thread) and
 * start the loop thread.  model NULL or "" = embed.model.  Needs the
 * service configured (embed.base_url or a key) and a model. */
int kg_embed_service_start(const kg_config *cfg, const char *model, kg_embed_service **out,
                           kg_err *err);
/* Let the calls in flight finish, stop the thread and free everything.
 * Every client must have been closed first. */
void kg_embed_service_stop(kg_embed_service *s);

const char *kg_embed_service_model(const kg_embed_service *s);
int kg_embed_service_batch_size(const kg_embed_service *s);
int kg_embed_service_max_concurrency(const kg_embed_service *s);

typedef struct kg_embed_client kg_embed_client;

/* A new client of s: its own completion queue.  Thread-safe. */
kg_embed_client *kg_embed_client_open(kg_embed_service *s);
/* Done with the client: its batches not yet sent are dropped unsent (a
 * paid answer nobody stores would be paid again), those on the wire are
 * freed when they come back, finished ones not collected are freed.
 * *lag (may be NULL) gets the loop's lag over the client's life. */
void kg_embed_client_close(kg_embed_client *c, kg_embed_lag *lag);
kg_embed_service *kg_embed_client_service(const kg_embed_client *c);

/* Queue n texts (copied; n should not exceed the batch size) as one batch. */
void kg_embed_client_submit(kg_embed_client *c, uint64_t tag, const char *const *texts, size_t n);
/* Wait for the client's next finished batch.  KG_OK with *out;
 * KG_ECANCELED when *cancel became non-zero first; KG_ENOTFOUND when the
 * client has nothing queued, in flight or finished (a wait that would never
 * end).  *out is NULL on an error. */
int kg_embed_client_next(kg_embed_client *c, const volatile int *cancel, kg_embed_batch **out,
                         kg_err *err);
/* A finished batch of the client's if there is one now, else NULL (never
 * waits). */
kg_embed_batch *kg_embed_client_try_next(kg_embed_client *c);
void kg_embed_batch_free(kg_embed_batch *b);

/* The lag figures of a series of samples (ms): max and 99th percentile
 * (nearest rank).  Sorts v in place.  Exposed for tests. */
void kg_embed_lag_summary(double *v, size_t n, kg_embed_lag *out);

#endif
