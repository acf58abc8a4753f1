/* llm_inflight: one paid request per chunk text, even at the same moment.
 *
 * The response cache (llm_cache) makes a rerun, or a later document with
 * the same chunk, free.  But two workers that meet the same chunk text at
 * the same time (the same paragraph in two files ingested in parallel)
 * both miss the cache and would both pay.  This registry, keyed by the
 * input hash, lets the first ask and the others wait for its answer; the
 * last few thousand answers stay, so a worker that meets the text after the
 * answer came but before the writer cached it does not pay either.
 *
 * Thread-safe; waiting checks the cancel flag every few milliseconds (a
 * timed condition wait, as services/llm_service does). */
#ifndef KG_SERVICES_LLM_INFLIGHT_H
#define KG_SERVICES_LLM_INFLIGHT_H

typedef struct kg_inflight kg_inflight;

kg_inflight *kg_inflight_new(void);
/* Only when no claim is outstanding. */
void kg_inflight_free(kg_inflight *f);

enum {
    KG_INFLIGHT_OWNER = 1,   /* ask the service, then kg_inflight_publish */
    KG_INFLIGHT_SHARED = 0,  /* another asked: *answer is a copy of its answer */
    KG_INFLIGHT_FAILED = -1, /* another asked and failed: ask yourself (or fall back) */
    KG_INFLIGHT_CANCELLED = -2,
};

/* Claim key.  The first caller owns it; later ones wait for its answer. */
int kg_inflight_claim(kg_inflight *f, const char *key, const volatile int *cancel, char **answer);
/* The owner's answer (copied; NULL when the request failed, which
 * releases the key); wakes the waiters. */
void kg_inflight_publish(kg_inflight *f, const char *key, const char *answer);
/* Callers waiting on key now (tests). */
int kg_inflight_waiters(kg_inflight *f, const char *key);

#endif
