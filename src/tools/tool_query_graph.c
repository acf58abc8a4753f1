/* tool_query_graph: `query_graph`: a question -> the entities it names ->
 * paths of up to max_hops relations -> ranked answers, each with its path
 * and the evidence sentences (graphops/graph_query, the JSON `kgas query
 * --json` prints).  A read tool: answers are cached until the graph
 * changes, and the loaded graph is shared between calls (tools/graph_views).
 * Memory: the result is a new object. */
#include "graphops/graph_query.h"
#include "tools/graph_views.h"
#include "tools/registry.h"

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

#define NODE                                                             \
    "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}," \
    "\"name\":{\"type\":\"string\"},\"type\":{\"type\":\"string\"},"     \
    "\"pagerank\":{\"type\":\"number\"}}}"

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
    .input_schema =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"query_text\"],"
        "\"properties\":{"
        "\"query_text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000,"
        "\"description\":\"the question, in plain English, naming at least one entity\"},"
        "\"max_hops\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3,\"default\":2,"
        "\"description\":\"longest path considered, in relations\"},"
        "\"result_limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":10,"
        "\"description\":\"how many answers to return at most\"}}}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"question\",\"matched\",\"answers\"],"
        "\"properties\":{\"question\":{\"type\":\"string\"},"
        "\"matched\":{\"type\":\"array\",\"description\":\"entities named in the question\","
        "\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"name\":{\"type\":\"string\"},\"type\":{\"type\":\"string\"},"
        "\"match\":{\"type\":\"string\"},\"score\":{\"type\":\"number\"}}}},"
        "\"answers\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
        "\"entity\",\"score\",\"path\"],\"properties\":{\"entity\":" NODE ","
        "\"score\":{\"type\":\"number\"},\"confidence\":{\"type\":\"number\"},"
        "\"hops\":{\"type\":\"integer\"},\"path\":{\"type\":\"string\"},"
        "\"nodes\":{\"type\":\"array\",\"items\":" NODE "},"
        "\"edges\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"evidence\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"relation\":{\"type\":\"string\"},\"document\":{\"type\":\"string\"},"
        "\"title\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"},"
        "\"page\":{\"type\":\"integer\"},\"char_start\":{\"type\":\"integer\"},"
        "\"char_end\":{\"type\":\"integer\"},\"sentence\":{\"type\":\"string\"},"
        "\"method\":{\"type\":\"string\"},\"confidence\":{\"type\":\"number\"}}}}}}},"
        "\"truncated\":{\"type\":\"boolean\"},"
        "\"passages\":{\"type\":\"array\",\"description\":\"the question's passages by "
        "hybrid search\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"document\":{\"type\":\"string\"},\"chunk\":{\"type\":\"string\"},"
        "\"title\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"},"
        "\"page\":{\"type\":\"integer\"},\"snippet\":{\"type\":\"string\"},"
        "\"score\":{\"type\":\"number\"}}}},"
        "\"channels\":{\"type\":\"object\"},\"linked\":{\"type\":\"object\"}}}",
    .flags = KG_TOOL_READ | KG_TOOL_PROGRESS,
    .run = run,
    .sample_args = "{\"query_text\": \"Where did Alan Turing work?\", \"max_hops\": 2, "
                   "\"result_limit\": 5}",
};
