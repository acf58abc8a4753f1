/* lag: see lag.h.  The percentile is computed on demand by sorting a copy of
 * the window (3000 doubles at 20 ms): cheap, and only a status call pays. */
#include "server/lag.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define WINDOW_S 60

typedef struct sample {
    uint64_t at_ns;
    double lag_ms;
} sample;

struct kg_lag_monitor {
    uv_timer_t timer;
    unsigned interval_ms;
    uint64_t expected_ns;
    pthread_mutex_t mu;
    sample *ring;
    size_t cap, head, count;
    double last;
};

static void on_tick(uv_timer_t *t)
{
    kg_lag_monitor *m = t->data;
    uint64_t now = uv_hrtime();
    double lag = now > m->expected_ns ? (double)(now - m->expected_ns) / 1e6 : 0.0;
    m->expected_ns = now + (uint64_t)m->interval_ms * 1000000u;
    pthread_mutex_lock(&m->mu);
    m->ring[m->head] = (sample){now, lag};
    m->head = (m->head + 1) % m->cap;
    if (m->count < m->cap)
        m->count++;
    m->last = lag;
    pthread_mutex_unlock(&m->mu);
}

kg_lag_monitor *kg_lag_start(uv_loop_t *loop, unsigned interval_ms)
{
    kg_lag_monitor *m = kg_xcalloc(1, sizeof *m);
    m->interval_ms = interval_ms ? interval_ms : 20;
    m->cap = (size_t)WINDOW_S * 1000 / m->interval_ms + 16;
    m->ring = kg_xcalloc(m->cap, sizeof *m->ring);
    pthread_mutex_init(&m->mu, NULL);
    uv_timer_init(loop, &m->timer);
    m->timer.data = m;
    m->expected_ns = uv_hrtime() + (uint64_t)m->interval_ms * 1000000u;
    uv_timer_start(&m->timer, on_tick, m->interval_ms, m->interval_ms);
    /* The lag timer alone must not keep the loop alive at shutdown. */
    uv_unref((uv_handle_t *)&m->timer);
    return m;
}

static void on_closed(uv_handle_t *h)
{
    kg_lag_monitor *m = h->data;
    pthread_mutex_destroy(&m->mu);
    free(m->ring);
    free(m);
}

void kg_lag_stop(kg_lag_monitor *m)
{
    if (!m)
        return;
    uv_timer_stop(&m->timer);
    uv_close((uv_handle_t *)&m->timer, on_closed);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void kg_lag_read(void *ud, double *max_ms, double *p99_ms, double *last_ms)
{
    kg_lag_monitor *m = ud;
    *max_ms = *p99_ms = *last_ms = 0;
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    uint64_t cutoff = uv_hrtime() - (uint64_t)WINDOW_S * 1000000000u;
    double *v = kg_xmalloc((m->count ? m->count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < m->count; i++) {
        const sample *s = &m->ring[i];
        if (s->at_ns >= cutoff)
            v[n++] = s->lag_ms;
    }
    *last_ms = m->last;
    pthread_mutex_unlock(&m->mu);
    if (n) {
        qsort(v, n, sizeof *v, cmp_double);
        *max_ms = v[n - 1];
        size_t k = (size_t)((double)(n - 1) * 0.99 + 0.5);
        *p99_ms = v[k];
    }
    free(v);
}
