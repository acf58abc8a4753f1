/* service_pool: one long-lived API service per (service, model, what fixes
 * its behaviour), shared by every caller in the process.
 *
 * Why: the rate limits (token buckets) and the circuit breaker of an API
 * service live in its kg_openai client, on the service's loop thread.  If
 * each MCP tool call started its own service, two concurrent calls would
 * have two limiters (together exceeding requests_per_minute) and two
 * breakers (one call's open breaker would not protect the other).  The MCP
 * server therefore owns one pool (in its kg_tool_runtime); a tool call
 * acquires the service it needs and releases it when done.  A released
 * service is not stopped: it stays, with its limiter state and its breaker,
 * for the next call, until the pool is freed at the server's exit.
 *
 * Keys.  Services are told apart by a key string: for embed the model and
 * a fingerprint of the settings (base URL, limits, breaker, retries ...)
 * and of the kg_config object; for llm also the system prompt, the JSON
 * Schema and its name, which are fixed when a service starts.  Callers
 * asking with the same key share one instance.  The fingerprint is a hash:
 * no setting (and no key) appears in a key.
 *
 * The typed helpers take pool NULL to mean "no pool": the service is
 * started for the caller alone and stopped by the matching put (the CLI:
 * one command, one run).
 *
 * Threads: every function is thread-safe.  A service is started outside
 * the pool's lock (reading keys may block, e.g. key_command); a second
 * caller asking for the same key meanwhile waits for that start instead
 * of starting another.  A failed start is not remembered: the next caller
 * tries again (and gets its own error).
 *
 * Memory: the pool owns its services; the kg_config a service was started
 * with must outlive the pool.  Nothing may be acquired when the pool is
 * freed. */
#ifndef KG_SERVICES_SERVICE_POOL_H
#define KG_SERVICES_SERVICE_POOL_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"
#include "config/config.h"
#include "services/claims.h"
#include "services/embed_service.h"
#include "services/llm_service.h"

typedef struct kg_service_pool kg_service_pool;

kg_service_pool *kg_service_pool_new(void);
/* Stop every service and free the pool (p NULL: nothing). */
void kg_service_pool_free(kg_service_pool *p);

/* Generic part (the typed helpers below use it; exposed for tests). */
typedef int (*kg_service_start_fn)(void *ud, void **svc, kg_err *err);
typedef void (*kg_service_stop_fn)(void *svc);
/* The service of key, started with start(ud) when there is none; one
 * more reference on it.  stop is how the pool will stop it. */
int kg_service_pool_acquire(kg_service_pool *p, const char *key, kg_service_start_fn start,
                            void *ud, kg_service_stop_fn stop, void **out, kg_err *err);
/* One reference less; the service stays until the pool is freed. */
void kg_service_pool_release(kg_service_pool *p, const void *svc);
/* Services held, and the references on one (-1: not in the pool). */
size_t kg_service_pool_size(kg_service_pool *p);
int kg_service_pool_refs(kg_service_pool *p, const void *svc);

/* The claims of the pool's callers on answers being paid for (claims.h);
 * NULL for pool NULL (one caller: nothing to share). */
kg_claims *kg_service_pool_claims(kg_service_pool *p);

/* The embed service for model (NULL or "" = embed.model). */
int kg_service_pool_embed_get(kg_service_pool *p, const kg_config *cfg, const char *model,
                              kg_embed_service **out, kg_err *err);
void kg_service_pool_embed_put(kg_service_pool *p, kg_embed_service *s);

/* The chat service `service` ("llm") with this system prompt and schema. */
int kg_service_pool_llm_get(kg_service_pool *p, const kg_config *cfg, const char *service,
                            const char *system, const json_t *schema, const char *schema_name,
                            kg_llm_service **out, kg_err *err);
void kg_service_pool_llm_put(kg_service_pool *p, kg_llm_service *s);

#endif
