/* claims: who is already paying for an answer.
 *
 * Two calls in one process (two MCP tool calls) may want the same paid
 * answer at the same time: the embedding of one chunk text, asked by two
 * concurrent embed_chunks calls on the same database.  The response cache
 * stops the second from paying only once the first has stored the answer;
 * before that both would send it.  A claim closes that window: the first
 * caller takes the claim on a key (database, model, text hash), asks, stores
 * the answer, then drops the claim; a second caller finding the key claimed
 * waits until it is dropped and then reads the answer from the cache (or,
 * when the first gave up without one, takes the claim and asks itself).
 *
 * The set lives in the service pool (service_pool.h), so it spans exactly
 * the callers that share services.  Thread-safe; waiting is a condition
 * variable with a periodic look at the caller's cancel flag.
 *
 * Memory: keys are copied. */
#ifndef KG_SERVICES_CLAIMS_H
#define KG_SERVICES_CLAIMS_H

#include <stddef.h>

#include "base/err.h"

typedef struct kg_claims kg_claims;

kg_claims *kg_claims_new(void);
/* Nothing may be claimed or waited for any more (c NULL: nothing). */
void kg_claims_free(kg_claims *c);

/* Take the claim on key: 1 when the caller now holds it, 0 when someone
 * else does. */
int kg_claims_take(kg_claims *c, const char *key);
/* Drop a claim the caller holds, waking whoever waits for it. */
void kg_claims_drop(kg_claims *c, const char *key);
/* Wait until key is not claimed: KG_OK, or KG_ECANCELED once *cancel
 * (may be NULL) is non-zero. */
int kg_claims_wait(kg_claims *c, const char *key, const volatile int *cancel);
/* Keys claimed now (for tests). */
size_t kg_claims_count(kg_claims *c);

#endif
