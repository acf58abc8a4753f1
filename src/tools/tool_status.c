/* tool_status: `get_system_status`: version, database, uptime, workers, loop
 * lag, calls per tool and cache statistics, so "the loop never blocks" and
 * "the cache works" are numbers a client can read. */
#include <sys/stat.h>

#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    (void)args;
    (void)err;
    kg_tool_runtime *rt = ctx->rt;
    struct stat sb;
    int exists = stat(ctx->db_path, &sb) == 0;
    json_t *db = json_pack("{s:s, s:b, s:I}", "path", ctx->db_path, "exists", exists, "bytes",
                           (json_int_t)(exists ? sb.st_size : 0));
    double lag_max = 0, lag_p99 = 0, lag_last = 0;
    if (rt && rt->lag)
        rt->lag(rt->lag_ud, &lag_max, &lag_p99, &lag_last);
    json_t *calls = json_object();
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        json_object_set_new(calls, t->name,
                            json_pack("{s:I, s:I}", "calls",
                                      (json_int_t)(rt ? atomic_load(&rt->calls[i]) : 0), "errors",
                                      (json_int_t)(rt ? atomic_load(&rt->errors[i]) : 0)));
    }
    kg_tool_cache_stats cs;
    kg_tool_cache_stats_get(rt ? rt->cache : NULL, &cs);
    uint64_t lookups = cs.hits + cs.misses;
    json_t *cache = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I, s:f}", "enabled",
                              rt && rt->cache && cs.max_entries > 0, "entries",
                              (json_int_t)cs.entries, "bytes", (json_int_t)cs.bytes, "max_entries",
                              (json_int_t)cs.max_entries, "hits", (json_int_t)cs.hits, "misses",
                              (json_int_t)cs.misses, "invalidations", (json_int_t)cs.invalidations,
                              "hit_rate", lookups ? (double)cs.hits / (double)lookups : 0.0,
                              "evictions", (json_int_t)cs.evictions, "ttl_s", cs.ttl_s);
    *result = json_pack(
        "{s:s, s:s, s:o, s:f, s:i, s:I, s:{s:f, s:f, s:f, s:i}, s:o, s:o}", "version", KGAS_VERSION,
        "transport", rt && rt->transport ? rt->transport : "cli", "database", db, "uptime_s",
        rt ? kg_tool_now() - rt->started : 0.0, "workers", rt ? rt->workers : 0, "in_flight",
        (json_int_t)(rt ? atomic_load(&rt->in_flight) : 0), "loop_lag_ms", "max", lag_max, "p99",
        lag_p99, "last", lag_last, "window_s", 60, "tools", calls, "cache", cache);
    return KG_OK;
}

const kg_tool kg_tool_get_system_status = {
    .name = "get_system_status",
    .title = "Server status",
    .description =
        "Health of the kgas process: version, transport, database path and size, uptime, "
        "worker threads and calls in flight, event-loop lag (max and p99 over the last 60 "
        "seconds, in milliseconds: how long the server took to notice a timer; near zero "
        "means nothing blocks), calls and errors per tool, and the read cache (entries, "
        "hits, misses, hit rate).",
    .input_schema = kg_schema_get_system_status_in,
    .output_schema = kg_schema_get_system_status_out,
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{}",
};
