/* clock: the monotonic clock in seconds, for durations and deadlines.
 * Never goes backwards (unlike the wall clock); no state, thread-safe. */
#ifndef KG_BASE_CLOCK_H
#define KG_BASE_CLOCK_H

double kg_now(void);

#endif
