/* tool_sql: `read_query`: one read-only SQL statement over the graph tables.
 * The guarantees live in sqlguard.c; this file is the tool contract. */
#include <stdio.h>

#include "tools/registry.h"
#include "tools/sqlguard.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_sqlguard_opts o;
    o.max_rows = (int)json_integer_value(json_object_get(args, "max_rows"));
    o.timeout_ms = ctx->cfg ? (int)kg_config_int(ctx->cfg, "mcp.query_timeout_ms") : 5000;
    o.cancel = ctx->cancel;
    FILE *probe = fopen(ctx->db_path, "rb");
    if (!probe)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no database at %s yet: call the ingest tool with some files first",
                          ctx->db_path);
    fclose(probe);
    return kg_sqlguard_query(ctx->db_path, json_string_value(json_object_get(args, "sql")), &o,
                             result, err);
}

const kg_tool kg_tool_read_query = {
    .name = "read_query",
    .title = "Read-only SQL query",
    .description =
        "Run ONE read-only SQL statement (SQLite dialect: SELECT or WITH ... SELECT) over the "
        "graph tables: documents, chunks (document_id, ordinal, page and character spans, "
        "text), chunks_fts (full-text, MATCH), mentions, entities, relationships, "
        "relation_evidence, operations. "
        "Read-only is enforced by the database (read-only connection and an authorizer): "
        "writes, ATTACH, transactions, most pragmas and file functions are refused. Use "
        "PRAGMA table_info(name) to see a table's columns. Results are capped at max_rows; "
        "'truncated' says when more rows existed.",
    .input_schema =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"sql\"],"
        "\"properties\":{\"sql\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":100000,"
        "\"description\":\"one SELECT statement\"},"
        "\"max_rows\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10000,\"default\":100,"
        "\"description\":\"rows returned at most\"}}}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"columns\",\"rows\",\"row_count\",\"truncated\"],"
        "\"properties\":{\"columns\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        "\"rows\":{\"type\":\"array\",\"items\":{\"type\":\"array\"}},"
        "\"row_count\":{\"type\":\"integer\"},\"truncated\":{\"type\":\"boolean\"},"
        "\"ms\":{\"type\":\"number\"}}}",
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"sql\": \"SELECT count(*) AS n FROM documents\", \"max_rows\": 10}",
};
