/* kg_http + kg_openai against the fake OpenAI-compatible server
 * (tests/fake_openai/server.py) on a real libuv loop: retries on 429, 500
 * and dropped connections; no retry on 400/401/403/404; key rotation on
 * 401; json_schema fallback; tolerant reading and the one re-ask on
 * truncated output; 100 concurrent embedding requests within the rate
 * (measured by the server's own clock); the breaker failing fast.  The test
 * keys must never reach the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "config/config.h"
#include "net/credentials.h"
#include "net/http.h"
#include "net/openai.h"
#include "testutil.h"

#define KEY_BAD "sk-test-revoked-KEY-0001"
#define KEY_GOOD "sk-test-live-KEY-0002"

static pid_t server_pid;
static int port;
static char *tmpdir, *logpath;
static FILE *logfile;

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
    for (int i = 0; i < 200; i++) {
        char *s = tu_read(pf, NULL);
        if (s) {
            port = atoi(s);
            free(s);
            break;
        }
        usleep(50000);
    }
    free(pf);
    logpath = tu_join(tmpdir, "log.txt");
    logfile = fopen(logpath, "w");
    kg_log_set_stream(logfile);
    kg_log_set_level(KG_LOG_DEBUG);
    return port > 0 ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
    kg_log_set_stream(stderr);
    fclose(logfile);
    /* The keys must never reach the log. */
    char *text = tu_read(logpath, NULL);
    int leaked = text && (strstr(text, KEY_BAD) || strstr(text, KEY_GOOD));
    if (leaked)
        fprintf(stderr, "LEAK: a test key is in the log\n");
    free(text);
    tu_rmrf(tmpdir);
    free(tmpdir);
    free(logpath);
    return leaked ? -1 : 0;
}

/* A request to the fake server's control/log endpoints, synchronously on a
 * private loop (test code only). */
typedef struct sync_resp {
    int done;
    char *body;
    long status;
} sync_resp;

static void on_sync(const kg_http_response *r, void *ud)
{
    sync_resp *s = ud;
    s->done = 1;
    s->status = r->status;
    s->body = strdup(r->body);
}

static char *fake(const char *path, const char *body)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    kg_err e;
    kg_http *h = kg_http_new(&loop, &e);
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    kg_http_req req = {0};
    req.url = url;
    req.method = body ? "POST" : "GET";
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    sync_resp s = {0};
    assert_int_equal(kg_http_request(h, &req, on_sync, &s, &e), KG_OK);
    while (!s.done)
        uv_run(&loop, UV_RUN_ONCE);
    kg_http_free(h);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(s.status, 200);
    return s.body;
}

static void control(const char *json)
{
    free(fake("/_control", json));
}

static json_t *server_log(void)
{
    char *b = fake("/_log", NULL);
    json_t *j = json_loads(b, 0, NULL);
    free(b);
    assert_non_null(j);
    return j;
}

/* One client for a test: loop, http, credentials, openai. */
typedef struct env {
    uv_loop_t loop;
    kg_http *http;
    kg_config *cfg;
    kg_credentials *cred;
    kg_openai *ai;
} env;

static void env_open(env *v, const char *keys, int rpm, int retries, int conc)
{
    uv_loop_init(&v->loop);
    kg_err e;
    v->http = kg_http_new(&v->loop, &e);
    v->cfg = kg_config_new();
    char url[128], n[32];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/", port);
    assert_int_equal(kg_config_set(v->cfg, "llm.base_url", url, KG_SRC_CALL, "test", &e), 0);
    assert_int_equal(kg_config_set(v->cfg, "llm.model", "fake-chat", KG_SRC_CALL, "test", &e), 0);
    if (keys)
        assert_int_equal(
            kg_config_set(v->cfg, "llm.api_key", keys, KG_SRC_ENV, "KGAS_LLM_API_KEY", &e), 0);
    snprintf(n, sizeof n, "%d", rpm);
    assert_int_equal(kg_config_set(v->cfg, "llm.requests_per_minute", n, KG_SRC_CALL, "t", &e), 0);
    snprintf(n, sizeof n, "%d", retries);
    assert_int_equal(kg_config_set(v->cfg, "llm.retries", n, KG_SRC_CALL, "t", &e), 0);
    snprintf(n, sizeof n, "%d", conc);
    assert_int_equal(kg_config_set(v->cfg, "llm.max_concurrency", n, KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_config_set(v->cfg, "llm.breaker_failures", "3", KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_credentials_open(v->cfg, "llm", &v->cred, &e), KG_OK);
    kg_openai_opts o;
    kg_openai_opts_from_config(v->cfg, "llm", &o);
    o.backoff_base_ms = 20; /* keep the tests quick */
    o.backoff_cap_ms = 200;
    o.batch_size = 4;
    o.timeout_ms = 3000;
    v->ai = kg_openai_new(&v->loop, v->http, &o, v->cred);
}

static void env_close(env *v)
{
    assert_int_equal((int)kg_openai_pending(v->ai), 0);
    kg_openai_free(v->ai);
    kg_http_free(v->http);
    uv_run(&v->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&v->loop), 0);
    kg_credentials_free(v->cred);
    kg_config_free(v->cfg);
}

typedef struct outcome {
    int done, status, attempts;
    long http_status;
    char error[1024];
    json_t *json;
    size_t count, dim;
    float first[3], last[3];
} outcome;

static void on_result(const kg_openai_result *r, void *ud)
{
    outcome *o = ud;
    o->done++;
    o->status = r->status;
    o->attempts = r->attempts;
    o->http_status = r->http_status;
    snprintf(o->error, sizeof o->error, "%s", r->error ? r->error : "");
    if (r->json)
        o->json = json_incref(r->json);
    o->count = r->count;
    o->dim = r->dim;
    if (r->vectors && r->count && r->dim >= 3) {
        memcpy(o->first, r->vectors, 3 * sizeof(float));
        memcpy(o->last, r->vectors + (r->count - 1) * r->dim, 3 * sizeof(float));
    }
}

static void wait_done(env *v, outcome *o, int n)
{
    while (o->done < n)
        uv_run(&v->loop, UV_RUN_ONCE);
}

static void chat(env *v, outcome *o)
{
    kg_err e;
    json_t *schema = json_pack("{s:s}", "type", "object");
    memset(o, 0, sizeof *o);
    assert_int_equal(kg_openai_chat_json(v->ai, "You extract entities.", "Maria Keller works.",
                                         schema, "extraction", 200, on_result, o, &e),
                     KG_OK);
    json_decref(schema);
    assert_int_equal(o->done, 0);
    wait_done(v, o, 1);
}

static size_t count_path(json_t *log, const char *path)
{
    size_t n = 0, i;
    json_t *it;
    json_array_foreach(log, i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "path")), path) == 0)
            n++;
    }
    return n;
}

static void test_chat_ok_and_fenced(void **st)
{
    (void)st;
    env v;
    control(
        "{\"reset\": true, \"keys\": [], \"script\": [{\"do\": \"ok\"}, {\"do\": \"fenced\"}]}");
    env_open(&v, KEY_GOOD, 6000, 2, 4);
    outcome o;
    for (int k = 0; k < 2; k++) {
        chat(&v, &o);
        assert_int_equal(o.status, KG_OK);
        assert_non_null(o.json);
        json_t *ents = json_object_get(o.json, "entities");
        assert_string_equal(json_string_value(json_object_get(json_array_get(ents, 0), "name")),
                            "Maria Keller");
        json_decref(o.json);
        assert_int_equal(o.attempts, 1);
    }
    json_t *log = server_log();
    json_t *b = json_object_get(json_array_get(log, 0), "body");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(b, "response_format"), "type")),
        "json_schema");
    json_decref(log);
    env_close(&v);
}

static void test_retries(void **st)
{
    (void)st;
    env v;
    /* 429 with Retry-After: 1 -> waits about a second; 500; a dropped
     * connection; then success: 4 requests, one success. */
    control("{\"reset\": true, \"keys\": [], \"script\": ["
            "{\"do\": \"status\", \"code\": 429, \"headers\": {\"Retry-After\": \"1\"}},"
            "{\"do\": \"status\", \"code\": 500},"
            "{\"do\": \"drop\"}, {\"do\": \"cut\"}]}");
    env_open(&v, KEY_GOOD, 6000, 5, 4);
    kg_openai_breaker(v.ai)->threshold = 20; /* this test is about retries */
    outcome o;
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    /* curl itself re-sends once when a reused connection turns out dead
     * before any byte came back, so the drop may cost it, not us, a try. */
    assert_true(o.attempts == 4 || o.attempts == 5);
    json_t *log = server_log();
    assert_int_equal((int)json_array_size(log), 5);
    double t0 = json_real_value(json_object_get(json_array_get(log, 0), "t"));
    double t1 = json_real_value(json_object_get(json_array_get(log, 1), "t"));
    assert_true(t1 - t0 >= 0.95); /* Retry-After honoured */
    json_decref(log);

    /* x-ratelimit-reset-requests honoured; malformed body retried. */
    control("{\"reset\": true, \"script\": ["
            "{\"do\": \"status\", \"code\": 429, \"headers\": {\"x-ratelimit-reset-requests\": "
            "\"300ms\"}}, {\"do\": \"malformed\"}]}");
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    log = server_log();
    assert_int_equal((int)json_array_size(log), 3);
    t0 = json_real_value(json_object_get(json_array_get(log, 0), "t"));
    t1 = json_real_value(json_object_get(json_array_get(log, 1), "t"));
    assert_true(t1 - t0 >= 0.28);
    json_decref(log);

    /* Retries run out: a clear error after retries + 1 attempts. */
    control("{\"reset\": true, \"script\": [{\"do\": \"status\", \"code\": 503},"
            "{\"do\": \"status\", \"code\": 503}, {\"do\": \"status\", \"code\": 503},"
            "{\"do\": \"status\", \"code\": 503}, {\"do\": \"status\", \"code\": 503},"
            "{\"do\": \"status\", \"code\": 503}]}");
    chat(&v, &o);
    assert_int_equal(o.status, KG_EIO);
    assert_non_null(strstr(o.error, "gave up after"));
    env_close(&v);
    control("{\"reset\": true}");
}

static void test_no_retry_on_client_errors(void **st)
{
    (void)st;
    static const int codes[] = {400, 403, 404};
    env v;
    env_open(&v, KEY_GOOD, 6000, 5, 4);
    for (size_t i = 0; i < 3; i++) {
        char ctl[256];
        snprintf(ctl, sizeof ctl,
                 "{\"reset\": true, \"keys\": [], \"script\": [{\"do\": \"status\", \"code\": %d, "
                 "\"message\": \"nope %d\"}]}",
                 codes[i], codes[i]);
        control(ctl);
        outcome o;
        chat(&v, &o);
        assert_int_not_equal(o.status, KG_OK);
        assert_int_equal(o.http_status, codes[i]);
        assert_int_equal(o.attempts, 1);
        char want[32];
        snprintf(want, sizeof want, "HTTP %d", codes[i]);
        assert_non_null(strstr(o.error, want));
        json_t *log = server_log();
        assert_int_equal((int)json_array_size(log), 1);
        json_decref(log);
    }
    env_close(&v);
    /* 401 with one key and nothing to rotate to: no retry beyond the one
     * reload of the key source. */
    control("{\"reset\": true, \"keys\": [\"" KEY_GOOD "\"]}");
    env_open(&v, KEY_BAD, 6000, 5, 4);
    outcome o;
    chat(&v, &o);
    assert_int_equal(o.status, KG_EDENIED);
    assert_int_equal(o.http_status, 401);
    assert_non_null(strstr(o.error, "llm.api_key (from KGAS_LLM_API_KEY)"));
    assert_null(strstr(o.error, KEY_BAD));
    json_t *log = server_log();
    assert_int_equal((int)json_array_size(log), 1);
    json_decref(log);
    env_close(&v);
    control("{\"reset\": true, \"keys\": []}");
}

static void test_key_rotation(void **st)
{
    (void)st;
    control("{\"reset\": true, \"keys\": [\"" KEY_GOOD "\"]}");
    env v;
    env_open(&v, KEY_BAD "," KEY_GOOD, 6000, 2, 4);
    outcome o;
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    assert_int_equal(o.attempts, 2);
    assert_string_equal(kg_credentials_key(v.cred), KEY_GOOD);
    assert_int_equal((int)kg_credentials_wiped(v.cred), 1);
    /* Later calls use the good key straight away. */
    chat(&v, &o);
    assert_int_equal(o.attempts, 1);
    json_decref(o.json);
    json_t *log = server_log();
    assert_int_equal((int)json_array_size(log), 3);
    assert_false(json_is_true(json_object_get(json_array_get(log, 0), "auth_ok")));
    assert_true(json_is_true(json_object_get(json_array_get(log, 1), "auth_ok")));
    json_decref(log);
    env_close(&v);

    /* A rotated key file: the only key is rejected, the file is re-read
     * once (on the worker pool) and the new key succeeds. */
    char *kf = tu_join(tmpdir, "keyfile");
    tu_write_str(kf, KEY_BAD "\n");
    env_open(&v, NULL, 6000, 2, 4);
    kg_err e;
    assert_int_equal(kg_config_set(v.cfg, "llm.key_file", kf, KG_SRC_CALL, "t", &e), 0);
    assert_int_equal(kg_credentials_reload(v.cred, &e), KG_OK);
    kg_credentials_accepted(v.cred);
    tu_write_str(kf, KEY_GOOD "\n");
    control("{\"reset\": true}");
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    assert_string_equal(kg_credentials_key(v.cred), KEY_GOOD);
    env_close(&v);
    free(kf);
    control("{\"reset\": true, \"keys\": []}");
}

static void test_schema_fallback_and_truncation(void **st)
{
    (void)st;
    control("{\"reset\": true, \"keys\": [], \"script\": [{\"do\": \"status\", \"code\": 400, "
            "\"message\": \"response_format type json_schema is not supported by this model\"}]}");
    env v;
    env_open(&v, KEY_GOOD, 6000, 2, 4);
    outcome o;
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    assert_true(kg_openai_uses_json_object(v.ai));
    json_t *log = server_log();
    assert_int_equal((int)json_array_size(log), 2);
    json_t *b = json_object_get(json_array_get(log, 1), "body");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(b, "response_format"), "type")),
        "json_object");
    json_decref(log);
    /* Remembered: the next call asks for json_object at once. */
    control("{\"reset\": true, \"script\": [{\"do\": \"truncated\"}]}");
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    json_decref(o.json);
    log = server_log();
    assert_int_equal((int)json_array_size(log), 2); /* truncated, then asked once more */
    b = json_object_get(json_array_get(log, 0), "body");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(b, "response_format"), "type")),
        "json_object");
    json_t *b2 = json_object_get(json_array_get(log, 1), "body");
    assert_int_equal((int)json_integer_value(json_object_get(b2, "max_tokens")), 400);
    json_decref(log);
    /* Truncated twice: an error, not a third request. */
    control("{\"reset\": true, \"script\": [{\"do\": \"truncated\"}, {\"do\": \"truncated\"}]}");
    chat(&v, &o);
    assert_int_equal(o.status, KG_EFORMAT);
    assert_non_null(strstr(o.error, "cut short"));
    log = server_log();
    assert_int_equal((int)json_array_size(log), 2);
    json_decref(log);
    env_close(&v);
    control("{\"reset\": true}");
}

static void test_embeddings_rate(void **st)
{
    (void)st;
    control("{\"reset\": true, \"keys\": []}");
    env v;
    /* 1200 requests a minute = 20/s with a burst of 20. */
    env_open(&v, KEY_GOOD, 1200, 2, 16);
    enum {
        N = 100
    };
    outcome *o = calloc(N, sizeof *o);
    kg_err e;
    const char *inputs[6] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
    for (int i = 0; i < N; i++)
        assert_int_equal(kg_openai_embed(v.ai, inputs, 2, on_result, &o[i], &e), KG_OK);
    for (int i = 0; i < N; i++)
        wait_done(&v, &o[i], 1);
    for (int i = 0; i < N; i++) {
        assert_int_equal(o[i].status, KG_OK);
        assert_int_equal((int)o[i].count, 2);
    }
    json_t *log = server_log();
    size_t n = json_array_size(log);
    assert_int_equal((int)n, N);
    /* Token bucket bound, from the server's clock: in any window of w
     * seconds at most burst + rate * w requests (+1 for clock slack). */
    double *t = calloc(n, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = json_real_value(json_object_get(json_array_get(log, i), "t"));
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) {
            double w = t[j] - t[i];
            assert_true((double)(j - i + 1) <= 20 + 20 * w + 1);
        }
    assert_true(t[n - 1] - t[0] >= 3.5); /* (100 - 20) / 20 s */
    /* No successful request repeated: every body is distinct per call only
     * in count, so check each was answered once with status 200. */
    size_t ok = 0, i;
    json_t *it;
    json_array_foreach(log, i, it)
    {
        if (json_integer_value(json_object_get(it, "status")) == 200)
            ok++;
    }
    assert_int_equal((int)ok, N);
    free(t);
    json_decref(log);
    free(o);

    /* Batching: 6 inputs with batch_size 4 -> 2 requests, in input order. */
    control("{\"reset\": true}");
    outcome b;
    memset(&b, 0, sizeof b);
    assert_int_equal(kg_openai_embed(v.ai, inputs, 6, on_result, &b, &e), KG_OK);
    wait_done(&v, &b, 1);
    assert_int_equal(b.status, KG_OK);
    assert_int_equal((int)b.count, 6);
    assert_int_equal((int)b.dim, 3);
    assert_true(b.first[0] == 1.0f); /* len("a") */
    assert_true(b.last[0] == 6.0f);  /* len("ffffff") */
    log = server_log();
    assert_int_equal((int)count_path(log, "/embeddings"), 2);
    json_decref(log);
    env_close(&v);
}

static void test_breaker_fails_fast(void **st)
{
    (void)st;
    control("{\"reset\": true, \"keys\": [], \"script\": ["
            "{\"do\": \"status\", \"code\": 500}, {\"do\": \"status\", \"code\": 500},"
            "{\"do\": \"status\", \"code\": 500}, {\"do\": \"status\", \"code\": 500}]}");
    env v;
    env_open(&v, KEY_GOOD, 6000, 5, 4); /* breaker opens after 3 */
    outcome o;
    chat(&v, &o);
    assert_int_equal(o.status, KG_EBUSY);
    assert_non_null(strstr(o.error, "circuit open"));
    assert_int_equal(o.attempts, 3);
    assert_int_equal(kg_breaker_get_state(kg_openai_breaker(v.ai)), KG_BREAKER_OPEN);
    /* Fails fast: no request reaches the server. */
    uint64_t t0 = uv_hrtime();
    chat(&v, &o);
    assert_int_equal(o.status, KG_EBUSY);
    assert_int_equal(o.attempts, 0);
    assert_true((double)(uv_hrtime() - t0) / 1e6 < 100);
    json_t *log = server_log();
    assert_int_equal((int)json_array_size(log), 3);
    json_decref(log);
    kg_err e;
    memset(&o, 0, sizeof o);
    assert_int_equal(kg_openai_list_models(v.ai, on_result, &o, &e), KG_OK);
    wait_done(&v, &o, 1);
    assert_int_equal(o.status, KG_EBUSY);
    env_close(&v);
    control("{\"reset\": true}");
}

static void test_models_and_timeouts(void **st)
{
    (void)st;
    control("{\"reset\": true, \"keys\": []}");
    env v;
    env_open(&v, KEY_GOOD, 6000, 1, 4);
    outcome o;
    memset(&o, 0, sizeof o);
    kg_err e;
    assert_int_equal(kg_openai_list_models(v.ai, on_result, &o, &e), KG_OK);
    wait_done(&v, &o, 1);
    assert_int_equal(o.status, KG_OK);
    assert_int_equal((int)json_array_size(o.json), 2);
    assert_string_equal(json_string_value(json_array_get(o.json, 0)), "fake-chat");
    json_decref(o.json);
    env_close(&v);

    /* A slow answer past the timeout is a timeout, retried, then success. */
    control("{\"reset\": true, \"script\": [{\"do\": \"slow\", \"delay\": 2.5}]}");
    env_open(&v, KEY_GOOD, 6000, 1, 4);
    kg_openai_free(v.ai);
    kg_openai_opts op;
    kg_openai_opts_from_config(v.cfg, "llm", &op);
    op.timeout_ms = 1000;
    op.backoff_base_ms = 10;
    v.ai = kg_openai_new(&v.loop, v.http, &op, v.cred);
    chat(&v, &o);
    assert_int_equal(o.status, KG_OK);
    assert_int_equal(o.attempts, 2);
    json_decref(o.json);
    env_close(&v);

    /* Nobody listening: connection refused, retried, then a clear error. */
    env_open(&v, KEY_GOOD, 6000, 1, 4);
    kg_openai_free(v.ai);
    snprintf(op.base_url, sizeof op.base_url, "http://127.0.0.1:1");
    v.ai = kg_openai_new(&v.loop, v.http, &op, v.cred);
    memset(&o, 0, sizeof o);
    assert_int_equal(kg_openai_list_models(v.ai, on_result, &o, &e), KG_OK);
    wait_done(&v, &o, 1);
    assert_int_equal(o.status, KG_EIO);
    assert_int_equal(o.attempts, 2);
    env_close(&v);

    /* Argument errors. */
    env_open(&v, KEY_GOOD, 6000, 1, 4);
    assert_int_equal(kg_openai_chat_json(v.ai, NULL, NULL, NULL, NULL, 0, on_result, &o, &e),
                     KG_EINVAL);
    assert_int_equal(kg_openai_embed(v.ai, NULL, 0, on_result, &o, &e), KG_EINVAL);
    assert_int_equal(kg_openai_list_models(v.ai, NULL, NULL, &e), KG_EINVAL);
    kg_http_req req = {0};
    assert_int_equal(kg_http_request(v.http, &req, NULL, NULL, &e), KG_EINVAL);
    assert_true(kg_openai_configured(v.cfg, "llm"));
    assert_false(kg_openai_configured(v.cfg, "embed"));
    env_close(&v);
}

static void on_cancel(const kg_http_response *r, void *ud)
{
    int *n = ud;
    if (r->curl_code != 0)
        (*n)++;
}

static void test_http_cancel_and_headers(void **st)
{
    (void)st;
    control("{\"reset\": true, \"script\": [{\"do\": \"slow\", \"delay\": 1.0}]}");
    uv_loop_t loop;
    uv_loop_init(&loop);
    kg_err e;
    kg_http *h = kg_http_new(&loop, &e);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/models", port);
    kg_http_req req = {0};
    req.url = url;
    int cancelled = 0;
    assert_int_equal(kg_http_request(h, &req, on_cancel, &cancelled, &e), KG_OK);
    for (int i = 0; i < 5; i++)
        uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(kg_http_active(h), 1);
    kg_http_free(h);
    assert_int_equal(cancelled, 1);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);

    kg_http_response r = {0};
    r.headers = "HTTP/1.1 429 Too Many\r\nRetry-After:  7 \r\nx-a: 1\r\nX-A: 2\r\n\r\n";
    char v[16];
    assert_true(kg_http_header(&r, "retry-after", v, sizeof v));
    assert_string_equal(v, "7");
    assert_true(kg_http_header(&r, "x-a", v, sizeof v));
    assert_string_equal(v, "2");
    assert_false(kg_http_header(&r, "x-b", v, sizeof v));
    control("{\"reset\": true}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chat_ok_and_fenced),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_no_retry_on_client_errors),
        cmocka_unit_test(test_key_rotation),
        cmocka_unit_test(test_schema_fallback_and_truncation),
        cmocka_unit_test(test_embeddings_rate),
        cmocka_unit_test(test_breaker_fails_fast),
        cmocka_unit_test(test_models_and_timeouts),
        cmocka_unit_test(test_http_cancel_and_headers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
