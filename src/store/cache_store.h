/* cache_store: the response cache of paid services (table llm_cache).
 *
 * A row is keyed by (service, model, input_hash, params_hash): the hash of
 * what was sent (a chunk's text) and of how it was asked (prompt, schema,
 * ontology).  Readers look rows up on their own (read-only) handles; the
 * one writer stores fresh responses inside its current transaction, next to
 * the rows derived from them, so a committed chunk's answer is committed
 * too and a crash loses neither or both.
 *
 * Memory: *response_out is allocated here and freed by the caller (free()). */
#ifndef KG_STORE_CACHE_STORE_H
#define KG_STORE_CACHE_STORE_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef struct kg_cache_key {
    const char *service;
    const char *model;
    const char *input_hash;
    const char *params_hash;
} kg_cache_key;

/* *response_out is NULL when there is no row (not an error). */
int kg_cache_get(kg_store *s, const kg_cache_key *k, char **response_out, kg_err *err);
/* Insert or replace the row. */
int kg_cache_put(kg_store *s, const kg_cache_key *k, const char *response, kg_err *err);
/* Rows held for a service (NULL: all), for status and tests. */
int kg_cache_count(kg_store *s, const char *service, int64_t *out, kg_err *err);

#endif
