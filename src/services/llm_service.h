/* llm_service: a blocking front for the asynchronous LLM client, for
 * threads that have no event loop of their own (ingest workers).
 *
 * The service runs on a services/service_loop: ONE thread with a libuv
 * loop that owns everything of the net/ layer for one service ("llm"):
 * kg_http, the kg_openai client and with it the rate limiter and the
 * circuit breaker.  So the limits and the breaker are shared by all
 * workers, as they must be, and no net/ object is ever touched by two
 * threads.  In the MCP server one service is shared by all tool calls too
 * (services/service_pool keeps it for the server's life), so any number of
 * threads may call kg_llm_service_chat at once.  A worker calls
 * kg_llm_service_chat(): the request is queued under a mutex and the loop
 * is woken; the worker then waits on a condition variable until the loop's
 * callback hands over the answer (or the cancel flag is seen).  Waiting is
 * the worker's business; the loop itself never blocks.
 *
 * The system prompt and the JSON Schema are fixed at start and owned by the
 * service: jansson values are not shared between threads, so the answer
 * crosses over as compact JSON text.
 *
 * Memory: the service copies everything it is given.  *response_out is
 * allocated by the service and freed by the caller with free().  A request
 * the worker gave up on (cancel) is freed by the loop when its answer comes. */
#ifndef KG_SERVICES_LLM_SERVICE_H
#define KG_SERVICES_LLM_SERVICE_H

#include <jansson.h>

#include "base/err.h"
#include "config/config.h"

typedef struct kg_llm_service kg_llm_service;

/* Read the service's settings and keys (blocking, on the caller's thread),
 * then start the loop thread.  schema is copied. */
int kg_llm_service_start(const kg_config *cfg, const char *service, const char *system,
                         const json_t *schema, const char *schema_name, kg_llm_service **out,
                         kg_err *err);
/* Let calls in flight finish, stop the loop thread and free everything.
 * No kg_llm_service_chat may run concurrently.  SIGHUP, while it runs,
 * re-reads the keys (services/service_loop). */
void kg_llm_service_stop(kg_llm_service *s);
/* The model name (for the cache key). */
const char *kg_llm_service_model(const kg_llm_service *s);

/* Ask about `user` (copied) and wait.  KG_OK with the JSON answer as text,
 * KG_ECANCELED when *cancel became non-zero while waiting, or the client's
 * error (breaker open, failed after retries, rejected key ...). */
int kg_llm_service_chat(kg_llm_service *s, const char *user, const volatile int *cancel,
                        char **response_out, kg_err *err);

#endif
