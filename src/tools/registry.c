/* registry: the tool table and kg_tool_call (see registry.h).
 *
 * Schemas are JSON files, src/tools/schemas/NAME.{in,out}.json (easy to
 * read, review and check with any JSON tool), embedded in the binary as
 * text at build time (src/tools/schemas.cmake), and parsed once, on first
 * use, under pthread_once.  After that they are only read, so worker
 * threads may share them. */
#include "tools/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"
#include "store/store.h"
#include "tools/schema.h"

#define KG_TOOL(n) extern const kg_tool kg_tool_##n;
#include "tools/tool_list.h"
#undef KG_TOOL

static const kg_tool *const TOOLS[] = {
#define KG_TOOL(n) &kg_tool_##n,
#include "tools/tool_list.h"
#undef KG_TOOL
};
#define NTOOLS (sizeof TOOLS / sizeof TOOLS[0])
_Static_assert(NTOOLS <= KG_TOOLS_MAX, "raise KG_TOOLS_MAX");

static json_t *g_in[NTOOLS], *g_out[NTOOLS];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static json_t *parse_schema(const char *tool, const char *which, const char *text,
                            void (*complete)(json_t *))
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (j && complete)
        complete(j);
    kg_err e;
    if (!j || kg_schema_check(j, &e) != 0) {
        /* A built-in schema is part of the program: failing loudly at once
         * beats serving a contract we do not enforce. */
        fprintf(stderr, "kgas: internal error: %s schema of tool %s: %s\n", which, tool,
                j ? e.msg : je.text);
        abort();
    }
    return j;
}

static void parse_all(void)
{
    for (size_t i = 0; i < NTOOLS; i++) {
        g_in[i] = parse_schema(TOOLS[i]->name, "input", TOOLS[i]->input_schema,
                               TOOLS[i]->complete_input);
        g_out[i] = parse_schema(TOOLS[i]->name, "output", TOOLS[i]->output_schema, NULL);
    }
}

size_t kg_tools_count(void)
{
    return NTOOLS;
}

const kg_tool *kg_tools_at(size_t i)
{
    return i < NTOOLS ? TOOLS[i] : NULL;
}

const kg_tool *kg_tools_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NTOOLS; i++)
        if (strcmp(TOOLS[i]->name, name) == 0)
            return TOOLS[i];
    return NULL;
}

size_t kg_tools_index(const kg_tool *t)
{
    for (size_t i = 0; i < NTOOLS; i++)
        if (TOOLS[i] == t)
            return i;
    return 0;
}

const json_t *kg_tool_input_schema(const kg_tool *t)
{
    pthread_once(&g_once, parse_all);
    return g_in[kg_tools_index(t)];
}

const json_t *kg_tool_output_schema(const kg_tool *t)
{
    pthread_once(&g_once, parse_all);
    return g_out[kg_tools_index(t)];
}

json_t *kg_tool_describe(const kg_tool *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "title", json_string(t->title));
    json_object_set_new(o, "description", json_string(t->description));
    json_object_set_new(o, "inputSchema", json_deep_copy(kg_tool_input_schema(t)));
    json_object_set_new(o, "outputSchema", json_deep_copy(kg_tool_output_schema(t)));
    json_t *ann = json_object();
    json_object_set_new(ann, "title", json_string(t->title));
    json_object_set_new(ann, "readOnlyHint", json_boolean(t->hints & KG_HINT_READ_ONLY));
    json_object_set_new(ann, "destructiveHint", json_boolean(t->hints & KG_HINT_DESTRUCTIVE));
    json_object_set_new(ann, "idempotentHint", json_boolean(t->hints & KG_HINT_IDEMPOTENT));
    json_object_set_new(ann, "openWorldHint", json_boolean(t->hints & KG_HINT_OPEN_WORLD));
    json_object_set_new(o, "annotations", ann);
    return o;
}

double kg_tool_now(void)
{
    return kg_now();
}

void kg_tool_runtime_init(kg_tool_runtime *rt, const char *transport, int workers)
{
    memset(rt, 0, sizeof *rt);
    rt->started = kg_tool_now();
    rt->transport = transport;
    rt->workers = workers;
    for (size_t i = 0; i < KG_TOOLS_MAX; i++) {
        atomic_init(&rt->calls[i], 0);
        atomic_init(&rt->errors[i], 0);
    }
    atomic_init(&rt->in_flight, 0);
    pthread_mutex_init(&rt->graph_mu, NULL);
    rt->services = kg_service_pool_new();
}

kg_service_pool *kg_tool_services(const kg_tool_ctx *ctx)
{
    return ctx->rt ? ctx->rt->services : NULL;
}

int kg_tool_open_store(const kg_tool_ctx *ctx, int readonly, kg_store **out, kg_err *err)
{
    if (readonly && !kg_store_exists(ctx->db_path))
        return kg_err_set(err, KG_ENOTFOUND,
                          "no database at %s yet: call the ingest tool with some files first",
                          ctx->db_path);
    int busy = ctx->cfg ? (int)kg_config_int(ctx->cfg, "busy_timeout_ms") : 10000;
    kg_store_opts o = {readonly ? KG_STORE_READONLY : 0, busy};
    return kg_store_open(ctx->db_path, &o, out, err);
}

int kg_tool_check_output(const kg_tool *t, const json_t *result, kg_err *err)
{
    json_t *sc = json_object_get(result, "structuredContent");
    if (!sc)
        return kg_err_set(err, KG_EINVAL, "%s: result has no structuredContent", t->name);
    if (kg_schema_validate(kg_tool_output_schema(t), sc, err) != 0)
        return kg_err_prefix(err, "%s: output does not match its outputSchema", t->name);
    return KG_OK;
}

json_t *kg_tool_error_result(const char *msg)
{
    json_t *content = json_pack("[{s:s, s:s}]", "type", "text", "text", msg);
    return json_pack("{s:o, s:b}", "content", content, "isError", 1);
}

static json_t *ok_result(json_t *structured)
{
    json_t *extra = json_incref(json_object_get(structured, KG_TOOL_EXTRA_CONTENT));
    json_object_del(structured, KG_TOOL_EXTRA_CONTENT);
    char *text = json_dumps(structured, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_t *content = json_pack("[{s:s, s:s}]", "type", "text", "text", text ? text : "{}");
    free(text);
    if (extra)
        json_array_extend(content, extra);
    json_decref(extra);
    return json_pack("{s:o, s:o, s:b}", "content", content, "structuredContent", structured,
                     "isError", 0);
}

void kg_tool_db_stamp(const char *db, kg_buf *key)
{
    kg_store_stamp(db, key);
}

json_t *kg_tool_call(const kg_tool *t, kg_tool_ctx *ctx, const json_t *args_in)
{
    size_t idx = kg_tools_index(t);
    kg_tool_runtime *rt = ctx->rt;
    if (rt) {
        atomic_fetch_add(&rt->calls[idx], 1);
        atomic_fetch_add(&rt->in_flight, 1);
    }
    json_t *args = args_in ? json_deep_copy(args_in) : json_object();
    json_t *res = NULL;
    kg_err e;
    kg_err_clear(&e);
    if (!json_is_object(args)) {
        res = kg_tool_error_result("arguments: must be a JSON object of named arguments");
        goto out;
    }
    const json_t *schema = kg_tool_input_schema(t);
    if (kg_schema_validate(schema, args, &e) != 0) {
        res = kg_tool_error_result(e.msg);
        goto out;
    }
    kg_schema_apply_defaults(schema, args);

    kg_tool_cache *cache = rt ? rt->cache : NULL;
    kg_buf key = KG_BUF_INIT;
    if (cache && (t->flags & KG_TOOL_READ)) {
        char *canon = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);
        kg_buf_printf(&key, "%s|%s", t->name, canon ? canon : "");
        free(canon);
        kg_tool_db_stamp(ctx->db_path, &key);
        char *hit = kg_tool_cache_get(cache, kg_buf_str(&key), kg_tool_now());
        if (hit) {
            json_t *structured = json_loads(hit, 0, NULL);
            free(hit);
            if (structured) {
                res = ok_result(structured);
                kg_buf_free(&key);
                goto out;
            }
        }
    }
    json_t *structured = NULL;
    int rc = t->run(ctx, args, &structured, &e);
    if (rc == KG_OK && ctx->cancel && *ctx->cancel && !structured)
        rc = kg_err_set(&e, KG_ECANCELED, "%s: cancelled", t->name);
    if (rc != KG_OK) {
        json_decref(structured);
        if (!e.msg[0])
            kg_err_set(&e, rc, "%s failed (%s)", t->name, kg_err_name(rc));
        res = kg_tool_error_result(e.msg);
    } else {
        if (!structured)
            structured = json_object();
        if (key.len) {
            char *val = json_dumps(structured, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (val)
                kg_tool_cache_put(cache, kg_buf_str(&key), val, kg_tool_now());
            free(val);
        }
        res = ok_result(structured);
    }
    if (cache && (t->flags & KG_TOOL_WRITE))
        kg_tool_cache_invalidate(cache);
    kg_buf_free(&key);
out:
    if (rt) {
        if (json_is_true(json_object_get(res, "isError")))
            atomic_fetch_add(&rt->errors[idx], 1);
        atomic_fetch_add(&rt->in_flight, -1);
    }
    json_decref(args);
    return res;
}
