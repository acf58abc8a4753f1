/* test_tools: the tool registry, read_query's guard (every bypass we know of
 * must be refused with the database file byte-identical afterwards), the
 * LRU/TTL cache and JSON-RPC message parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/jsonrpc.h"
#include "store/store.h"
#include "testutil.h"
#include "tools/cache.h"
#include "tools/graph_views.h"
#include "tools/registry.h"
#include "tools/schema.h"

/* ---- registry -------------------------------------------------------------- */

static void test_registry_contract(void **st)
{
    (void)st;
    const char *want[] = {"ingest",     "load_documents",   "chunk_text", "get_graph_statistics",
                          "read_query", "get_system_status"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_non_null(kg_tools_find(want[i]));
    assert_null(kg_tools_find("nope"));
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        assert_true(strlen(t->description) > 80); /* something a model can act on */
        assert_true(t->title && *t->title);
        const json_t *in = kg_tool_input_schema(t);
        assert_string_equal(json_string_value(json_object_get(in, "type")), "object");
        assert_true(json_is_false(json_object_get(in, "additionalProperties")));
        const char *k;
        json_t *p;
        json_object_foreach(json_object_get(in, "properties"), k, p)
        {
            if (!json_object_get(p, "description"))
                fail_msg("%s.%s has no description", t->name, k);
            if (!json_object_get(p, "type"))
                fail_msg("%s.%s has no type", t->name, k);
        }
        json_t *d = kg_tool_describe(t);
        assert_non_null(json_object_get(d, "outputSchema"));
        json_decref(d);
    }
}

static const char *result_text(json_t *res)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(res, "content"), 0), "text"));
}

typedef struct fixture {
    char *dir, *db, *doc;
    kg_config *cfg;
    kg_path_policy policy;
    kg_tool_runtime rt;
    kg_tool_ctx ctx;
} fixture;

static fixture *F;

static int setup(void **st)
{
    (void)st;
    F = calloc(1, sizeof *F);
    F->dir = tu_tmpdir();
    F->db = tu_join(F->dir, "t.db");
    F->doc = tu_join(F->dir, "note.md");
    tu_write_str(F->doc, "# Note\n\nAda Lovelace wrote about the Analytical Engine. "
                         "Charles Babbage designed it in London.\n");
    F->cfg = kg_config_new();
    kg_path_policy_init(&F->policy);
    kg_tool_runtime_init(&F->rt, "test", 1);
    F->rt.cache = kg_tool_cache_new(16, 1 << 20, 60);
    F->ctx.db_path = F->db;
    F->ctx.cfg = F->cfg;
    F->ctx.policy = &F->policy;
    F->ctx.rt = &F->rt;
    char args[600];
    snprintf(args, sizeof args, "{\"paths\":[\"%s\"]}", F->doc);
    json_t *a = json_loads(args, 0, NULL);
    json_t *res = kg_tool_call(kg_tools_find("ingest"), &F->ctx, a);
    json_decref(a);
    if (json_is_true(json_object_get(res, "isError")))
        fail_msg("ingest: %s", result_text(res));
    json_decref(res);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    kg_tool_cache_free(F->rt.cache);
    kg_tool_runtime_release(&F->rt);
    kg_path_policy_free(&F->policy);
    kg_config_free(F->cfg);
    tu_rmrf(F->dir);
    free(F->dir);
    free(F->db);
    free(F->doc);
    free(F);
    return 0;
}

static json_t *call(const char *tool, const char *args)
{
    json_t *a = json_loads(args, 0, NULL);
    assert_non_null(a);
    json_t *res = kg_tool_call(kg_tools_find(tool), &F->ctx, a);
    json_decref(a);
    return res;
}

static void test_tool_calls(void **st)
{
    (void)st;
    json_t *r = call("get_graph_statistics", "{}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(r, "structuredContent"), "documents")),
        1);
    kg_err e;
    assert_int_equal(kg_tool_check_output(kg_tools_find("get_graph_statistics"), r, &e), 0);
    json_decref(r);
    /* bad arguments: isError naming the argument */
    r = call("read_query", "{\"sql\":\"SELECT 1\",\"max_rows\":0}");
    assert_true(json_is_true(json_object_get(r, "isError")));
    assert_non_null(strstr(result_text(r), "argument 'max_rows': 0 is below the minimum 1"));
    json_decref(r);
    r = call("read_query", "{\"query\":\"SELECT 1\"}");
    assert_non_null(strstr(result_text(r), "argument 'sql' is required"));
    json_decref(r);
    r = call("chunk_text", "{\"text\":\"a b c\",\"document_id\":\"doc_x\"}");
    assert_non_null(strstr(result_text(r), "exactly one of 'document_id' or 'text'"));
    json_decref(r);
    r = call("chunk_text", "{\"text\":\"One. Two three. Four five six.\",\"chunk_size\":16}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    assert_int_equal(kg_tool_check_output(kg_tools_find("chunk_text"), r, &e), 0);
    json_decref(r);
    r = call("get_system_status", "{}");
    assert_int_equal(kg_tool_check_output(kg_tools_find("get_system_status"), r, &e), 0);
    json_decref(r);
    /* a handler failure on good arguments is a result, not a crash */
    r = call("load_documents", "{\"document_paths\":[\"/nonexistent/x.txt\"]}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(r, "structuredContent"), "failed")), 1);
    json_decref(r);
    /* cancellation before the call is honoured */
    volatile int cancel = 1;
    F->ctx.cancel = &cancel;
    r = call("read_query", "{\"sql\":\"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                           "FROM c) SELECT count(*) FROM c\"}");
    assert_true(json_is_true(json_object_get(r, "isError")));
    assert_non_null(strstr(result_text(r), "cancelled"));
    json_decref(r);
    F->ctx.cancel = NULL;
}

static void test_cache_through_registry(void **st)
{
    (void)st;
    kg_tool_cache_stats a, b;
    kg_tool_cache_stats_get(F->rt.cache, &a);
    json_t *r1 = call("get_graph_statistics", "{}");
    json_t *r2 = call("get_graph_statistics", "{}");
    kg_tool_cache_stats_get(F->rt.cache, &b);
    assert_true(b.hits >= a.hits + 1);
    assert_true(json_equal(json_object_get(r1, "structuredContent"),
                           json_object_get(r2, "structuredContent")));
    json_decref(r1);
    json_decref(r2);
    /* a write tool invalidates */
    json_t *r = call("ingest", "{\"paths\":[\"/nonexistent-folder-kgas\"]}");
    json_decref(r);
    kg_tool_cache_stats_get(F->rt.cache, &a);
    assert_true(a.invalidations > b.invalidations);
}

/* ---- read_query guard ------------------------------------------------------ */

static void test_read_query_reads(void **st)
{
    (void)st;
    json_t *r = call("read_query", "{\"sql\":\"SELECT id, title FROM documents\"}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    json_t *sc = json_object_get(r, "structuredContent");
    assert_int_equal(json_integer_value(json_object_get(sc, "row_count")), 1);
    json_decref(r);
    r = call("read_query", "{\"sql\":\"  -- a comment\\n SELECT 1; -- trailing\\n /* c */ \"}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    json_decref(r);
    r = call("read_query", "{\"sql\":\"PRAGMA table_info(documents)\"}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    json_decref(r);
    r = call("read_query", "{\"sql\":\"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                           "FROM c LIMIT 50) SELECT x FROM c\",\"max_rows\":10}");
    sc = json_object_get(r, "structuredContent");
    assert_int_equal(json_integer_value(json_object_get(sc, "row_count")), 10);
    assert_true(json_is_true(json_object_get(sc, "truncated")));
    json_decref(r);
}

static int ignore_row(void *ud, int n, const kg_value *v)
{
    (void)ud;
    (void)n;
    (void)v;
    return 0;
}

/* Every kind of value becomes JSON: a real, a blob described by its size,
 * NULL, and text that is not UTF-8 with its odd bytes as '?'. */
static void test_read_query_values(void **st)
{
    (void)st;
    json_t *r = call("read_query", "{\"sql\":\"SELECT 2.5 AS x, x'00ff10' AS b, NULL AS z,"
                                   " CAST(x'41c342' AS TEXT) AS t\"}");
    assert_false(json_is_true(json_object_get(r, "isError")));
    json_t *sc = json_object_get(r, "structuredContent");
    char *cols = json_dumps(json_object_get(sc, "columns"), JSON_COMPACT);
    char *rows = json_dumps(json_object_get(sc, "rows"), JSON_COMPACT);
    assert_string_equal(cols, "[\"x\",\"b\",\"z\",\"t\"]");
    assert_string_equal(rows, "[[2.5,\"<blob of 3 bytes>\",null,\"A?B\"]]");
    free(cols);
    free(rows);
    json_decref(r);
}

static void test_read_query_time_limit(void **st)
{
    (void)st;
    kg_query_opts o = {200, NULL};
    kg_query_sink sink = {NULL, ignore_row, NULL};
    kg_err e;
    int rc = kg_store_query_readonly(F->db,
                                     "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                                     "FROM c) SELECT count(*) FROM c",
                                     &o, &sink, &e);
    assert_int_equal(rc, KG_EBUSY);
    assert_non_null(strstr(e.msg, "longer than 200 ms"));
}

static char *hash_file(const char *path)
{
    size_t n;
    char *d = tu_read(path, &n);
    assert_non_null(d);
    /* FNV over the bytes is enough to see any change (and simpler than a copy). */
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)d[i];
        h *= 1099511628211ull;
    }
    free(d);
    char *out = malloc(40);
    snprintf(out, 40, "%zu:%016llx", n, h);
    return out;
}

static void test_read_query_bypasses_refused(void **st)
{
    (void)st;
    char *tmpdb = tu_join(F->dir, "x.db");
    char vac[600], att[600];
    snprintf(vac, sizeof vac, "VACUUM INTO '%s'", tmpdb);
    snprintf(att, sizeof att, "ATTACH '%s' AS x", tmpdb);
    const char *bad[][2] = {
        {"WITH x AS (SELECT 1) DELETE FROM documents", "only reading"},
        {"SELECT 1; DELETE FROM documents", "one statement per call"},
        {att, "ATTACH"},
        {"PRAGMA writable_schema=1", "PRAGMA writable_schema"},
        {"PRAGMA journal_mode=DELETE", "PRAGMA journal_mode"},
        {"PRAGMA user_version=7", "PRAGMA user_version"},
        {"SELECT load_extension('x')", "load_extension"},
        {vac, "only reading"},
        {"/**/DELETE/**/FROM documents", "only reading"},
        {"\t\n  delete\n\tfrom\ndocuments  ", "only reading"},
        {"DROP TABLE documents", "only reading"},
        {"UPDATE documents SET title='x'", "only reading"},
        {"INSERT INTO documents(id) VALUES('x')", "only reading"},
        {"CREATE TABLE t(x)", "only reading"},
        {"BEGIN", "transactions"},
        {"SAVEPOINT a", "transactions"},
        {"DETACH main", "ATTACH"},
        {"SELECT writefile('/tmp/kgas-x', 'y')", NULL},
        {"SELECT fts3_tokenizer('simple')", NULL},
        {"REINDEX", "only reading"},
        {"ANALYZE", "only reading"},
        {"SELECT 1; SELECT 2", "one statement"},
    };
    char *before = hash_file(F->db);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *sql = json_pack("{s:s}", "sql", bad[i][0]);
        json_t *r = kg_tool_call(kg_tools_find("read_query"), &F->ctx, sql);
        json_decref(sql);
        if (!json_is_true(json_object_get(r, "isError")))
            fail_msg("not refused: %s", bad[i][0]);
        const char *msg = result_text(r);
        if (!strstr(msg, "argument 'sql'"))
            fail_msg("message for %s does not name the argument: %s", bad[i][0], msg);
        if (bad[i][1] && !strstr(msg, bad[i][1]))
            fail_msg("message for %s lacks '%s': %s", bad[i][0], bad[i][1], msg);
        json_decref(r);
    }
    char *after = hash_file(F->db);
    assert_string_equal(before, after);
    FILE *f = fopen(tmpdb, "rb");
    assert_null(f);
    free(before);
    free(after);
    free(tmpdb);
}

/* ---- cache ------------------------------------------------------------------- */

static void test_cache_lru_ttl(void **st)
{
    (void)st;
    kg_tool_cache *c = kg_tool_cache_new(2, 1 << 20, 10);
    kg_tool_cache_put(c, "a", "1", 0);
    kg_tool_cache_put(c, "b", "2", 0);
    char *v = kg_tool_cache_get(c, "a", 1); /* a is now most recent */
    assert_string_equal(v, "1");
    free(v);
    kg_tool_cache_put(c, "c", "3", 1); /* evicts b */
    assert_null(kg_tool_cache_get(c, "b", 1));
    v = kg_tool_cache_get(c, "c", 1);
    assert_string_equal(v, "3");
    free(v);
    assert_null(kg_tool_cache_get(c, "a", 20)); /* expired */
    kg_tool_cache_put(c, "c", "4", 20);         /* replace */
    v = kg_tool_cache_get(c, "c", 21);
    assert_string_equal(v, "4");
    free(v);
    kg_tool_cache_invalidate(c);
    assert_null(kg_tool_cache_get(c, "c", 21));
    kg_tool_cache_stats s;
    kg_tool_cache_stats_get(c, &s);
    assert_true(s.hits == 3 && s.evictions == 1 && s.invalidations == 1);
    kg_tool_cache_free(c);
    /* byte limit */
    c = kg_tool_cache_new(100, 200, 10);
    kg_tool_cache_put(c, "k1", "0123456789", 0);
    kg_tool_cache_put(c, "k2", "0123456789", 0);
    kg_tool_cache_put(c, "k3", "0123456789", 0);
    kg_tool_cache_stats_get(c, &s);
    assert_true(s.bytes <= 200);
    assert_true(s.entries < 3);
    kg_tool_cache_free(c);
    c = kg_tool_cache_new(0, 300, 10); /* disabled */
    kg_tool_cache_put(c, "k", "v", 0);
    assert_null(kg_tool_cache_get(c, "k", 0));
    kg_tool_cache_free(c);
}

/* ---- JSON-RPC ------------------------------------------------------------------ */

static int parse_code(const char *text, size_t len)
{
    kg_rpc_msg m;
    json_t *err = NULL;
    kg_rpc_kind k = kg_jsonrpc_parse(text, len, &m, &err);
    if (k != KG_RPC_INVALID) {
        kg_rpc_msg_free(&m);
        return (int)k;
    }
    int code = (int)json_integer_value(json_object_get(json_object_get(err, "error"), "code"));
    json_decref(err);
    return code;
}

static void test_jsonrpc(void **st)
{
    (void)st;
#define P(s) parse_code(s, strlen(s))
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"), KG_RPC_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\",\"params\":{}}"),
                     KG_RPC_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                     KG_RPC_NOTIFICATION);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), KG_RPC_RESPONSE);
    assert_int_equal(P("{not json"), KG_RPC_PARSE_ERROR);
    assert_int_equal(P(""), KG_RPC_PARSE_ERROR);
    assert_int_equal(parse_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}", 38),
                     KG_RPC_PARSE_ERROR); /* invalid UTF-8 */
    assert_int_equal(P("5"), KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("\"str\""), KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"),
                     KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"id\":1,\"method\":\"ping\"}"), KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}"),
                     KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}"), KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}"),
                     KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}"),
                     KG_RPC_INVALID_REQUEST);
    assert_int_equal(P("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"x\"}"),
                     KG_RPC_PARSE_ERROR); /* duplicate keys */
    /* the id survives into the error when it was readable */
    kg_rpc_msg m;
    json_t *err = NULL;
    const char *s = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":3}";
    kg_jsonrpc_parse(s, strlen(s), &m, &err);
    assert_int_equal(json_integer_value(json_object_get(err, "id")), 7);
    size_t n;
    char *line = kg_jsonrpc_dump_line(err, &n);
    assert_int_equal(line[n - 1], '\n');
    assert_null(memchr(line, '\n', n - 1));
    free(line);
    json_decref(err);
#undef P
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_contract),
        cmocka_unit_test_setup_teardown(test_tool_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_through_registry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_query_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_query_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_query_time_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_query_bypasses_refused, setup, teardown),
        cmocka_unit_test(test_cache_lru_ttl),
        cmocka_unit_test(test_jsonrpc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
