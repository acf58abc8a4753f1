/* breaker: a circuit breaker per service.
 *
 * Closed: requests flow; each failure counts, a success resets the count.
 * After `threshold` consecutive failures the breaker opens: requests fail at
 * once (no network, no cost) until `cooldown_ms` has passed.  Then it is
 * half-open: exactly one trial request is let through; its success closes
 * the breaker, its failure opens it for another cool-down.
 *
 * Pure logic: time comes from an injected clock, so tests step it by hand.
 * Not thread-safe: it lives on the loop thread with its service.  The caller
 * owns the kg_breaker (a plain struct; no heap). */
#ifndef KG_NET_BREAKER_H
#define KG_NET_BREAKER_H

typedef enum kg_breaker_state {
    KG_BREAKER_CLOSED = 0,
    KG_BREAKER_OPEN = 1,
    KG_BREAKER_HALF_OPEN = 2,
} kg_breaker_state;

/* Milliseconds on any monotonic scale. */
typedef double (*kg_clock_fn)(void *ud);

typedef struct kg_breaker {
    kg_breaker_state state;
    int threshold;
    int failures;  /* consecutive, while closed */
    int trial_out; /* half-open: the one trial is in flight */
    double cooldown_ms;
    double opened_at;
    kg_clock_fn clock;
    void *clock_ud;
} kg_breaker;

void kg_breaker_init(kg_breaker *b, int threshold, double cooldown_ms, kg_clock_fn clock,
                     void *clock_ud);

/* May a request go now?  1 yes, 0 no (fail fast).  In half-open state the
 * first caller gets the trial and everyone else is refused until it ends. */
int kg_breaker_allow(kg_breaker *b);
/* The outcome of a request that allow() let through. */
void kg_breaker_success(kg_breaker *b);
void kg_breaker_failure(kg_breaker *b);
/* The current state (an open breaker whose cool-down has passed reads as
 * half-open). */
kg_breaker_state kg_breaker_get_state(kg_breaker *b);
/* Milliseconds until an open breaker allows a trial (0 when not open). */
double kg_breaker_retry_in_ms(kg_breaker *b);
const char *kg_breaker_state_name(kg_breaker_state s);

#endif
