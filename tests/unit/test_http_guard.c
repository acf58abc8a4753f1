/* Unit tests for server/http_guard: bearer tokens, Origin checks (DNS
 * rebinding) and --http address parsing, without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "server/http_guard.h"

static void test_token(void **st)
{
    (void)st;
    assert_int_equal(kg_http_token_ok(NULL, NULL), 1); /* none required */
    assert_int_equal(kg_http_token_ok("s3cret-token", NULL), 0);
    assert_int_equal(kg_http_token_ok("s3cret-token", "Bearer s3cret-token"), 1);
    assert_int_equal(kg_http_token_ok("s3cret-token", "bearer s3cret-token"), 1);
    assert_int_equal(kg_http_token_ok("s3cret-token", "Bearer s3cret-toke"), 0);
    assert_int_equal(kg_http_token_ok("s3cret-token", "Bearer s3cret-token2"), 0);
    assert_int_equal(kg_http_token_ok("s3cret-token", "Basic s3cret-token"), 0);
    assert_int_equal(kg_http_token_ok("s3cret-token", "Bearer"), 0);
}

static void test_origin(void **st)
{
    (void)st;
    assert_int_equal(kg_http_origin_ok(NULL, NULL), 1);
    assert_int_equal(kg_http_origin_ok(NULL, "http://localhost"), 1);
    assert_int_equal(kg_http_origin_ok(NULL, "http://localhost:3000"), 1);
    assert_int_equal(kg_http_origin_ok(NULL, "https://127.0.0.1:8080"), 1);
    assert_int_equal(kg_http_origin_ok(NULL, "http://[::1]:9"), 1);
    /* A name that starts like localhost is not localhost. */
    assert_int_equal(kg_http_origin_ok(NULL, "http://localhost.evil.example"), 0);
    assert_int_equal(kg_http_origin_ok(NULL, "http://evil.example"), 0);
    assert_int_equal(kg_http_origin_ok(NULL, "localhost"), 0); /* no scheme */
    const char *allowed = "https://app.example, https://other.example";
    assert_int_equal(kg_http_origin_ok(allowed, "https://app.example"), 1);
    assert_int_equal(kg_http_origin_ok(allowed, "https://other.example"), 1);
    assert_int_equal(kg_http_origin_ok(allowed, "https://app.example.evil"), 0);
    assert_int_equal(kg_http_origin_ok(allowed, "https://app"), 0);
}

static void test_host(void **st)
{
    (void)st;
    assert_int_equal(kg_http_host_ok(NULL, NULL), 1); /* HTTP/1.0, no Host */
    assert_int_equal(kg_http_host_ok(NULL, "localhost"), 1);
    assert_int_equal(kg_http_host_ok(NULL, "LocalHost:8765"), 1);
    assert_int_equal(kg_http_host_ok(NULL, "127.0.0.1:80"), 1);
    assert_int_equal(kg_http_host_ok(NULL, "127.9.9.9"), 1);
    assert_int_equal(kg_http_host_ok(NULL, "[::1]:8765"), 1);
    assert_int_equal(kg_http_host_ok(NULL, "[::1]"), 1);
    /* names that resolve anywhere are not loopback names */
    assert_int_equal(kg_http_host_ok(NULL, "evil.example"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "localhost.evil.example"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "128.0.0.1"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "[::2]:80"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "localhost:80x"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "localhost:"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "[::1]x"), 0);
    assert_int_equal(kg_http_host_ok(NULL, "[::1"), 0);
    assert_int_equal(kg_http_host_ok(NULL, ""), 0);
    const char *hosts = " kgas.internal , box.lan:8765";
    assert_int_equal(kg_http_host_ok(hosts, "kgas.internal"), 1);
    assert_int_equal(kg_http_host_ok(hosts, "KGAS.internal:9"), 1); /* no port listed: any */
    assert_int_equal(kg_http_host_ok(hosts, "box.lan:8765"), 1);
    assert_int_equal(kg_http_host_ok(hosts, "box.lan:8766"), 0);
    assert_int_equal(kg_http_host_ok(hosts, "box.lan"), 0);
    assert_int_equal(kg_http_host_ok(hosts, "kgas.internal.evil"), 0);
}

static void test_accept_and_content_type(void **st)
{
    (void)st;
    const char *json = "application/json", *sse = "text/event-stream";
    assert_int_equal(kg_http_accepts(NULL, json), 1);
    assert_int_equal(kg_http_accepts("application/json, text/event-stream", json), 1);
    assert_int_equal(kg_http_accepts("application/json, text/event-stream", sse), 1);
    assert_int_equal(kg_http_accepts("text/event-stream", json), 0);
    assert_int_equal(kg_http_accepts("*/*", json), 1);
    assert_int_equal(kg_http_accepts("application/*;q=0.2", json), 1);
    assert_int_equal(kg_http_accepts("text/*", sse), 1);
    assert_int_equal(kg_http_accepts("text/html", json), 0);
    assert_int_equal(kg_http_accepts("Application/JSON", json), 1);
    /* the most specific range decides */
    assert_int_equal(kg_http_accepts("application/json;q=0, */*", json), 0);
    assert_int_equal(kg_http_accepts("*/*;q=0, application/json", json), 1);
    assert_int_equal(kg_http_accepts("application/json; q=0.0", json), 0);
    assert_int_equal(kg_http_accepts("application/json;level=1;q=0.5", json), 1);
    assert_int_equal(kg_http_accepts("application/jsonx", json), 0);
    assert_int_equal(kg_http_accepts("", json), 0);
    assert_int_equal(kg_http_accepts(",,;q=1,", json), 0);
    assert_int_equal(kg_http_is_json("application/json"), 1);
    assert_int_equal(kg_http_is_json("Application/Json; charset=utf-8"), 1);
    assert_int_equal(kg_http_is_json("application/json-patch+json"), 0);
    assert_int_equal(kg_http_is_json("text/plain"), 0);
    assert_int_equal(kg_http_is_json(NULL), 0);
}

static void test_bind(void **st)
{
    (void)st;
    struct sockaddr_storage ss;
    int lo = -1;
    kg_err e;
    assert_int_equal(kg_http_parse_bind("127.0.0.1:8765", &ss, &lo, &e), KG_OK);
    assert_int_equal(lo, 1);
    assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8765);
    assert_int_equal(kg_http_parse_bind("localhost:0", &ss, &lo, &e), KG_OK);
    assert_int_equal(lo, 1);
    assert_int_equal(kg_http_parse_bind("0.0.0.0:80", &ss, &lo, &e), KG_OK);
    assert_int_equal(lo, 0);
    assert_int_equal(kg_http_parse_bind("[::1]:9000", &ss, &lo, &e), KG_OK);
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(lo, 1);
    assert_int_equal(kg_http_parse_bind("nonsense", &ss, &lo, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "HOST:PORT"));
    assert_int_equal(kg_http_parse_bind("127.0.0.1:99999", &ss, &lo, &e), KG_EINVAL);
    assert_int_equal(kg_http_parse_bind("example.com:80", &ss, &lo, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "numeric"));
    assert_int_equal(kg_http_parse_bind("[zz]:80", &ss, &lo, &e), KG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token), cmocka_unit_test(test_origin),
        cmocka_unit_test(test_host),  cmocka_unit_test(test_accept_and_content_type),
        cmocka_unit_test(test_bind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
