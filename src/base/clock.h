/* clock: the monotonic clock in seconds, for durations and deadlines.
 * Never goes backwards (unlike the wall clock); no state, thread-safe.
 * Also the waits on it: a thread that blocks on a condition variable but
 * must notice a cancel flag waits in short slices on this clock. */
#ifndef KG_BASE_CLOCK_H
#define KG_BASE_CLOCK_H

#include <pthread.h>

double kg_now(void);

/* Initialise c to time its waits on the monotonic clock. */
void kg_cond_init_monotonic(pthread_cond_t *c);
/* Wait on c (initialised by kg_cond_init_monotonic, m held) for at most ms
 * milliseconds; pthread_cond_timedwait's result (ETIMEDOUT after ms). */
int kg_cond_wait_ms(pthread_cond_t *c, pthread_mutex_t *m, int ms);

#endif
