/* tool_stats: `get_graph_statistics`: counts over the whole database. */
#include "store/store.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    (void)args;
    kg_store_stats st = {0};
    /* No database yet is a graph with nothing in it, not an error. */
    if (kg_store_exists(ctx->db_path)) {
        kg_store *s = NULL;
        if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
            return err->code;
        int rc = kg_store_stats_get(s, &st, err);
        kg_store_close(s);
        if (rc != KG_OK)
            return rc;
    }
    *result = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "documents",
                        (json_int_t)st.documents, "chunks", (json_int_t)st.chunks, "mentions",
                        (json_int_t)st.mentions, "entities", (json_int_t)st.entities,
                        "relationships", (json_int_t)st.relationships, "embeddings",
                        (json_int_t)st.embeddings, "pages", (json_int_t)st.pages, "bytes",
                        (json_int_t)st.bytes, "chars", (json_int_t)st.chars);
    return KG_OK;
}

const kg_tool kg_tool_get_graph_statistics = {
    .name = "get_graph_statistics",
    .title = "Graph statistics",
    .description =
        "Counts of what the knowledge graph holds: documents, chunks, pages, bytes and "
        "characters of source text, mentions, entities, relationships and embeddings. Cheap; "
        "answered from a cache that is invalidated whenever the database changes. Call it "
        "first to see whether anything has been ingested.",
    .input_schema = kg_schema_get_graph_statistics_in,
    .output_schema = kg_schema_get_graph_statistics_out,
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{}",
};
