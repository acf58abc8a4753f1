/* service_loop: the thread an API service (llm, embed) runs on, written
 * once for both.
 *
 * A service talks to an OpenAI-compatible API through net/ objects
 * (kg_http, the kg_openai client with its rate limiter, retries and circuit
 * breaker) that are not thread-safe and are driven by a libuv loop.  So
 * each service runs ONE thread with its own loop that owns all of them, and
 * callers on other threads (ingest workers, MCP tool calls, the CLI) hand
 * their work over.  What every such loop does is here; what the work is
 * (chat requests, embedding batches) and how callers collect it stays in
 * the service (llm_service.c, embed_service.c):
 *   - wake: a caller queues work under the service's own mutex and calls
 *     kg_service_loop_wake(); the loop calls ops.wake, which starts the
 *     queued calls on the client (kg_service_loop_client()).
 *   - quit and drain: kg_service_loop_stop() wakes the loop to quit; ops.quit
 *     settles what is still queued (start it or drop it), the loop takes no
 *     more work, waits until the calls in flight have ended, frees the
 *     client and returns; then the thread is joined.
 *   - SIGHUP re-reads the service's keys (key_file, key_command) without a
 *     restart, off the loop (reading may block), swapping them in on it.
 *   - lag: on request (kg_service_loop_lag_start) a 5 ms timer measures how
 *     late the loop is, handing each sample to ops.lag until it says stop,
 *     so a report can show the traffic did not stall the loop.
 *
 * kg_service_wait() is the other half of the hand-over: how a caller waits
 * on its condition variable for the loop's answer while still seeing its
 * cancel flag.
 *
 * Threads: kg_service_loop_start, _stop and _wake are called from caller
 * threads (start and stop from one owner); the ops, kg_service_loop_client
 * and kg_service_loop_lag_start run on the loop thread only.
 *
 * Memory: the loop owns the client, kg_http and the credentials it is
 * given; the service owns ud, which must outlive kg_service_loop_stop. */
#ifndef KG_SERVICES_SERVICE_LOOP_H
#define KG_SERVICES_SERVICE_LOOP_H

#include <pthread.h>

#include "base/err.h"
#include "net/credentials.h"
#include "net/openai.h"

/* How often a waiting caller looks at its cancel flag.  A signal handler
 * sets the flag and cannot signal a condition variable, so the wait has a
 * deadline; it is a wait on the condition, not a sleep. */
#define KG_SERVICE_CANCEL_POLL_MS 100
/* The lag probe's period. */
#define KG_SERVICE_LAG_TICK_MS 5

typedef struct kg_service_loop kg_service_loop;

typedef struct kg_service_loop_ops {
    /* Callers queued work and woke the loop: start it. */
    void (*wake)(kg_service_loop *l, void *ud);
    /* The loop is stopping: settle what is still queued (start it or drop
     * it).  Called once; no wake follows. */
    void (*quit)(kg_service_loop *l, void *ud);
    /* A lag sample (ms late) while the probe runs; return 0 to stop it.
     * May be NULL when the service never starts the probe. */
    int (*lag)(kg_service_loop *l, void *ud, double lag_ms);
} kg_service_loop_ops;

/* Make the client of opts (opts->service names the service in messages)
 * and start the loop thread.  cred is taken over: the loop frees it, also
 * when the start fails.  The service's own state that the ops touch must
 * be ready before this is called. */
int kg_service_loop_start(const kg_openai_opts *opts, kg_credentials *cred,
                          const kg_service_loop_ops *ops, void *ud, kg_service_loop **out,
                          kg_err *err);
/* Quit, let the calls in flight finish, join the thread, free everything
 * of the loop's.  l NULL: nothing. */
void kg_service_loop_stop(kg_service_loop *l);
/* Any thread: have ops.wake run on the loop soon. */
void kg_service_loop_wake(kg_service_loop *l);

/* Loop thread: the service's API client. */
kg_openai *kg_service_loop_client(kg_service_loop *l);
/* Loop thread: start the lag probe unless it runs. */
void kg_service_loop_lag_start(kg_service_loop *l);

/* A caller's wait for the loop's answer, one step: mu held, returns 1 at
 * once when *cancel (may be NULL) is set, else waits on cond (initialised
 * by kg_cond_init_monotonic) for at most KG_SERVICE_CANCEL_POLL_MS and
 * returns 0, or 1 when the wait failed.  Use in a loop over the caller's
 * own condition: while (!done && !kg_service_wait(...)). */
int kg_service_wait(pthread_cond_t *cond, pthread_mutex_t *mu, const volatile int *cancel);

#endif
