/* tool_stats: `get_graph_statistics`: counts over the whole database. */
#include <sys/stat.h>

#include "store/store.h"
#include "tools/registry.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    (void)args;
    kg_store_stats st = {0};
    struct stat sb;
    /* No database yet is a graph with nothing in it, not an error. */
    if (stat(ctx->db_path, &sb) == 0) {
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

#define INT_PROP(n, d) "\"" n "\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"" d "\"}"

const kg_tool kg_tool_get_graph_statistics = {
    .name = "get_graph_statistics",
    .title = "Graph statistics",
    .description =
        "Counts of what the knowledge graph holds: documents, chunks, pages, bytes and "
        "characters of source text, mentions, entities, relationships and embeddings. Cheap; "
        "answered from a cache that is invalidated whenever the database changes. Call it "
        "first to see whether anything has been ingested.",
    .input_schema = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"documents\",\"chunks\",\"entities\","
        "\"relationships\"],\"properties\":{" INT_PROP("documents", "documents stored") "," INT_PROP("chunks", "text chunks") "," INT_PROP("mentions", "entity mentions") "," INT_PROP(
            "entities",
            "resolved entities") "," INT_PROP("relationships",
                                              "graph edges") "," INT_PROP("embeddings",
                                                                          "vectors") "," INT_PROP("pages",
                                                                                                  "pages of source") "," INT_PROP("bytes",
                                                                                                                                  "bytes of source files") "," INT_PROP("chars",
                                                                                                                                                                        "characters of text") "}}",
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{}",
};
