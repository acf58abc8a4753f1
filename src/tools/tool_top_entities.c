/* tool_top_entities: `get_top_entities`: the most central entities by
 * PageRank (graphops/graph_query's kg_graph_top_json, the shape `kgas top
 * --json` prints).  A read tool, cached until the graph changes. */
#include "graphops/graph_query.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    int rc = kg_graph_top_json(s, json_string_value(json_object_get(args, "entity_type")),
                               (int)json_integer_value(json_object_get(args, "limit")), result,
                               err);
    kg_store_close(s);
    return rc;
}

const kg_tool kg_tool_get_top_entities = {
    .name = "get_top_entities",
    .title = "Top entities by PageRank",
    .description =
        "The most central entities of the knowledge graph, highest PageRank first, "
        "optionally of one type (PERSON, ORG, GPE, LOC, METHOD, DATASET, DATE, ...; any "
        "case). Each has its id (for get_entity_details or the resource kgas://entity/{id}), "
        "name, type, PageRank score, rank, percentile and mention count. A good first look "
        "at what a corpus is about, and a source of names to put in query_graph questions. "
        "Cached until the graph changes.",
    .input_schema = kg_schema_get_top_entities_in,
    .output_schema = kg_schema_get_top_entities_out,
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"limit\": 5}",
};
