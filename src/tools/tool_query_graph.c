/* tool_query_graph: `query_graph`: a question -> the entities it names ->
 * paths of up to max_hops relations -> ranked answers, each with its path
 * and the evidence sentences (graphops/graph_query, the JSON `kgas query
 * --json` prints).  A read tool: answers are cached until the graph
 * changes, and the loaded graph is shared between calls (tools/graph_views).
 * Memory: the result is a new object. */
#include "graphops/graph_query.h"
#include "tools/graph_views.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, 0, 2, "loading the graph");
    kg_graph_view *v = NULL;
    int rc = kg_tool_graph_acquire(ctx, s, &v, err);
    if (rc == KG_OK) {
        /* Checkpoint: loading is most of the work of a call. */
        if (ctx->cancel && *ctx->cancel) {
            rc = kg_err_set(err, KG_ECANCELED, "query_graph: cancelled");
        } else {
            if (ctx->progress)
                ctx->progress(ctx->progress_ud, 1, 2, "searching paths");
            rc = kg_graph_answer_json(
                s, v, json_string_value(json_object_get(args, "query_text")),
                (int)json_integer_value(json_object_get(args, "max_hops")),
                (int)json_integer_value(json_object_get(args, "result_limit")), result, err);
        }
        kg_tool_graph_release(ctx, v);
    }
    kg_store_close(s);
    if (rc == KG_EINVAL)
        kg_err_prefix(err, "argument 'query_text'");
    return rc;
}

const kg_tool kg_tool_query_graph = {
    .name = "query_graph",
    .title = "Answer a question from the knowledge graph",
    .description =
        "Answer a (multi-hop) question from the stored graph: the entities the question "
        "names are matched (exact name, alias, or fuzzy), paths of up to max_hops relations "
        "lead from them to candidate answers, and answers are ranked by path confidence, "
        "PageRank and whether their type fits the question's wording (who -> PERSON, which "
        "university -> ORG, when -> DATE). Each answer carries its path rendered as text "
        "(\"A -[WORKS_FOR]-> B\"), the nodes, edges and evidence sentences with document, "
        "page and byte span, drawn first from the question's passages. passages: the "
        "question's passages by hybrid search (similarity_search's default mode), channels "
        "which of text, vector and graph answered; linked: what the question names and "
        "why. If 'matched' is empty, no entity of the graph is named in the "
        "question: rephrase with a name from get_top_entities. Cached until the graph "
        "changes.",
    .input_schema = kg_schema_query_graph_in,
    .output_schema = kg_schema_query_graph_out,
    .flags = KG_TOOL_READ | KG_TOOL_PROGRESS,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"query_text\": \"Where did Alan Turing work?\", \"max_hops\": 2, "
                   "\"result_limit\": 5}",
};
