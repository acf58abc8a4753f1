/* test_mcp_core: the MCP core without a transport: JSON-RPC framing (the id
 * of a truncated message), batches (accepted in 2025-03-26 sessions only,
 * answered as one array), driven through kg_mcp_session_handle on a real
 * libuv loop with a recording send callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server/jsonrpc.h"
#include "server/mcp.h"
#include "testutil.h"

/* ---- the id of a truncated message ------------------------------------------ */

static json_int_t sniff_int(const char *s)
{
    json_t *id = kg_jsonrpc_sniff_id(s, strlen(s));
    json_int_t v = json_is_integer(id) ? json_integer_value(id) : -1;
    json_decref(id);
    return v;
}

static void test_sniff_id(void **st)
{
    (void)st;
    assert_int_equal(sniff_int("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\",\"params\":"
                               "{\"pad\":\"xxxxxxxx"),
                     5);
    /* an "id" inside params, ahead of the message's own */
    assert_int_equal(sniff_int("{\"params\":{\"id\":9,\"a\":[1,{\"id\":8}]},\"id\":3,\"x\":\"y"),
                     3);
    /* strings with escaped quotes and brackets are skipped whole */
    assert_int_equal(sniff_int("{\"m\":\"a\\\"},{\\\\\",\"id\" : 12 ,\"p\":\"..."), 12);
    /* the id lies past the bytes at hand, or is not a valid MCP id */
    assert_int_equal(sniff_int("{\"jsonrpc\":\"2.0\",\"params\":{\"pad\":\"xxxx"), -1);
    assert_int_equal(sniff_int("{\"jsonrpc\":\"2.0\",\"id\":12"), -1); /* 123... cut short */
    assert_int_equal(sniff_int("{\"id\":1.5,\"method\":\"x\""), -1);
    assert_int_equal(sniff_int("{\"id\":null,\"method\":\"x\""), -1);
    assert_int_equal(sniff_int("[{\"id\":1,\"method\":\"x\"}"), -1);
    assert_int_equal(sniff_int("{\"id\"}"), -1);
    assert_int_equal(sniff_int(""), -1);
    json_t *id = kg_jsonrpc_sniff_id("{\"id\":\"req-\\\"7\",\"method\":\"ping\",\"params\":{", 43);
    assert_string_equal(json_string_value(id), "req-\"7");
    json_decref(id);
}

/* ---- sessions ----------------------------------------------------------------- */

typedef struct rec {
    json_t *msgs; /* what was sent: [{"final": b, "msg": m}] */
} rec;

static void on_send(void *ud, void *route, json_t *msg, int final)
{
    (void)route;
    rec *r = ud;
    json_array_append_new(r->msgs,
                          json_pack("{s:b, s:o}", "final", final, "msg", msg ? msg : json_null()));
}

typedef struct fx {
    uv_loop_t loop;
    char *dir, *db;
    kg_config *cfg;
    kg_path_policy policy;
    kg_mcp_server *srv;
    rec r;
    kg_mcp_session *ss;
} fx;

static fx *start(const char *version)
{
    fx *f = calloc(1, sizeof *f);
    uv_loop_init(&f->loop);
    f->dir = tu_tmpdir();
    f->db = tu_join(f->dir, "m.db");
    f->cfg = kg_config_new();
    kg_path_policy_init(&f->policy);
    kg_mcp_server_opts o = {&f->loop, f->db, f->cfg, &f->policy, "test", 1};
    f->srv = kg_mcp_server_new(&o);
    f->r.msgs = json_array();
    f->ss = kg_mcp_session_new(f->srv, on_send, &f->r);
    char init[300];
    snprintf(init, sizeof init,
             "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
             "\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
             "\"version\":\"0\"}}}",
             version);
    assert_int_equal(kg_mcp_session_handle(f->ss, init, strlen(init), NULL), KG_MCP_ANSWERS);
    json_t *res = json_object_get(json_object_get(json_array_get(f->r.msgs, 0), "msg"), "result");
    assert_string_equal(json_string_value(json_object_get(res, "protocolVersion")), version);
    json_array_clear(f->r.msgs);
    return f;
}

static void stop(fx *f)
{
    kg_mcp_session_close(f->ss);
    kg_mcp_server_shutdown(f->srv);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    kg_mcp_server_free(f->srv);
    assert_int_equal(uv_loop_close(&f->loop), 0);
    json_decref(f->r.msgs);
    kg_path_policy_free(&f->policy);
    kg_config_free(f->cfg);
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
}

static int handle(fx *f, const char *s)
{
    return kg_mcp_session_handle(f->ss, s, strlen(s), NULL);
}

/* The last message sent, after running the loop until a final one came. */
static json_t *final_msg(fx *f)
{
    for (int i = 0; i < 10000; i++) {
        size_t n = json_array_size(f->r.msgs);
        if (n && json_is_true(json_object_get(json_array_get(f->r.msgs, n - 1), "final")))
            return json_object_get(json_array_get(f->r.msgs, n - 1), "msg");
        uv_run(&f->loop, UV_RUN_ONCE);
    }
    fail_msg("no final message");
    return NULL;
}

static void test_batch_refused_outside_2025_03_26(void **st)
{
    (void)st;
    fx *f = start("2025-06-18");
    assert_int_equal(handle(f, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"),
                     KG_MCP_INVALID);
    json_t *m = final_msg(f);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "error"), "code")),
                     -32600);
    assert_non_null(strstr(
        json_string_value(json_object_get(json_object_get(m, "error"), "message")), "2025-03-26"));
    stop(f);
}

static void test_batch_in_2025_03_26(void **st)
{
    (void)st;
    fx *f = start("2025-03-26");
    /* requests, a notification and a response: two answers, in one array */
    assert_int_equal(handle(f, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                               "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                               "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"result\":{}},"
                               "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]"),
                     KG_MCP_ANSWERS);
    assert_int_equal(json_array_size(f->r.msgs), 1);
    json_t *m = final_msg(f);
    assert_true(json_is_array(m));
    assert_int_equal(json_array_size(m), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "id")), 1);
    assert_non_null(json_object_get(json_object_get(json_array_get(m, 1), "result"), "tools"));
    json_array_clear(f->r.msgs);

    /* a tool call answered by a worker: the array waits for it */
    assert_int_equal(handle(f, "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                               "\"params\":{\"name\":\"get_system_status\",\"arguments\":{}}},"
                               "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}]"),
                     KG_MCP_ANSWERS);
    assert_int_equal(json_array_size(f->r.msgs), 0);
    m = final_msg(f);
    assert_int_equal(json_array_size(m), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "id")), 4);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "id")), 3);
    assert_false(
        json_is_true(json_object_get(json_object_get(json_array_get(m, 1), "result"), "isError")));
    json_array_clear(f->r.msgs);

    /* an invalid member is answered inside the array */
    assert_int_equal(handle(f, "[42, {\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]"),
                     KG_MCP_ANSWERS);
    m = final_msg(f);
    assert_int_equal(json_array_size(m), 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(json_array_get(m, 0), "error"), "code")),
        -32600);
    json_array_clear(f->r.msgs);

    /* only notifications: nothing is owed, nothing sent */
    assert_int_equal(handle(f, "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}]"),
                     KG_MCP_NO_ANSWER);
    assert_int_equal(json_array_size(f->r.msgs), 0);

    /* empty: one error, not an array */
    assert_int_equal(handle(f, "[]"), KG_MCP_INVALID);
    m = final_msg(f);
    assert_true(json_is_object(m));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "error"), "code")),
                     -32600);
    json_array_clear(f->r.msgs);

    /* not JSON */
    assert_int_equal(handle(f, "[{"), KG_MCP_INVALID);
    m = final_msg(f);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "error"), "code")),
                     -32700);
    stop(f);
}

/* Cancelling a batch member's route (the client left): the array comes
 * with what was answered, or "none" when nothing was. */
static void test_batch_cancelled(void **st)
{
    (void)st;
    fx *f = start("2025-03-26");
    assert_int_equal(handle(f, "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                               "\"params\":{\"name\":\"get_system_status\",\"arguments\":{}}}]"),
                     KG_MCP_ANSWERS);
    kg_mcp_session_cancel_route(f->ss, NULL);
    json_t *m = final_msg(f);
    assert_true(json_is_null(m));
    stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_id),
        cmocka_unit_test(test_batch_refused_outside_2025_03_26),
        cmocka_unit_test(test_batch_in_2025_03_26),
        cmocka_unit_test(test_batch_cancelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
