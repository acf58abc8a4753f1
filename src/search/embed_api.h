/* embed_api: embeddings by an API model (the OpenAI-compatible `embed`
 * service) for the stored chunks and for search queries.
 *
 * Model ids.  "api" means the configured embed.model, "api:NAME" the
 * model NAME of the same service.  Vectors are stored under "api:NAME"
 * (table embeddings, with their dimension), next to and never mixed with
 * the local models' vectors: a search reads one model id only and rejects a
 * vector of another dimension.  API vectors are scaled to unit length on
 * arrival, so the inner product the search computes is their cosine.
 *
 * Paying once.  Every vector an API returned is kept in the response cache
 * (table llm_cache, service "embed", the model NAME, the hash of the text,
 * params KG_EMBED_API_PARAMS) in the same transaction as the chunk vectors
 * made from it.  A chunk is sent only when it has no vector for the model
 * and its text is not in the cache; chunks sharing a text are sent once.
 * Finished batches are committed as they come back, so a crash or kill
 * loses at most the batches on the wire, and a rerun pays for nothing
 * committed.
 *
 * Failures.  When a batch fails for good (retries used up, the circuit
 * breaker open, the key rejected, a 4xx) no further batch is sent; the
 * batches already sent are collected and committed, and the report says
 * why the run stopped and how many chunks are left.  Nothing falls back
 * silently: with fallback_local the stored chunks also get vectors of the
 * local model (KG_EMBED_MODEL_DEFAULT) under that model's own id, so a
 * search can use them, by naming that model.
 *
 * The service.  Calls go through the embed service (services/embed_service)
 * for the model, taken from pool (the MCP server's: shared with every
 * other call, so the rate limits and the circuit breaker hold for all of
 * them together, and a breaker one call opened makes the next fail fast)
 * or, with pool NULL, started for this call alone and stopped after it
 * (the CLI).  Each call has its own client of the service, so it collects
 * only its own batches.
 *
 * Memory: vectors and strings returned are allocated here and freed by the
 * caller with free(). */
#ifndef KG_SEARCH_EMBED_API_H
#define KG_SEARCH_EMBED_API_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "config/config.h"
#include "services/embed_service.h"
#include "services/service_pool.h"
#include "search/vector_search.h"
#include "store/store.h"

#define KG_EMBED_API_PREFIX "api:"
#define KG_EMBED_API_SERVICE "embed"
/* The params part of the cache key: bump it if what is asked changes
 * (e.g. a `dimensions` request parameter). */
#define KG_EMBED_API_PARAMS "embeddings-v1"
#define KG_EMBED_API_ID_MAX 300

/* 1 when model names an API model ("api" or "api:NAME"). */
int kg_embed_is_api(const char *model);
/* The stored id "api:NAME" for a model spec; "api" needs embed.model. */
int kg_embed_api_model_id(const kg_config *cfg, const char *spec, char out[KG_EMBED_API_ID_MAX],
                          kg_err *err);

/* The cache's text form of a vector: "f32le:DIM:" + base64 of DIM
 * little-endian float32, exact to the bit.  Decode returns KG_EFORMAT for
 * anything else (*v malloc'd). */
char *kg_embed_vec_encode(const float *v, size_t dim);
int kg_embed_vec_decode(const char *text, float **v, int *dim);
/* Scale v to unit length (a zero vector stays zero). */
void kg_embed_unit(float *v, size_t dim);

typedef struct kg_embed_api_report {
    char model[KG_EMBED_API_ID_MAX];
    int dim;
    int64_t chunks;     /* chunks stored */
    int64_t missing;    /* of those, without a vector of the model at the start */
    int64_t embedded;   /* vectors written by this run (from the API or the cache) */
    int64_t from_cache; /* of those, from the cache: nothing paid */
    int64_t sent;       /* distinct texts sent to the API */
    int64_t batches;    /* batches sent */
    int64_t requests;   /* HTTP requests made (batches + retries) */
    int64_t retries;
    int64_t left;                     /* chunks still without a vector of the model */
    int stopped;                      /* a batch failed for good: no further batch was sent */
    char stop_reason[KG_ERR_MSG_MAX]; /* the first batch's failure */
    int breaker_open;                 /* a batch was refused by the open circuit breaker */
    int cancelled;
    int64_t fallback; /* chunks embedded by the local model instead (fallback_local) */
    char fallback_model[64];
    kg_embed_lag lag; /* the service loop's lag meanwhile */
    double seconds;
} kg_embed_api_report;

/* Embed every chunk lacking a vector of the API model `spec`.  KG_OK also
 * when the run stopped (rep->stopped, rep->stop_reason) or was cancelled;
 * an error only when nothing could start (settings, database).
 * fallback_local: after a stop, embed with the local model as well. */
int kg_embed_chunks_api(const kg_config *cfg, kg_service_pool *pool, kg_store *s, const char *spec,
                        int fallback_local, volatile int *cancel,
                        void (*progress)(void *ud, double done, double total, const char *msg),
                        void *ud, kg_embed_api_report *rep, kg_err *err);

/* The query's vector by the API model (unit length; *v malloc'd): from the
 * cache when it is there (*cached = 1), else asked, and then stored in the
 * cache when cache_rw is a writable handle (it may be NULL). */
int kg_embed_api_query(const kg_config *cfg, kg_service_pool *pool, kg_store *s, kg_store *cache_rw,
                       const char *spec, const char *query, float **v, int *dim, int *cached,
                       kg_err *err);

/* kg_search_ranked for an API model spec (text mode needs no model). */
int kg_search_ranked_api(const kg_config *cfg, kg_service_pool *pool, kg_store *s,
                         kg_store *cache_rw, const char *query, kg_search_mode mode,
                         const char *spec, int limit, kg_ranked_hit **hits, size_t *n,
                         kg_search_info *info, kg_err *err);

#endif
