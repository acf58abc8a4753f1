/* tool_pagerank: `calculate_pagerank`: rerun PageRank over the stored
 * relationships with the given parameters and write the scores back
 * (graphops/graph_build's kg_graph_rank, one transaction), then report the
 * new top entities.  A write tool: it invalidates the read cache. */
#include "graph/pagerank.h"
#include "graphops/graph_build.h"
#include "graphops/graph_query.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    /* The settings, then what the call gives. */
    kg_pagerank_opts o;
    kg_pagerank_opts_from_config(ctx->cfg, &o);
    json_t *v;
    if ((v = json_object_get(args, "damping_factor")))
        o.damping = json_number_value(v);
    if ((v = json_object_get(args, "max_iterations")))
        o.max_iterations = (int)json_integer_value(v);
    if ((v = json_object_get(args, "tolerance")))
        o.tolerance = json_number_value(v);
    if ((v = json_object_get(args, "stopping")))
        o.stopping = kg_pagerank_stop_parse(json_string_value(v));
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK) /* "no database yet" if absent */
        return err->code;
    kg_store_close(s);
    if (kg_tool_open_store(ctx, 0, &s, err) != KG_OK)
        return err->code;
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, 0, 2, "ranking entities");
    /* The rank is one transaction: the checkpoint is before it starts. */
    int rc = ctx->cancel && *ctx->cancel
                 ? kg_err_set(err, KG_ECANCELED, "calculate_pagerank: cancelled")
                 : KG_OK;
    kg_graph_summary sum = {0};
    if (rc == KG_OK)
        rc = kg_graph_rank(s, &o, &sum, err);
    json_t *top = NULL;
    if (rc == KG_OK) {
        if (ctx->progress)
            ctx->progress(ctx->progress_ud, 1, 2, "reading the top entities");
        rc = kg_graph_top_json(s, NULL, (int)json_integer_value(json_object_get(args, "top_k")),
                               &top, err);
    }
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, 2, 2, "done");
    *result = json_pack("{s:I, s:I, s:i, s:b, s:f, s:f, s:o}", "entities", (json_int_t)sum.entities,
                        "relationships", (json_int_t)sum.relationships, "iterations",
                        sum.iterations, "converged", sum.converged, "seconds", sum.seconds,
                        "damping_factor", o.damping, "top_entities",
                        json_incref(json_object_get(top, "entities")));
    json_decref(top);
    return KG_OK;
}

const kg_tool kg_tool_calculate_pagerank = {
    .name = "calculate_pagerank",
    .title = "Recalculate PageRank",
    .description =
        "Rank the entities of the stored graph by PageRank over the weighted relationships "
        "(a co-occurrence or a relation read from a sentence counts in both directions, a "
        "paper's citations and authors one way; random jumps land by log(1 + mentions); "
        "settings pagerank.relations and pagerank.teleport) and write score, rank and "
        "percentile back, in one transaction. Ingest already does this with the configured settings; "
        "call it to try another damping factor or tolerance. Returns how many entities and "
        "relationships were ranked, iterations, whether it converged and the new top "
        "entities. Changes the stored scores, so cached query_graph / get_top_entities "
        "answers are dropped.",
    .input_schema = kg_schema_calculate_pagerank_in,
    .output_schema = kg_schema_calculate_pagerank_out,
    .flags = KG_TOOL_WRITE | KG_TOOL_PROGRESS,
    .hints = KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE |
             KG_HINT_IDEMPOTENT, /* overwrites the stored scores */
    .run = run,
    .sample_args = "{\"damping_factor\": 0.85, \"tolerance\": 1e-10}",
};
