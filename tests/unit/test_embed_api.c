/* Unit tests for API embeddings: the cache's vector codec (exact to the
 * bit, malformed text refused), unit scaling, model ids, the lag summary,
 * and the embed service (services/embed_service) against the fake
 * OpenAI-compatible server: batches come back in completion order with
 * their vectors, a refused batch carries the client's error, a cancelled
 * wait returns at once, two clients of one service each get only their
 * own batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "search/embed_api.h"
#include "services/embed_service.h"
#include "testutil.h"

static void test_codec_round_trip_exact(void **st)
{
    (void)st;
    float v[6] = {1.0f, -0.0f, 3.14159265f, -1e-38f, 1e30f, 0.1f};
    char *t = kg_embed_vec_encode(v, 6);
    assert_true(strncmp(t, "f32le:6:", 8) == 0);
    float *back = NULL;
    int dim = 0;
    assert_int_equal(kg_embed_vec_decode(t, &back, &dim), KG_OK);
    assert_int_equal(dim, 6);
    assert_memory_equal(back, v, sizeof v); /* bit for bit, -0 included */
    free(back);
    /* Malformed: wrong tag, no dim, dim not matching the bytes, bad base64,
     * trailing garbage. */
    static const char *bad[] = {
        "f64le:6:AAAA", "f32le::AAAA", "f32le:7:", "f32le:1:!!!!", "f32le:0:", "nonsense"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(kg_embed_vec_decode(bad[i], &back, &dim), KG_EFORMAT);
        assert_null(back);
    }
    char *longer = malloc(strlen(t) + 3);
    sprintf(longer, "%sxx", t);
    assert_int_equal(kg_embed_vec_decode(longer, &back, &dim), KG_EFORMAT);
    sprintf(longer, "f32le:5:%s", t + 8); /* 6 floats' bytes for 5 */
    assert_int_equal(kg_embed_vec_decode(longer, &back, &dim), KG_EFORMAT);
    free(longer);
    assert_int_equal(kg_embed_vec_decode(NULL, &back, &dim), KG_EFORMAT);
    free(t);
}

static void test_unit_scaling(void **st)
{
    (void)st;
    float v[3] = {3, 0, 4};
    kg_embed_unit(v, 3);
    assert_true(fabsf(v[0] - 0.6f) < 1e-7f && fabsf(v[2] - 0.8f) < 1e-7f);
    float z[2] = {0, 0};
    kg_embed_unit(z, 2);
    assert_true(z[0] == 0 && z[1] == 0);
}

static void test_model_ids(void **st)
{
    (void)st;
    assert_true(kg_embed_is_api("api"));
    assert_true(kg_embed_is_api("api:text-embedding-3-small"));
    assert_false(kg_embed_is_api("local-tfidf-rp-v1-d256"));
    assert_false(kg_embed_is_api("apix"));
    assert_false(kg_embed_is_api(NULL));
    kg_config *cfg = kg_config_new();
    kg_err e;
    char id[KG_EMBED_API_ID_MAX];
    assert_int_equal(kg_embed_api_model_id(cfg, "api", id, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "embed.model"));
    assert_int_equal(kg_embed_api_model_id(cfg, "api:", id, &e), KG_EINVAL);
    assert_int_equal(kg_embed_api_model_id(cfg, "api:m1", id, &e), KG_OK);
    assert_string_equal(id, "api:m1");
    assert_int_equal(kg_config_set(cfg, "embed.model", "fake-embed", KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_embed_api_model_id(cfg, "api", id, &e), KG_OK);
    assert_string_equal(id, "api:fake-embed");
    char longname[300];
    memset(longname, 'x', sizeof longname);
    memcpy(longname, "api:", 4);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(kg_embed_api_model_id(cfg, longname, id, &e), KG_EINVAL);
    kg_config_free(cfg);
}

static void test_lag_summary(void **st)
{
    (void)st;
    double v[200];
    for (int i = 0; i < 200; i++)
        v[i] = (double)((i * 37) % 200); /* 0..199 shuffled */
    kg_embed_lag lag;
    kg_embed_lag_summary(v, 200, &lag);
    assert_int_equal((int)lag.samples, 200);
    assert_true(lag.max_ms == 199.0);
    assert_true(lag.p99_ms == 197.0); /* nearest rank: the 198th of 200 */
    kg_embed_lag_summary(v, 0, &lag);
    assert_true(lag.max_ms == 0 && lag.p99_ms == 0 && lag.samples == 0);
}

/* The fake server, for the service tests. */
static pid_t server_pid;
static int port;
static char *tmpdir;

static int setup(void **st)
{
    (void)st;
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("OPENAI_API_KEY");
    tmpdir = tu_tmpdir();
    char *pf = tu_join(tmpdir, "port");
    const char *src = getenv("TEST_SOURCE_DIR");
    char script[4096];
    snprintf(script, sizeof script, "%s/tests/fake_openai/server.py", src ? src : ".");
    server_pid = fork();
    if (server_pid == 0) {
        execlp("python3", "python3", script, "--port-file", pf, (char *)NULL);
        _exit(127);
    }
    /* Wait for the port file (the server writes it atomically). */
    for (int i = 0; i < 200 && port == 0; i++) {
        char *s = tu_read(pf, NULL);
        if (s) {
            port = atoi(s);
            free(s);
        } else {
            usleep(50000);
        }
    }
    free(pf);
    return port > 0 ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
    tu_rmrf(tmpdir);
    free(tmpdir);
    return 0;
}

static kg_config *service_cfg(const char *retries)
{
    kg_config *cfg = kg_config_new();
    kg_err e;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", port);
    assert_int_equal(kg_config_set(cfg, "embed.base_url", url, KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_config_set(cfg, "embed.model", "fake-embed", KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_config_set(cfg, "embed.batch_size", "2", KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_config_set(cfg, "embed.requests_per_minute", "60000", KG_SRC_CALL, "t", &e),
                     0);
    assert_int_equal(kg_config_set(cfg, "embed.retries", retries, KG_SRC_CALL, "t", &e), 0);
    return cfg;
}

static void test_service_batches(void **st)
{
    (void)st;
    kg_config *cfg = service_cfg("2");
    kg_embed_service *s = NULL;
    kg_err e;
    assert_int_equal(kg_embed_service_start(cfg, NULL, &s, &e), KG_OK);
    assert_string_equal(kg_embed_service_model(s), "fake-embed");
    assert_int_equal(kg_embed_service_batch_size(s), 2);
    assert_true(kg_embed_service_max_concurrency(s) >= 1);
    kg_embed_client *c = kg_embed_client_open(s);
    assert_ptr_equal(kg_embed_client_service(c), s);
    const char *a[] = {"a", "bb"}, *b[] = {"cccc"};
    kg_embed_client_submit(c, 7, a, 2);
    kg_embed_client_submit(c, 9, b, 1);
    int seen = 0;
    while (seen != (1 | 2)) {
        kg_embed_batch *x = NULL;
        assert_int_equal(kg_embed_client_next(c, NULL, &x, &e), KG_OK);
        assert_int_equal(x->status, KG_OK);
        assert_int_equal((int)x->dim, 3);
        assert_int_equal(x->attempts, 1);
        if (x->tag == 7) {
            assert_int_equal((int)x->n, 2);
            assert_true(x->vectors[0] == 1.0f && x->vectors[3] == 2.0f); /* len, in order */
            seen |= 1;
        } else {
            assert_int_equal((int)x->tag, 9);
            assert_true(x->vectors[0] == 4.0f);
            seen |= 2;
        }
        kg_embed_batch_free(x);
    }
    assert_null(kg_embed_client_try_next(c));
    /* Nothing in flight: a cancelled wait returns at once, and so does a
     * wait with nothing to wait for. */
    volatile int cancel = 1;
    kg_embed_batch *x = NULL;
    assert_int_equal(kg_embed_client_next(c, &cancel, &x, &e), KG_ECANCELED);
    assert_null(x);
    assert_int_equal(kg_embed_client_next(c, NULL, &x, &e), KG_ENOTFOUND);
    assert_null(x);
    kg_embed_lag lag;
    kg_embed_client_close(c, &lag);
    assert_true(lag.max_ms >= lag.p99_ms);
    kg_embed_service_stop(s);
    kg_config_free(cfg);
}

/* Two clients of one service: each collects only the batches it
 * submitted, whatever the order they finish in; a client closed with
 * batches on the wire is freed when they come back (ASan sees a leak or a
 * use after free otherwise). */
static void test_service_clients_get_their_own(void **st)
{
    (void)st;
    kg_config *cfg = service_cfg("2");
    kg_embed_service *s = NULL;
    kg_err e;
    assert_int_equal(kg_embed_service_start(cfg, NULL, &s, &e), KG_OK);
    kg_embed_client *c1 = kg_embed_client_open(s), *c2 = kg_embed_client_open(s);
    const char *one[] = {"x"}, *two[] = {"yy"};
    for (uint64_t t = 0; t < 6; t++) {
        kg_embed_client_submit(c1, 100 + t, one, 1);
        kg_embed_client_submit(c2, 200 + t, two, 1);
    }
    for (int k = 0; k < 6; k++) {
        kg_embed_batch *x = NULL;
        assert_int_equal(kg_embed_client_next(c2, NULL, &x, &e), KG_OK);
        assert_true(x->tag >= 200 && x->tag < 206);
        assert_true(x->vectors[0] == 2.0f); /* len("yy"): its own text */
        kg_embed_batch_free(x);
    }
    assert_int_equal(kg_embed_client_next(c2, NULL, &(kg_embed_batch *){NULL}, &e), KG_ENOTFOUND);
    for (int k = 0; k < 6; k++) {
        kg_embed_batch *x = NULL;
        assert_int_equal(kg_embed_client_next(c1, NULL, &x, &e), KG_OK);
        assert_true(x->tag >= 100 && x->tag < 106);
        assert_true(x->vectors[0] == 1.0f);
        kg_embed_batch_free(x);
    }
    kg_embed_client_close(c2, NULL);
    /* Closed with batches queued or on the wire: nothing is leaked. */
    for (uint64_t t = 0; t < 4; t++)
        kg_embed_client_submit(c1, t, one, 1);
    kg_embed_client_close(c1, NULL);
    kg_embed_service_stop(s);
    kg_config_free(cfg);
}

static void test_service_errors(void **st)
{
    (void)st;
    kg_config *cfg = kg_config_new();
    kg_embed_service *s = NULL;
    kg_err e;
    /* Not configured, then no model. */
    assert_int_equal(kg_embed_service_start(cfg, NULL, &s, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "embed.base_url"));
    assert_int_equal(
        kg_config_set(cfg, "embed.base_url", "http://127.0.0.1:1/v1", KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_embed_service_start(cfg, NULL, &s, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "embed.model"));
    kg_config_free(cfg);
    /* A 400 is not retried: the batch carries the error. */
    cfg = service_cfg("0");
    char ctl[256];
    snprintf(ctl, sizeof ctl,
             "curl -s -XPOST http://127.0.0.1:%d/_control -d '{\"reset\": true, \"script\": "
             "[{\"do\": \"status\", \"code\": 400, \"message\": \"input too long\"}]}' "
             ">/dev/null",
             port);
    assert_int_equal(tu_sh("%s", ctl), 0);
    assert_int_equal(kg_embed_service_start(cfg, "other-model", &s, &e), KG_OK);
    assert_string_equal(kg_embed_service_model(s), "other-model");
    const char *a[] = {"x"};
    kg_embed_client *c = kg_embed_client_open(s);
    kg_embed_client_submit(c, 1, a, 1);
    kg_embed_batch *x = NULL;
    assert_int_equal(kg_embed_client_next(c, NULL, &x, &e), KG_OK);
    assert_int_not_equal(x->status, KG_OK);
    assert_non_null(strstr(x->error, "input too long"));
    assert_null(x->vectors);
    kg_embed_batch_free(x);
    kg_embed_client_close(c, NULL);
    kg_embed_service_stop(s);
    kg_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_codec_round_trip_exact),
        cmocka_unit_test(test_unit_scaling),
        cmocka_unit_test(test_model_ids),
        cmocka_unit_test(test_lag_summary),
    };
    const struct CMUnitTest service[] = {
        cmocka_unit_test(test_service_batches),
        cmocka_unit_test(test_service_clients_get_their_own),
        cmocka_unit_test(test_service_errors),
    };
    int failed = cmocka_run_group_tests(pure, NULL, NULL);
    return failed + cmocka_run_group_tests(service, setup, teardown);
}
