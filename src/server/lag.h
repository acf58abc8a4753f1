/* lag: the event loop measures how late it is.
 *
 * A repeating uv_timer expects to fire every interval; the difference
 * between when it should have fired and when it did is the time the loop
 * spent on something else (a blocking call would show up here at once).
 * Samples of the last 60 seconds are kept in a ring so the maximum and the
 * 99th percentile over the window can be read from any thread
 * (get_system_status runs on a worker).
 *
 * Memory: kg_lag_monitor is owned by the caller of kg_lag_start and freed by
 * kg_lag_free after the loop has closed its timer. */
#ifndef KG_SERVER_LAG_H
#define KG_SERVER_LAG_H

#include <uv.h>

typedef struct kg_lag_monitor kg_lag_monitor;

kg_lag_monitor *kg_lag_start(uv_loop_t *loop, unsigned interval_ms);
/* Stop the timer (loop thread); the monitor is freed when the handle closes. */
void kg_lag_stop(kg_lag_monitor *m);
/* Thread-safe snapshot in milliseconds.  Signature fits kg_tool_runtime.lag. */
void kg_lag_read(void *m, double *max_ms, double *p99_ms, double *last_ms);

#endif
