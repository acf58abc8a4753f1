/* tool_entity_details: `get_entity_details`: one entity with its aliases,
 * mentions in context and relations (graphops/graph_query's
 * kg_graph_entity_json, the shape `kgas entity --json` prints).  A read
 * tool, cached until the graph changes. */
#include "graphops/graph_query.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jid = json_object_get(args, "entity_id"), *jname = json_object_get(args, "name");
    if ((jid != NULL) == (jname != NULL))
        return kg_err_set(err, KG_EINVAL, "arguments: give exactly one of 'entity_id' or 'name'");
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    int rc = kg_graph_entity_json(s, json_string_value(jid ? jid : jname),
                                  (int)json_integer_value(json_object_get(args, "mention_limit")),
                                  result, err);
    kg_store_close(s);
    if (rc == KG_ENOTFOUND)
        kg_err_prefix(err, "argument '%s'", jid ? "entity_id" : "name");
    return rc;
}

const kg_tool kg_tool_get_entity_details = {
    .name = "get_entity_details",
    .title = "Entity details",
    .description =
        "Everything the graph knows about one entity: canonical name, type, aliases, "
        "PageRank score and rank, its mentions (document, page, byte span, surrounding "
        "text) and its relations to other entities (type, direction, confidence, support). "
        "Give exactly one of entity_id (ent_..., from get_top_entities or query_graph) or "
        "name (a name or alias, any case; 'other_matches' lists other entities with that "
        "name). Cached until the graph changes.",
    .input_schema = kg_schema_get_entity_details_in,
    .output_schema = kg_schema_get_entity_details_out,
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"name\": \"Alan Turing\"}",
};
