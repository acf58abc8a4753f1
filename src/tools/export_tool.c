/* export_tool: see export_tool.h. */
#include "tools/export_tool.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

/* Type names are stored upper case; accept any case from the caller.  The
 * copies live in `store` (freed by the caller). */
static const char **upper_list(json_t *arr, size_t *n, char ***store)
{
    *n = json_array_size(arr);
    if (!*n)
        return NULL;
    const char **v = kg_xcalloc(*n, sizeof *v);
    *store = kg_xcalloc(*n, sizeof **store);
    for (size_t i = 0; i < *n; i++) {
        char *s = kg_xstrdup(json_string_value(json_array_get(arr, i)));
        for (char *p = s; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        (*store)[i] = s;
        v[i] = s;
    }
    return v;
}

static void free_list(char **store, size_t n)
{
    for (size_t i = 0; store && i < n; i++)
        free(store[i]);
    free(store);
}

int kg_export_tool_run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_export_opts o;
    memset(&o, 0, sizeof o);
    o.cancel = ctx->cancel;
    if (kg_export_format_parse(json_string_value(json_object_get(args, "format")), &o.format, err))
        return err->code;
    json_t *v;
    if ((v = json_object_get(args, "min_confidence")))
        o.filter.min_confidence = json_number_value(v);
    if ((v = json_object_get(args, "limit")))
        o.filter.limit = json_integer_value(v);
    char **et = NULL, **rt = NULL;
    const char **ev = upper_list(json_object_get(args, "entity_types"), &o.filter.n_entity_types,
                                 &et);
    const char **rv = upper_list(json_object_get(args, "relation_types"),
                                 &o.filter.n_relation_types, &rt);
    o.filter.entity_types = ev;
    o.filter.relation_types = rv;
    const char *out_path = json_string_value(json_object_get(args, "output_path"));

    kg_store *s = NULL;
    kg_export_target *t = NULL;
    kg_export_mem mem;
    memset(&mem, 0, sizeof mem);
    kg_export_sink sink;
    kg_export_stats st;
    memset(&st, 0, sizeof st);
    int rc = kg_tool_open_store(ctx, 1, &s, err);
    if (!rc && out_path) {
        rc = kg_export_target_open(ctx->policy, out_path, o.format, &t, err);
        if (!rc)
            kg_export_target_sink(t, &sink);
    } else if (!rc) {
        kg_export_mem_sink(&mem, KG_EXPORT_INLINE_MAX, &sink);
    }
    if (!rc)
        rc = kg_export_run(s, &o, &sink, &st, err);
    if (!rc) {
        json_t *files = json_array();
        if (t) {
            for (size_t i = 0; i < kg_export_target_count(t); i++) {
                const char *p = kg_export_target_path(t, i), *slash = strrchr(p, '/');
                json_array_append_new(
                    files, json_pack("{s:s, s:s}", "name", slash ? slash + 1 : p, "path", p));
            }
        } else {
            for (size_t i = 0; i < mem.n; i++) {
                json_t *text = json_stringn(kg_buf_str(&mem.texts[i]), mem.texts[i].len);
                json_array_append_new(files,
                                      json_pack("{s:s, s:o*}", "name", mem.names[i], "text", text));
            }
        }
        *result = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "format",
                            kg_export_format_name(o.format), "nodes", (json_int_t)st.nodes, "edges",
                            (json_int_t)st.edges, "documents", (json_int_t)st.documents, "bytes",
                            (json_int_t)st.bytes, "files", files);
    }
    kg_export_mem_free(&mem);
    kg_export_target_free(t);
    kg_store_close(s);
    free(ev);
    free(rv);
    free_list(et, o.filter.n_entity_types);
    free_list(rt, o.filter.n_relation_types);
    return rc;
}

static void set_formats(json_t *input_schema, kg_export_group group)
{
    json_t *names = json_array();
    for (size_t f = 0; f < kg_export_format_count(); f++)
        if (kg_export_format_group((kg_export_format)f) == group)
            json_array_append_new(names, json_string(kg_export_format_name((kg_export_format)f)));
    json_t *format = json_object_get(json_object_get(input_schema, "properties"), "format");
    json_object_set_new(format, "enum", names);
}

void kg_export_tool_table_formats(json_t *input_schema)
{
    set_formats(input_schema, KG_EXPORT_GROUP_TABLE);
}

void kg_export_tool_multi_formats(json_t *input_schema)
{
    set_formats(input_schema, KG_EXPORT_GROUP_MULTI);
}
