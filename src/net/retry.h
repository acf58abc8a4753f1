/* retry: when to try an HTTP request again, and how long to wait first.
 *
 * Pure functions, no clock and no randomness of their own (the caller passes
 * `now` and a uniform random number), so every rule is unit-tested exactly.
 * Policy: 429, 5xx (but 501), timeouts, refused or dropped connections and
 * unreadable bodies are worth retrying; 400/401/403/404 and other 4xx are
 * not (the request itself is wrong and would fail the same way again).
 * Waits are exponential backoff with full jitter, unless the server said how
 * long to wait (Retry-After, x-ratelimit-reset-*), which is honoured.
 * Nothing here allocates. */
#ifndef KG_NET_RETRY_H
#define KG_NET_RETRY_H

#include <time.h>

typedef enum kg_retry_class {
    KG_RETRY_DONE = 0,  /* success: deliver */
    KG_RETRY_AGAIN = 1, /* transient: back off and try again */
    KG_RETRY_FATAL = 2, /* the request is wrong or refused: report */
} kg_retry_class;

typedef struct kg_retry_policy {
    int max_retries; /* retries after the first attempt */
    double base_ms;  /* first backoff ceiling */
    double cap_ms;   /* largest backoff ceiling */
} kg_retry_policy;

/* Classify a finished transfer: curl_code is a CURLcode (0 = transfer
 * completed), status the HTTP status (0 when none arrived). */
kg_retry_class kg_retry_classify(int curl_code, long status);

/* Full jitter: rand01 * min(cap, base * 2^attempt), attempt counted from 0. */
double kg_retry_backoff_ms(const kg_retry_policy *p, int attempt, double rand01);

/* Retry-After: delta seconds ("120") or an HTTP-date, relative to now.
 * Milliseconds to wait (0 for a date in the past), or -1 when unreadable. */
double kg_retry_after_ms(const char *value, time_t now);

/* Go-style durations as in x-ratelimit-reset-requests/-tokens: "1s",
 * "6m0s", "20ms", "1h2m3.5s", "0.5s".  Milliseconds, or -1 when unreadable. */
double kg_retry_duration_ms(const char *value);

/* The wait a server asked for: the largest of the readable hints (any may
 * be NULL), or -1 when none is given. */
double kg_retry_hint_ms(const char *retry_after, const char *reset_requests,
                        const char *reset_tokens, time_t now);

/* The wait before retry number `attempt` (0-based): the server's hint when
 * there is one (it knows when its window reopens), else the jittered
 * backoff. */
double kg_retry_delay_ms(const kg_retry_policy *p, int attempt, double hint_ms, double rand01);

#endif
