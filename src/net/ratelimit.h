/* ratelimit: token buckets per service, for requests and for tokens, plus
 * a cap on requests in flight.
 *
 * A kg_bucket is the pure arithmetic (time passed in, so tests are exact).
 * A kg_ratelimit combines a request bucket, a token bucket and a concurrency
 * cap on a libuv loop: kg_ratelimit_acquire() queues the caller and calls it
 * back, in FIFO order, when all three allow; waiting is a uv_timer, never a
 * sleep.  The token cost is an estimate made before the call; once the
 * response reports its usage the owner corrects the bucket.  A server's
 * 429 can pause the whole service (kg_ratelimit_pause).
 *
 * Buckets hold one second of their rate as burst (at least one unit), so a
 * queue of a hundred requests is spread out instead of fired at once.  A
 * new limiter's request bucket starts with one request, not a full burst,
 * and the limiter remembers the grant times of the last minute's requests
 * (up to 100,000 a minute), so no 60-second window, the first included,
 * holds more than the rate, even when the bucket catches up after the loop
 * was held up.
 * The limiter owns its queue entries; it is freed asynchronously (its timer
 * must close on the loop).  Loop thread only. */
#ifndef KG_NET_RATELIMIT_H
#define KG_NET_RATELIMIT_H

#include <uv.h>

typedef struct kg_bucket {
    double capacity;
    double level;  /* may go negative after a correction: a debt */
    double per_ms; /* refill rate */
    double last_ms;
    int unlimited;
} kg_bucket;

/* per_minute <= 0 means no limit. */
void kg_bucket_init(kg_bucket *b, double per_minute, double now_ms);
/* Milliseconds until n units can be taken (0 = now).  A request larger than
 * the capacity waits for a full bucket and then leaves a debt. */
double kg_bucket_wait_ms(kg_bucket *b, double n, double now_ms);
void kg_bucket_take(kg_bucket *b, double n, double now_ms);
/* Correct by delta units (positive: more was used than taken). */
void kg_bucket_adjust(kg_bucket *b, double delta, double now_ms);

typedef struct kg_ratelimit kg_ratelimit;

/* status 0: go ahead (and call kg_ratelimit_release when the request ends);
 * KG_ECANCELED: the limiter is being freed. */
typedef void (*kg_ratelimit_cb)(int status, void *ud);

kg_ratelimit *kg_ratelimit_new(uv_loop_t *loop, double requests_per_minute,
                               double tokens_per_minute, int max_concurrency);
/* Queue a request costing `tokens` (estimate).  cb always runs later, on
 * the loop, never inside this call. */
void kg_ratelimit_acquire(kg_ratelimit *rl, double tokens, kg_ratelimit_cb cb, void *ud);
/* A request granted by acquire has finished. */
void kg_ratelimit_release(kg_ratelimit *rl);
/* The response reported its real usage: delta = used - estimated. */
void kg_ratelimit_correct(kg_ratelimit *rl, double delta_tokens);
/* Grant nothing for ms (the server asked us to wait). */
void kg_ratelimit_pause(kg_ratelimit *rl, double ms);
/* Waiting and in-flight counts (for tests and status). */
size_t kg_ratelimit_waiting(const kg_ratelimit *rl);
int kg_ratelimit_in_flight(const kg_ratelimit *rl);
/* Cancel waiters (their cb gets KG_ECANCELED), close the timer, and free
 * the limiter once the loop has closed it. */
void kg_ratelimit_free(kg_ratelimit *rl);

#endif
