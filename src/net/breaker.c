/* breaker: see breaker.h. */
#include "net/breaker.h"

void kg_breaker_init(kg_breaker *b, int threshold, double cooldown_ms, kg_clock_fn clock,
                     void *clock_ud)
{
    b->state = KG_BREAKER_CLOSED;
    b->threshold = threshold > 0 ? threshold : 1;
    b->failures = 0;
    b->trial_out = 0;
    b->cooldown_ms = cooldown_ms;
    b->opened_at = 0;
    b->clock = clock;
    b->clock_ud = clock_ud;
}

/* Move open -> half-open once the cool-down is over. */
static void tick(kg_breaker *b)
{
    if (b->state == KG_BREAKER_OPEN && b->clock(b->clock_ud) - b->opened_at >= b->cooldown_ms) {
        b->state = KG_BREAKER_HALF_OPEN;
        b->trial_out = 0;
    }
}

int kg_breaker_allow(kg_breaker *b)
{
    tick(b);
    switch (b->state) {
    case KG_BREAKER_CLOSED: return 1;
    case KG_BREAKER_HALF_OPEN:
        if (b->trial_out)
            return 0;
        b->trial_out = 1;
        return 1;
    default: return 0;
    }
}

static void trip(kg_breaker *b)
{
    b->state = KG_BREAKER_OPEN;
    b->opened_at = b->clock(b->clock_ud);
    b->trial_out = 0;
    b->failures = 0;
}

void kg_breaker_success(kg_breaker *b)
{
    b->state = KG_BREAKER_CLOSED;
    b->failures = 0;
    b->trial_out = 0;
}

void kg_breaker_failure(kg_breaker *b)
{
    tick(b);
    if (b->state == KG_BREAKER_HALF_OPEN) {
        trip(b); /* the trial failed: another full cool-down */
        return;
    }
    if (b->state == KG_BREAKER_OPEN)
        return; /* late failures of requests sent before it opened */
    if (++b->failures >= b->threshold)
        trip(b);
}

kg_breaker_state kg_breaker_get_state(kg_breaker *b)
{
    tick(b);
    return b->state;
}

double kg_breaker_retry_in_ms(kg_breaker *b)
{
    tick(b);
    if (b->state != KG_BREAKER_OPEN)
        return 0;
    double left = b->cooldown_ms - (b->clock(b->clock_ud) - b->opened_at);
    return left > 0 ? left : 0;
}

const char *kg_breaker_state_name(kg_breaker_state s)
{
    switch (s) {
    case KG_BREAKER_CLOSED: return "closed";
    case KG_BREAKER_OPEN: return "open";
    default: return "half-open";
    }
}
