/* service_loop: see service_loop.h.
 *
 * Shutdown: the quit handle closes the handles callers could still trigger
 * (wake, quit, SIGHUP, the lag probe) and starts the drain timer, which
 * frees the client and kg_http once nothing is in flight; closing them
 * closes their last handles, so uv_run returns and the thread ends. */
#include "services/service_loop.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "base/clock.h"
#include "base/log.h"
#include "net/http.h"

/* How often the stopping loop checks whether its calls have ended. */
#define DRAIN_POLL_MS 10

struct kg_service_loop {
    uv_loop_t loop;
    uv_async_t wake, quit;
    uv_timer_t drain; /* at stop: waits for calls in flight */
    uv_timer_t lag;   /* the lag probe */
    uv_signal_t hup;  /* SIGHUP: re-read the keys (rotation without restart) */
    pthread_t thread;
    char service[32];
    kg_http *http;
    kg_credentials *cred;
    kg_openai *ai;
    kg_service_loop_ops ops;
    void *ud;
    uint64_t lag_expected_ns; /* when the probe should fire next */
};

static void on_wake(uv_async_t *a)
{
    kg_service_loop *l = a->data;
    l->ops.wake(l, l->ud);
}

static void on_drain(uv_timer_t *t)
{
    kg_service_loop *l = t->data;
    if (kg_openai_pending(l->ai) > 0)
        return;
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
    kg_openai_free(l->ai);
    l->ai = NULL;
    kg_http_free(l->http);
    l->http = NULL;
}

static void on_keys_reread(int status, const kg_err *err, void *ud)
{
    kg_service_loop *l = ud;
    if (status != KG_OK)
        kg_warn("%s: re-reading the keys on SIGHUP failed, the old keys stay: %s", l->service,
                err->msg);
    else
        kg_info("%s: keys re-read from %s on SIGHUP", l->service, kg_credentials_origin(l->cred));
}

/* Reading a key file or running key_command may block, so the reload runs
 * on the worker pool and swaps the keys in on this loop; calls already
 * sent keep the key they were sent with. */
static void on_hup(uv_signal_t *h, int signum)
{
    (void)signum;
    kg_service_loop *l = h->data;
    if (kg_credentials_reload_async(l->cred, &l->loop, on_keys_reread, l) != KG_OK)
        kg_warn("%s: cannot re-read the keys now (a reload is already running)", l->service);
}

static void on_lag(uv_timer_t *t)
{
    kg_service_loop *l = t->data;
    uint64_t now = uv_hrtime();
    double lag = now > l->lag_expected_ns ? (double)(now - l->lag_expected_ns) / 1e6 : 0.0;
    l->lag_expected_ns = now + (uint64_t)KG_SERVICE_LAG_TICK_MS * 1000000u;
    if (!l->ops.lag || !l->ops.lag(l, l->ud, lag))
        uv_timer_stop(t);
}

static void on_quit(uv_async_t *a)
{
    kg_service_loop *l = a->data;
    l->ops.quit(l, l->ud);
    uv_close((uv_handle_t *)&l->wake, NULL);
    uv_close((uv_handle_t *)&l->quit, NULL);
    uv_close((uv_handle_t *)&l->hup, NULL);
    uv_timer_stop(&l->lag);
    uv_close((uv_handle_t *)&l->lag, NULL);
    uv_timer_start(&l->drain, on_drain, 0, DRAIN_POLL_MS);
}

static void *loop_main(void *arg)
{
    kg_service_loop *l = arg;
    uv_run(&l->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void loop_free(kg_service_loop *l)
{
    kg_credentials_free(l->cred);
    free(l);
}

int kg_service_loop_start(const kg_openai_opts *opts, kg_credentials *cred,
                          const kg_service_loop_ops *ops, void *ud, kg_service_loop **out,
                          kg_err *err)
{
    *out = NULL;
    kg_service_loop *l = kg_xcalloc(1, sizeof *l);
    l->cred = cred;
    l->ops = *ops;
    l->ud = ud;
    snprintf(l->service, sizeof l->service, "%s", opts->service);
    if (uv_loop_init(&l->loop) != 0) {
        loop_free(l);
        return kg_err_set(err, KG_ENOMEM, "cannot create the %s event loop", opts->service);
    }
    l->http = kg_http_new(&l->loop, err);
    if (!l->http) {
        uv_loop_close(&l->loop);
        loop_free(l);
        return err ? err->code : KG_EIO;
    }
    l->ai = kg_openai_new(&l->loop, l->http, opts, cred);
    uv_async_init(&l->loop, &l->wake, on_wake);
    uv_async_init(&l->loop, &l->quit, on_quit);
    uv_timer_init(&l->loop, &l->drain);
    uv_timer_init(&l->loop, &l->lag);
    uv_signal_init(&l->loop, &l->hup);
    l->wake.data = l->quit.data = l->drain.data = l->lag.data = l->hup.data = l;
    uv_signal_start(&l->hup, on_hup, SIGHUP);
    if (pthread_create(&l->thread, NULL, loop_main, l) != 0) {
        on_quit(&l->quit); /* close everything on this thread instead */
        uv_run(&l->loop, UV_RUN_DEFAULT);
        uv_loop_close(&l->loop);
        loop_free(l);
        return kg_err_set(err, KG_ENOMEM, "cannot start the %s thread", opts->service);
    }
    *out = l;
    return KG_OK;
}

void kg_service_loop_stop(kg_service_loop *l)
{
    if (!l)
        return;
    uv_async_send(&l->quit);
    pthread_join(l->thread, NULL);
    uv_loop_close(&l->loop);
    loop_free(l);
}

void kg_service_loop_wake(kg_service_loop *l)
{
    uv_async_send(&l->wake);
}

kg_openai *kg_service_loop_client(kg_service_loop *l)
{
    return l->ai;
}

void kg_service_loop_lag_start(kg_service_loop *l)
{
    if (uv_is_active((uv_handle_t *)&l->lag))
        return;
    l->lag_expected_ns = uv_hrtime() + (uint64_t)KG_SERVICE_LAG_TICK_MS * 1000000u;
    uv_timer_start(&l->lag, on_lag, KG_SERVICE_LAG_TICK_MS, KG_SERVICE_LAG_TICK_MS);
}

int kg_service_wait(pthread_cond_t *cond, pthread_mutex_t *mu, const volatile int *cancel)
{
    if (cancel && *cancel)
        return 1;
    int w = kg_cond_wait_ms(cond, mu, KG_SERVICE_CANCEL_POLL_MS);
    return w != 0 && w != ETIMEDOUT;
}
