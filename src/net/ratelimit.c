/* ratelimit: see ratelimit.h. */
#include "net/ratelimit.h"

#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"

void kg_bucket_init(kg_bucket *b, double per_minute, double now_ms)
{
    b->unlimited = per_minute <= 0;
    b->per_ms = per_minute / 60000.0;
    b->capacity = per_minute / 60.0; /* one second of burst */
    if (b->capacity < 1)
        b->capacity = 1;
    b->level = b->capacity;
    b->last_ms = now_ms;
}

static void refill(kg_bucket *b, double now_ms)
{
    if (now_ms > b->last_ms) {
        b->level += (now_ms - b->last_ms) * b->per_ms;
        if (b->level > b->capacity)
            b->level = b->capacity;
    }
    b->last_ms = now_ms;
}

double kg_bucket_wait_ms(kg_bucket *b, double n, double now_ms)
{
    if (b->unlimited)
        return 0;
    refill(b, now_ms);
    double need = n < b->capacity ? n : b->capacity;
    if (b->level >= need)
        return 0;
    return (need - b->level) / b->per_ms;
}

void kg_bucket_take(kg_bucket *b, double n, double now_ms)
{
    if (b->unlimited)
        return;
    refill(b, now_ms);
    b->level -= n;
}

void kg_bucket_adjust(kg_bucket *b, double delta, double now_ms)
{
    if (b->unlimited)
        return;
    refill(b, now_ms);
    b->level -= delta;
    if (b->level > b->capacity)
        b->level = b->capacity;
}

typedef struct waiter {
    struct waiter *next;
    double tokens;
    kg_ratelimit_cb cb;
    void *ud;
} waiter;

struct kg_ratelimit {
    uv_loop_t *loop;
    uv_timer_t timer;
    kg_bucket req, tok;
    int max_inflight, inflight;
    double paused_until;
    waiter *head, *tail;
    size_t nwait;
    int closing;
    int pumping;
    /* The grant times of the last `per minute` requests (a ring), so that
     * no 60-second window holds more than the limit even when the bucket
     * catches up after the loop was held up.  NULL when unlimited or above
     * WINDOW_MAX_RPM (the bucket alone then). */
    double *win;
    size_t win_cap, win_head, win_n;
};

/* Above this many requests a minute the ring would cost more memory than
 * the guarantee is worth; the bucket's one second of burst is then at most
 * 1/60 over. */
#define WINDOW_MAX_RPM 100000
/* The window is kept a second longer than a minute: the server stamps a
 * request later than we send it, by a delay that varies (a loaded server
 * was seen 100 ms late), and a late first request plus a prompt last one
 * would put one request too many in the server's minute.  The cost is
 * 1/61 of the rate. */
#define WINDOW_MS (60000.0 + 1000.0)

/* uv_now() only moves once per loop turn; the buckets need real time. */
static double now_ms(void)
{
    return (double)uv_hrtime() / 1e6;
}

static void on_timer(uv_timer_t *t);

static void arm(kg_ratelimit *rl, double ms)
{
    uint64_t d = ms <= 0 ? 0 : (uint64_t)(ms + 0.999);
    uv_timer_start(&rl->timer, on_timer, d, 0);
}

/* Grant as many queued requests as the limits allow, in order; arm the
 * timer for the next one that has to wait. */
static void pump(kg_ratelimit *rl)
{
    if (rl->pumping)
        return; /* a grant's callback re-entered us; the outer loop goes on */
    rl->pumping = 1;
    while (rl->head && !rl->closing) {
        if (rl->inflight >= rl->max_inflight)
            break; /* release() will pump again */
        double t = now_ms();
        if (t < rl->paused_until) {
            arm(rl, rl->paused_until - t);
            break;
        }
        waiter *w = rl->head;
        double wr = kg_bucket_wait_ms(&rl->req, 1, t);
        double wt = kg_bucket_wait_ms(&rl->tok, w->tokens, t);
        double wait = wr > wt ? wr : wt;
        if (rl->win && rl->win_n == rl->win_cap) {
            /* The oldest of the last win_cap grants must leave the window. */
            double ww = rl->win[rl->win_head] + WINDOW_MS - t;
            wait = ww > wait ? ww : wait;
        }
        if (wait > 0) {
            arm(rl, wait);
            break;
        }
        kg_bucket_take(&rl->req, 1, t);
        kg_bucket_take(&rl->tok, w->tokens, t);
        if (rl->win) {
            size_t at = (rl->win_head + rl->win_n) % rl->win_cap;
            rl->win[at] = t;
            if (rl->win_n < rl->win_cap)
                rl->win_n++;
            else
                rl->win_head = (rl->win_head + 1) % rl->win_cap;
        }
        rl->head = w->next;
        if (!rl->head)
            rl->tail = NULL;
        rl->nwait--;
        rl->inflight++;
        w->cb(0, w->ud);
        free(w);
    }
    rl->pumping = 0;
}

static void on_timer(uv_timer_t *t)
{
    pump(t->data);
}

kg_ratelimit *kg_ratelimit_new(uv_loop_t *loop, double requests_per_minute,
                               double tokens_per_minute, int max_concurrency)
{
    kg_ratelimit *rl = kg_xcalloc(1, sizeof *rl);
    rl->loop = loop;
    uv_timer_init(loop, &rl->timer);
    rl->timer.data = rl;
    double t = now_ms();
    kg_bucket_init(&rl->req, requests_per_minute, t);
    /* Start with one request, not a full second of burst: a new process
     * cannot know what its predecessor sent a moment ago, and a run that
     * opens with a burst exceeds the limit over the minute around its start
     * (bench/embed_api.sh measures that minute). */
    if (!rl->req.unlimited && rl->req.level > 1)
        rl->req.level = 1;
    if (!rl->req.unlimited && requests_per_minute <= WINDOW_MAX_RPM) {
        rl->win_cap = requests_per_minute >= 1 ? (size_t)requests_per_minute : 1;
        rl->win = kg_xcalloc(rl->win_cap, sizeof *rl->win);
    }
    kg_bucket_init(&rl->tok, tokens_per_minute, t);
    rl->max_inflight = max_concurrency > 0 ? max_concurrency : 1;
    return rl;
}

void kg_ratelimit_acquire(kg_ratelimit *rl, double tokens, kg_ratelimit_cb cb, void *ud)
{
    waiter *w = kg_xcalloc(1, sizeof *w);
    w->tokens = tokens > 0 ? tokens : 0;
    w->cb = cb;
    w->ud = ud;
    if (rl->tail)
        rl->tail->next = w;
    else
        rl->head = w;
    rl->tail = w;
    rl->nwait++;
    /* Always through the timer: a callback must not run inside acquire(),
     * or callers would re-enter themselves. */
    if (!uv_is_active((uv_handle_t *)&rl->timer))
        arm(rl, 0);
}

void kg_ratelimit_release(kg_ratelimit *rl)
{
    if (rl->inflight > 0)
        rl->inflight--;
    if (rl->head && !uv_is_active((uv_handle_t *)&rl->timer))
        arm(rl, 0);
}

void kg_ratelimit_correct(kg_ratelimit *rl, double delta_tokens)
{
    kg_bucket_adjust(&rl->tok, delta_tokens, now_ms());
}

void kg_ratelimit_pause(kg_ratelimit *rl, double ms)
{
    double until = now_ms() + ms;
    if (until > rl->paused_until)
        rl->paused_until = until;
}

size_t kg_ratelimit_waiting(const kg_ratelimit *rl)
{
    return rl->nwait;
}

int kg_ratelimit_in_flight(const kg_ratelimit *rl)
{
    return rl->inflight;
}

static void on_closed(uv_handle_t *h)
{
    kg_ratelimit *rl = h->data;
    free(rl->win);
    free(rl);
}

void kg_ratelimit_free(kg_ratelimit *rl)
{
    if (!rl || rl->closing)
        return;
    rl->closing = 1;
    while (rl->head) {
        waiter *w = rl->head;
        rl->head = w->next;
        w->cb(KG_ECANCELED, w->ud);
        free(w);
    }
    rl->tail = NULL;
    rl->nwait = 0;
    uv_close((uv_handle_t *)&rl->timer, on_closed);
}
