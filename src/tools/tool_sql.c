/* tool_sql: `read_query`: one read-only SQL statement over the graph tables.
 * The guarantee is the store's (kg_store_query_readonly: the backend
 * enforces read-only its own way); this file is the tool contract and the
 * rows as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "store/store.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

/* jansson refuses invalid UTF-8; text columns may hold any bytes. */
static json_t *text_value(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j)
        return j;
    char *copy = kg_xstrndup(s, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)copy[i] >= 0x80)
            copy[i] = '?';
    j = json_stringn(copy, n);
    free(copy);
    return j ? j : json_string("");
}

typedef struct rows_out {
    json_t *cols, *rows;
    int max_rows, nrows, truncated, started;
} rows_out;

static int on_columns(void *ud, int n, const char *const *names)
{
    rows_out *o = ud;
    o->started = 1;
    for (int c = 0; c < n; c++)
        json_array_append_new(o->cols, text_value(names[c], strlen(names[c])));
    return 0;
}

static json_t *value_json(const kg_value *v)
{
    switch (v->type) {
    case KG_VALUE_INT: return json_integer(v->i);
    case KG_VALUE_REAL: return json_real(v->d);
    case KG_VALUE_TEXT: return text_value(v->text ? v->text : "", v->len);
    case KG_VALUE_BLOB: {
        char b[64];
        snprintf(b, sizeof b, "<blob of %zu bytes>", v->len);
        return json_string(b);
    }
    default: return json_null();
    }
}

static int on_row(void *ud, int n, const kg_value *v)
{
    rows_out *o = ud;
    if (o->nrows >= o->max_rows) {
        o->truncated = 1;
        return 1;
    }
    json_t *row = json_array();
    for (int c = 0; c < n; c++) {
        json_t *j = value_json(&v[c]);
        json_array_append_new(row, j ? j : json_null());
    }
    json_array_append_new(o->rows, row);
    o->nrows++;
    return 0;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_query_opts q;
    q.timeout_ms = ctx->cfg ? (int)kg_config_int(ctx->cfg, "mcp.query_timeout_ms") : 5000;
    q.cancel = ctx->cancel;
    if (!kg_store_exists(ctx->db_path))
        return kg_err_set(err, KG_ENOTFOUND,
                          "no database at %s yet: call the ingest tool with some files first",
                          ctx->db_path);
    rows_out o = {json_array(), json_array(), 0, 0, 0, 0};
    o.max_rows = (int)json_integer_value(json_object_get(args, "max_rows"));
    kg_query_sink sink = {on_columns, on_row, &o};
    double t0 = kg_now();
    int rc = kg_store_query_readonly(ctx->db_path, json_string_value(json_object_get(args, "sql")),
                                     &q, &sink, err);
    if (rc != KG_OK) {
        json_decref(o.cols);
        json_decref(o.rows);
        /* Say whose fault it is: the statement's, or the run's. */
        if (rc == KG_EINVAL || rc == KG_EDENIED)
            kg_err_prefix(err, "argument 'sql'");
        else if (o.started)
            kg_err_prefix(err, "read_query");
        return rc;
    }
    *result = json_pack("{s:o, s:o, s:i, s:b, s:f}", "columns", o.cols, "rows", o.rows, "row_count",
                        o.nrows, "truncated", o.truncated, "ms", (kg_now() - t0) * 1000.0);
    return KG_OK;
}

const kg_tool kg_tool_read_query = {
    .name = "read_query",
    .title = "Read-only SQL query",
    .description =
        "Run ONE read-only SQL statement (" KG_STORE_QUERY_DIALECT ") over the "
        "graph tables: documents, chunks (document_id, ordinal, page and character spans, "
        "text), chunks_fts (full-text, MATCH), mentions, entities, relationships, "
        "relation_evidence, operations. "
        "Read-only is enforced by the database (read-only connection and an authorizer): "
        "writes, ATTACH, transactions, most pragmas and file functions are refused. Use " KG_STORE_QUERY_COLUMNS_HINT
        ". Results are capped at max_rows; "
        "'truncated' says when more rows existed.",
    .input_schema = kg_schema_read_query_in,
    .output_schema = kg_schema_read_query_out,
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"sql\": \"SELECT count(*) AS n FROM documents\", \"max_rows\": 10}",
};
