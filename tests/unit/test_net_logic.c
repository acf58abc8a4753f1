/* Unit tests for the pure parts of net/: token buckets, retry rules and
 * header parsing, the circuit breaker, the tolerant JSON reader, and the
 * credentials (sources, rotation, wipe, redaction), plus config/dotenv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "config/config.h"
#include "config/dotenv.h"
#include "net/breaker.h"
#include "net/credentials.h"
#include "net/jsonfix.h"
#include "net/ratelimit.h"
#include "net/retry.h"
#include "testutil.h"

static void test_bucket(void **st)
{
    (void)st;
    kg_bucket b;
    kg_bucket_init(&b, 600, 0); /* 10/s, burst 10 */
    for (int i = 0; i < 10; i++) {
        assert_true(kg_bucket_wait_ms(&b, 1, 0) == 0);
        kg_bucket_take(&b, 1, 0);
    }
    double w = kg_bucket_wait_ms(&b, 1, 0);
    assert_true(w > 99.9 && w < 100.1);
    assert_true(kg_bucket_wait_ms(&b, 1, 100) == 0);
    /* Larger than the burst: waits for a full bucket, then owes. */
    kg_bucket_init(&b, 60, 0); /* 1/s, capacity 1 */
    assert_true(kg_bucket_wait_ms(&b, 5, 0) == 0);
    kg_bucket_take(&b, 5, 0);
    w = kg_bucket_wait_ms(&b, 1, 0);
    assert_true(w > 4999 && w < 5001);
    /* Corrections: a refund never fills past capacity; a debt delays. */
    kg_bucket_init(&b, 6000, 0); /* 100/s, capacity 100 */
    kg_bucket_take(&b, 50, 0);
    kg_bucket_adjust(&b, -500, 0);
    assert_true(b.level <= 100.0001);
    kg_bucket_adjust(&b, 150, 0);
    assert_true(kg_bucket_wait_ms(&b, 1, 0) > 0);
    kg_bucket_init(&b, 0, 0);
    assert_true(kg_bucket_wait_ms(&b, 1e9, 0) == 0);
    kg_bucket_take(&b, 1e9, 0);
    kg_bucket_adjust(&b, 5, 0);
    assert_true(kg_bucket_wait_ms(&b, 1, 0) == 0);
}

static int granted;
static void on_grant(int status, void *ud)
{
    (void)ud;
    if (status == 0)
        granted++;
}

static void test_ratelimit_loop(void **st)
{
    (void)st;
    uv_loop_t loop;
    uv_loop_init(&loop);
    /* 1200/min = 20/s with a burst of 20: 30 requests need >= ~0.5 s. */
    kg_ratelimit *rl = kg_ratelimit_new(&loop, 1200, 0, 100);
    granted = 0;
    uint64_t t0 = uv_hrtime();
    for (int i = 0; i < 30; i++)
        kg_ratelimit_acquire(rl, 10, on_grant, NULL);
    assert_int_equal(granted, 0); /* never inside acquire */
    assert_int_equal((int)kg_ratelimit_waiting(rl), 30);
    while (granted < 30)
        uv_run(&loop, UV_RUN_ONCE);
    double ms = (double)(uv_hrtime() - t0) / 1e6;
    assert_true(ms >= 450);
    assert_int_equal(kg_ratelimit_in_flight(rl), 30);
    for (int i = 0; i < 30; i++)
        kg_ratelimit_release(rl);
    /* Concurrency cap: 2 at a time. */
    kg_ratelimit_free(rl);
    uv_run(&loop, UV_RUN_DEFAULT);
    rl = kg_ratelimit_new(&loop, 0, 0, 2);
    granted = 0;
    for (int i = 0; i < 5; i++)
        kg_ratelimit_acquire(rl, 0, on_grant, NULL);
    uv_run(&loop, UV_RUN_NOWAIT);
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(granted, 2);
    kg_ratelimit_release(rl);
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(granted, 3);
    kg_ratelimit_pause(rl, 50);
    kg_ratelimit_correct(rl, 10);
    kg_ratelimit_release(rl);
    t0 = uv_hrtime();
    while (granted < 4)
        uv_run(&loop, UV_RUN_ONCE);
    assert_true((double)(uv_hrtime() - t0) / 1e6 >= 45);
    kg_ratelimit_free(rl); /* one still waiting: cancelled */
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(granted, 4);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_retry_rules(void **st)
{
    (void)st;
    assert_int_equal(kg_retry_classify(0, 200), KG_RETRY_DONE);
    assert_int_equal(kg_retry_classify(0, 429), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(0, 500), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(0, 503), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(0, 501), KG_RETRY_FATAL);
    for (long s = 400; s <= 404; s++)
        if (s != 402)
            assert_int_equal(kg_retry_classify(0, s), KG_RETRY_FATAL);
    assert_int_equal(kg_retry_classify(CURLE_OPERATION_TIMEDOUT, 0), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(CURLE_GOT_NOTHING, 0), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(CURLE_RECV_ERROR, 0), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(CURLE_COULDNT_CONNECT, 0), KG_RETRY_AGAIN);
    assert_int_equal(kg_retry_classify(CURLE_PEER_FAILED_VERIFICATION, 0), KG_RETRY_FATAL);
    assert_int_equal(kg_retry_classify(CURLE_WRITE_ERROR, 0), KG_RETRY_FATAL);

    kg_retry_policy p = {5, 500, 8000};
    assert_true(kg_retry_backoff_ms(&p, 0, 1.0) == 500);
    assert_true(kg_retry_backoff_ms(&p, 3, 1.0) == 4000);
    assert_true(kg_retry_backoff_ms(&p, 10, 1.0) == 8000);
    assert_true(kg_retry_backoff_ms(&p, 100, 0.5) == 4000);
    assert_true(kg_retry_backoff_ms(&p, 2, 0.0) == 0);
    assert_true(kg_retry_backoff_ms(&p, -1, 2.0) == 500);
    assert_true(kg_retry_delay_ms(&p, 0, 1500, 1.0) == 1500);
    assert_true(kg_retry_delay_ms(&p, 1, -1, 0.5) == 500);
}

static void test_retry_headers(void **st)
{
    (void)st;
    assert_true(kg_retry_after_ms("1", 0) == 1000);
    assert_true(kg_retry_after_ms(" 120 ", 0) == 120000);
    assert_true(kg_retry_after_ms("0.5", 0) == 500);
    assert_true(kg_retry_after_ms("", 0) == -1);
    assert_true(kg_retry_after_ms(NULL, 0) == -1);
    assert_true(kg_retry_after_ms("soon", 0) == -1);
    /* HTTP-date: 784111777 is Sun, 06 Nov 1994 08:49:37 GMT. */
    time_t t = 784111777;
    assert_true(kg_retry_after_ms("Sun, 06 Nov 1994 08:49:47 GMT", t) == 10000);
    assert_true(kg_retry_after_ms("Sun, 06 Nov 1994 08:49:30 GMT", t) == 0);
    assert_true(kg_retry_after_ms("Sunday, 06-Nov-94 08:49:39 GMT", t) == 2000);

    assert_true(kg_retry_duration_ms("1s") == 1000);
    assert_true(kg_retry_duration_ms("6m0s") == 360000);
    assert_true(kg_retry_duration_ms("20ms") == 20);
    assert_true(kg_retry_duration_ms("1h2m3.5s") == 3723500);
    assert_true(kg_retry_duration_ms("0.5s") == 500);
    assert_true(kg_retry_duration_ms("250us") == 0.25);
    assert_true(kg_retry_duration_ms("12") == -1);
    assert_true(kg_retry_duration_ms("1x") == -1);
    assert_true(kg_retry_duration_ms("") == -1);
    assert_true(kg_retry_duration_ms(NULL) == -1);
    assert_true(kg_retry_duration_ms("1s junk") == -1);

    assert_true(kg_retry_hint_ms("2", "1s", "6m0s", 0) == 360000);
    assert_true(kg_retry_hint_ms(NULL, "20ms", NULL, 0) == 20);
    assert_true(kg_retry_hint_ms(NULL, NULL, NULL, 0) == -1);
    assert_true(kg_retry_hint_ms("bad", "bad", NULL, 0) == -1);
}

static double fake_now;
static double fake_clock(void *ud)
{
    (void)ud;
    return fake_now;
}

static void test_breaker(void **st)
{
    (void)st;
    kg_breaker b;
    fake_now = 0;
    kg_breaker_init(&b, 3, 1000, fake_clock, NULL);
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_CLOSED);
    /* A success resets the count. */
    kg_breaker_failure(&b);
    kg_breaker_failure(&b);
    kg_breaker_success(&b);
    kg_breaker_failure(&b);
    kg_breaker_failure(&b);
    assert_true(kg_breaker_allow(&b));
    kg_breaker_failure(&b);
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_OPEN);
    assert_false(kg_breaker_allow(&b));
    fake_now = 400;
    assert_true(kg_breaker_retry_in_ms(&b) == 600);
    kg_breaker_failure(&b); /* late failure while open: no change */
    fake_now = 999;
    assert_false(kg_breaker_allow(&b));
    fake_now = 1000;
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_HALF_OPEN);
    assert_true(kg_breaker_retry_in_ms(&b) == 0);
    assert_true(kg_breaker_allow(&b));  /* the one trial */
    assert_false(kg_breaker_allow(&b)); /* everyone else waits */
    kg_breaker_failure(&b);             /* trial failed: open again */
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_OPEN);
    fake_now = 1500;
    assert_false(kg_breaker_allow(&b));
    fake_now = 2000;
    assert_true(kg_breaker_allow(&b));
    kg_breaker_success(&b);
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_CLOSED);
    assert_true(kg_breaker_allow(&b));
    assert_string_equal(kg_breaker_state_name(KG_BREAKER_OPEN), "open");
    assert_string_equal(kg_breaker_state_name(KG_BREAKER_CLOSED), "closed");
    assert_string_equal(kg_breaker_state_name(KG_BREAKER_HALF_OPEN), "half-open");
    kg_breaker_init(&b, 0, 10, fake_clock, NULL); /* threshold at least 1 */
    kg_breaker_failure(&b);
    assert_int_equal(kg_breaker_get_state(&b), KG_BREAKER_OPEN);
}

static void expect_json(const char *text, const char *want)
{
    kg_err e;
    json_t *j = kg_jsonfix_parse(text, strlen(text), &e);
    assert_non_null(j);
    json_t *w = json_loads(want, 0, NULL);
    assert_non_null(w);
    assert_true(json_equal(j, w));
    json_decref(j);
    json_decref(w);
}

static void test_jsonfix(void **st)
{
    (void)st;
    expect_json("{\"a\": 1}", "{\"a\": 1}");
    expect_json("```json\n{\"a\": [1, 2,],}\n```", "{\"a\": [1, 2]}");
    expect_json("Sure! Here is the JSON:\n{\"a\": \"x, }\"}\nHope this helps.",
                "{\"a\": \"x, }\"}");
    expect_json("```\n[{\"b\": true},\n]\n```", "[{\"b\": true}]");
    expect_json("{\"s\": \"quote \\\" ,]\", }", "{\"s\": \"quote \\\" ,]\"}");
    kg_err e;
    const char *cut = "{\"entities\": [{\"name\": \"Mar";
    assert_null(kg_jsonfix_parse(cut, strlen(cut), &e));
    assert_int_equal(e.code, KG_EFORMAT);
    assert_non_null(strstr(e.msg, "cut short"));
    assert_null(kg_jsonfix_parse("no json here", 12, &e));
    assert_non_null(strstr(e.msg, "no JSON"));
    assert_null(kg_jsonfix_parse("{\"a\": nope}", 11, &e));
    assert_non_null(strstr(e.msg, "not valid JSON"));
}

/* Capture log lines in a file; return its contents (caller frees). */
static char *logged(const char *path)
{
    return tu_read(path, NULL);
}

static void test_credentials_sources(void **st)
{
    (void)st;
    unsetenv("OPENAI_API_KEY");
    char *dir = tu_tmpdir();
    char *logp = tu_join(dir, "log.txt");
    FILE *lf = fopen(logp, "w");
    kg_log_set_stream(lf);
    kg_log_set_level(KG_LOG_DEBUG);
    kg_config *cfg = kg_config_new();
    kg_err e;
    kg_credentials *c = NULL;

    /* No source at all: no key, not an error. */
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_OK);
    assert_null(kg_credentials_key(c));
    assert_int_equal((int)kg_credentials_available(c), 0);
    assert_int_equal(kg_credentials_retire(c), 0);
    kg_credentials_free(c);

    /* OPENAI_API_KEY fallback. */
    setenv("OPENAI_API_KEY", "sk-envfallback-0001", 1);
    assert_int_equal(kg_credentials_open(cfg, "embed", &c, &e), KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-envfallback-0001");
    assert_non_null(strstr(kg_credentials_origin(c), "OPENAI_API_KEY"));
    kg_credentials_free(c);

    /* key_file beats the fallback; the first line only; several keys. */
    char *kf = tu_join(dir, "key.txt");
    tu_write_str(kf, " sk-file-key-AAAA1111 , sk-file-key-BBBB2222\nignored-second-line\n");
    assert_int_equal(kg_config_set(cfg, "llm.key_file", kf, KG_SRC_CALL, "test", &e), KG_OK);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-file-key-AAAA1111");
    assert_int_equal((int)kg_credentials_available(c), 2);
    kg_info("calling with sk-file-key-AAAA1111 and sk-file-key-BBBB2222");
    /* Rotation: retire the first (wiped), use the second. */
    assert_int_equal(kg_credentials_retire(c), 1);
    assert_string_equal(kg_credentials_key(c), "sk-file-key-BBBB2222");
    assert_int_equal((int)kg_credentials_wiped(c), 1);
    assert_true(kg_credentials_may_reload(c));
    /* Reload: the file now lists the retired key and a new one: the retired
     * one never comes back; the replaced set is wiped. */
    tu_write_str(kf, "sk-file-key-AAAA1111,sk-file-key-CCCC3333\n");
    assert_int_equal(kg_credentials_reload(c, &e), KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-file-key-CCCC3333");
    assert_int_equal((int)kg_credentials_available(c), 1);
    assert_int_equal((int)kg_credentials_wiped(c), 2);
    assert_false(kg_credentials_may_reload(c));
    kg_credentials_accepted(c);
    assert_true(kg_credentials_may_reload(c));
    /* A reload that fails keeps the old keys. */
    tu_write_str(kf, "bad key with spaces\n");
    assert_int_equal(kg_credentials_reload(c, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "llm.key_file"));
    assert_non_null(strstr(e.msg, "contains a space"));
    assert_null(strstr(e.msg, "bad key"));
    assert_string_equal(kg_credentials_key(c), "sk-file-key-CCCC3333");
    assert_int_equal(kg_credentials_retire(c), 0);
    assert_null(kg_credentials_key(c));
    kg_credentials_free(c);

    /* Missing key file: an error naming the setting. */
    char *missing = tu_join(dir, "nope.txt");
    assert_int_equal(kg_config_set(cfg, "llm.key_file", missing, KG_SRC_CALL, "test", &e), 0);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "llm.key_file"));
    tu_write_str(missing, "\n");
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "empty"));

    /* The setting beats the file. */
    assert_int_equal(kg_config_set(cfg, "llm.api_key", "sk-setting-key-9999", KG_SRC_ENV,
                                   "KGAS_LLM_API_KEY", &e),
                     KG_OK);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-setting-key-9999");
    assert_string_equal(kg_credentials_origin(c), "llm.api_key (from KGAS_LLM_API_KEY)");
    kg_credentials_free(c);

    /* Malformed keys: named by setting and origin, never shown. */
    static const char *const bad[] = {"short1", "has\x01control-char", "sk-ok-key-1234,,x"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(kg_config_set(cfg, "embed.api_key", bad[i], KG_SRC_FLAG, "--flag", &e),
                         KG_OK);
        assert_int_equal(kg_credentials_open(cfg, "embed", &c, &e), KG_EINVAL);
        assert_non_null(strstr(e.msg, "embed.api_key (from --flag)"));
        assert_null(strstr(e.msg, bad[i]));
    }
    assert_non_null(kg_credentials_check("x", 1));
    assert_non_null(kg_credentials_check("", 0));
    char longk[600];
    memset(longk, 'a', sizeof longk);
    assert_non_null(kg_credentials_check(longk, sizeof longk));
    assert_null(kg_credentials_check("sk-proj-abc_DEF-123", 19));

    fflush(lf);
    char *text = logged(logp);
    assert_non_null(strstr(text, "[REDACTED]"));
    assert_null(strstr(text, "sk-file-key"));
    free(text);
    kg_log_set_stream(stderr);
    fclose(lf);
    kg_config_free(cfg);
    unsetenv("OPENAI_API_KEY");
    tu_rmrf(dir);
    free(dir);
    free(logp);
    free(kf);
    free(missing);
}

static int reload_status = 99;
static void on_reload(int status, const kg_err *err, void *ud)
{
    (void)err;
    (void)ud;
    reload_status = status;
}

static void test_credentials_command(void **st)
{
    (void)st;
    unsetenv("OPENAI_API_KEY");
    char *dir = tu_tmpdir();
    char *counter = tu_join(dir, "n");
    kg_config *cfg = kg_config_new();
    kg_err e;
    kg_credentials *c = NULL;
    /* Each run prints a different key: the reload must pick up the new one. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "n=$(cat %s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %s; "
             "echo sk-cmd-key-000$n; echo second-line; echo noise >&2",
             counter, counter);
    assert_int_equal(kg_config_set(cfg, "llm.key_command", cmd, KG_SRC_FILE, "kgas.conf:3", &e),
                     KG_OK);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-cmd-key-0001");
    assert_string_equal(kg_credentials_origin(c), "llm.key_command (from kgas.conf:3)");
    /* The async reload runs on the worker pool and swaps on the loop. */
    uv_loop_t loop;
    uv_loop_init(&loop);
    assert_int_equal(kg_credentials_reload_async(c, &loop, on_reload, NULL), KG_OK);
    assert_int_equal(kg_credentials_reload_async(c, &loop, on_reload, NULL), KG_EBUSY);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(reload_status, KG_OK);
    assert_string_equal(kg_credentials_key(c), "sk-cmd-key-0002");
    assert_int_equal((int)kg_credentials_wiped(c), 1);
    /* The redactor knows both. */
    char line[128] = "a sk-cmd-key-0001 b sk-cmd-key-0002 c";
    kg_redact_inplace(line, sizeof line);
    assert_null(strstr(line, "sk-cmd"));
    kg_credentials_free(c);

    /* Failing, silent and slow commands. */
    assert_int_equal(kg_config_set(cfg, "llm.key_command", "exit 3", KG_SRC_FILE, "f", &e), 0);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "status 3"));
    assert_int_equal(kg_config_set(cfg, "llm.key_command", "true", KG_SRC_FILE, "f", &e), 0);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "printed no key"));
    assert_int_equal(kg_config_set(cfg, "llm.key_command", "kill -9 $$", KG_SRC_FILE, "f", &e), 0);
    assert_int_equal(kg_credentials_open(cfg, "llm", &c, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "signal"));
    uv_loop_close(&loop);
    kg_config_free(cfg);
    tu_rmrf(dir);
    free(dir);
    free(counter);
}

static void test_dotenv(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *p = tu_join(dir, ".env");
    tu_write_str(p, "# comment\n\nKGAS_TEST_DOTENV_A=alpha\nexport KGAS_TEST_DOTENV_B = \"b c\"\n"
                    "KGAS_TEST_DOTENV_C='q' \nKGAS_TEST_DOTENV_D=x # note\n"
                    "KGAS_TEST_DOTENV_KEEP=from-file\n");
    setenv("KGAS_TEST_DOTENV_KEEP", "from-env", 1);
    int n = -1;
    kg_err e;
    assert_int_equal(kg_dotenv_load(p, &n, &e), KG_OK);
    assert_int_equal(n, 4);
    assert_string_equal(getenv("KGAS_TEST_DOTENV_A"), "alpha");
    assert_string_equal(getenv("KGAS_TEST_DOTENV_B"), "b c");
    assert_string_equal(getenv("KGAS_TEST_DOTENV_C"), "q");
    assert_string_equal(getenv("KGAS_TEST_DOTENV_D"), "x");
    assert_string_equal(getenv("KGAS_TEST_DOTENV_KEEP"), "from-env");
    tu_write_str(p, "OK=1\nthis line has no equals sign secretvalue\n");
    assert_int_equal(kg_dotenv_load(p, &n, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, ":2:"));
    assert_null(strstr(e.msg, "secretvalue"));
    tu_write_str(p, "1BAD=x\n");
    assert_int_equal(kg_dotenv_load(p, &n, &e), KG_EINVAL);
    char *none = tu_join(dir, "absent.env");
    assert_int_equal(kg_dotenv_load(none, &n, &e), KG_OK);
    assert_int_equal(n, 0);
    assert_int_equal(kg_dotenv_load(dir, &n, &e), KG_OK); /* a folder reads as empty */
    tu_rmrf(dir);
    free(dir);
    free(p);
    free(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket),
        cmocka_unit_test(test_ratelimit_loop),
        cmocka_unit_test(test_retry_rules),
        cmocka_unit_test(test_retry_headers),
        cmocka_unit_test(test_breaker),
        cmocka_unit_test(test_jsonfix),
        cmocka_unit_test(test_credentials_sources),
        cmocka_unit_test(test_credentials_command),
        cmocka_unit_test(test_dotenv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
