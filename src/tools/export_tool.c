/* export_tool: see export_tool.h.
 *
 * An inline export is run into a sink that keeps the text while the export
 * stays within KG_EXPORT_INLINE_LINK bytes and only counts past it: a large
 * graph then costs the tool no memory, and its result is links
 * (kgas://export/FORMAT/FILE?ARGS, which resources/read turns back into the
 * export, run again on the database as it is then) and a summary. */
#include "tools/export_tool.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "tools/schema.h"

/* ---- arguments ------------------------------------------------------------- */

typedef struct exp_args {
    kg_export_opts o;
    char **et, **rt; /* upper-cased copies */
    const char *out_path;
} exp_args;

/* Type names are stored upper case; accept any case from the caller. */
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

static int args_parse(const json_t *args, exp_args *a, kg_err *err)
{
    memset(a, 0, sizeof *a);
    if (kg_export_format_parse(json_string_value(json_object_get(args, "format")), &a->o.format,
                               err))
        return err->code;
    json_t *v;
    if ((v = json_object_get(args, "min_confidence")))
        a->o.filter.min_confidence = json_number_value(v);
    if ((v = json_object_get(args, "limit")))
        a->o.filter.limit = json_integer_value(v);
    a->o.filter.entity_types = upper_list(json_object_get(args, "entity_types"),
                                          &a->o.filter.n_entity_types, &a->et);
    a->o.filter.relation_types = upper_list(json_object_get(args, "relation_types"),
                                            &a->o.filter.n_relation_types, &a->rt);
    a->out_path = json_string_value(json_object_get(args, "output_path"));
    return KG_OK;
}

static void args_free(exp_args *a)
{
    free((void *)a->o.filter.entity_types);
    free((void *)a->o.filter.relation_types);
    free_list(a->et, a->o.filter.n_entity_types);
    free_list(a->rt, a->o.filter.n_relation_types);
}

/* ---- an inline export: kept while small, counted past that ------------------ */

#define MAX_FILES 4

typedef struct keep_sink {
    size_t keep, total, n;
    int over;
    char *names[MAX_FILES];
    size_t sizes[MAX_FILES];
    kg_buf texts[MAX_FILES];
} keep_sink;

static int keep_open(void *ud, const char *name, kg_err *err)
{
    keep_sink *k = ud;
    if (k->n == MAX_FILES)
        return kg_err_set(err, KG_EINVAL, "too many export files");
    k->names[k->n++] = kg_xstrdup(name);
    return KG_OK;
}

static int keep_write(void *ud, const void *data, size_t len, kg_err *err)
{
    (void)err;
    keep_sink *k = ud;
    k->total += len;
    k->sizes[k->n - 1] += len;
    if (!k->over && k->total > k->keep) {
        k->over = 1; /* too big to return: from now on only counted */
        for (size_t i = 0; i < MAX_FILES; i++)
            kg_buf_free(&k->texts[i]);
    }
    if (!k->over)
        kg_buf_append(&k->texts[k->n - 1], data, len);
    return KG_OK;
}

static int keep_close(void *ud, kg_err *err)
{
    (void)ud;
    (void)err;
    return KG_OK;
}

static void keep_free(keep_sink *k)
{
    for (size_t i = 0; i < MAX_FILES; i++) {
        free(k->names[i]);
        kg_buf_free(&k->texts[i]);
    }
}

static int run_export(const kg_tool_ctx *ctx, exp_args *a, kg_export_target *t, keep_sink *k,
                      kg_export_stats *st, kg_err *err)
{
    kg_export_sink sink;
    if (t)
        kg_export_target_sink(t, &sink);
    else
        sink = (kg_export_sink){keep_open, keep_write, keep_close, k};
    kg_store *s = NULL;
    int rc = kg_tool_open_store(ctx, 1, &s, err);
    a->o.cancel = ctx->cancel;
    if (!rc)
        rc = kg_export_run(s, &a->o, &sink, st, err);
    kg_store_close(s);
    return rc;
}

/* ---- links ------------------------------------------------------------------- */

static const char *mime_of(kg_export_format f)
{
    switch (f) {
    case KG_EXPORT_CSV:
    case KG_EXPORT_NEO4J: return "text/csv";
    case KG_EXPORT_JSON: return "application/json";
    case KG_EXPORT_GRAPHML: return "application/graphml+xml";
    case KG_EXPORT_LATEX: return "application/x-latex";
    case KG_EXPORT_BIBTEX: return "application/x-bibtex";
    case KG_EXPORT_MARKDOWN: return "text/markdown";
    default: return "text/plain";
    }
}

static void join(kg_buf *b, const char *key, const char *const *v, size_t n)
{
    if (!n)
        return;
    kg_buf_printf(b, "%c%s=", strchr(kg_buf_str(b), '?') ? '&' : '?', key);
    for (size_t i = 0; i < n; i++)
        kg_buf_printf(b, "%s%s", i ? "," : "", v[i]);
}

/* kgas://export/FORMAT/FILE with the filters that differ from the defaults.
 * Type names are [A-Z0-9_] (the schemas say at most 64 characters; the
 * store's names are such), so nothing needs escaping. */
static char *export_uri(const exp_args *a, const char *file)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%s%s/%s", KG_EXPORT_URI_PREFIX, kg_export_format_name(a->o.format), file);
    if (a->o.filter.limit > 0)
        kg_buf_printf(&b, "?limit=%lld", (long long)a->o.filter.limit);
    if (a->o.filter.min_confidence > 0)
        kg_buf_printf(&b, "%cmin_confidence=%.15g", strchr(kg_buf_str(&b), '?') ? '&' : '?',
                      a->o.filter.min_confidence);
    join(&b, "entity_types", a->o.filter.entity_types, a->o.filter.n_entity_types);
    join(&b, "relation_types", a->o.filter.relation_types, a->o.filter.n_relation_types);
    return kg_buf_steal(&b);
}

/* The files of an export too large to return: links, in the result and as
 * resource_link content for clients that take it. */
static json_t *linked_files(const kg_tool_ctx *ctx, const exp_args *a, const keep_sink *k,
                            json_t *content)
{
    json_t *files = json_array();
    for (size_t i = 0; i < k->n; i++) {
        char *uri = export_uri(a, k->names[i]);
        json_array_append_new(files, json_pack("{s:s, s:s, s:I, s:s}", "name", k->names[i], "uri",
                                               uri, "bytes", (json_int_t)k->sizes[i], "mimeType",
                                               mime_of(a->o.format)));
        if (ctx->resource_links)
            json_array_append_new(content,
                                  json_pack("{s:s, s:s, s:s, s:s, s:I}", "type", "resource_link",
                                            "uri", uri, "name", k->names[i], "mimeType",
                                            mime_of(a->o.format), "size", (json_int_t)k->sizes[i]));
        free(uri);
    }
    return files;
}

/* ---- the tools --------------------------------------------------------------- */

static json_t *summary(const exp_args *a, const kg_export_stats *st, const char *where, int over)
{
    char s[600];
    int n = snprintf(s, sizeof s, "%s export: %lld nodes, %lld edges, %lld bytes",
                     kg_export_format_name(a->o.format), (long long)st->nodes, (long long)st->edges,
                     (long long)st->bytes);
    if (where)
        snprintf(s + n, sizeof s - (size_t)n, ", written to %s", where);
    else if (over)
        snprintf(s + n, sizeof s - (size_t)n,
                 ": more than %d bytes, so not returned inline. Read it with resources/read on "
                 "each file's uri, or call again with output_path to write it to a file",
                 KG_EXPORT_INLINE_LINK);
    return json_string(s);
}

int kg_export_tool_run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    exp_args a;
    if (args_parse(args, &a, err) != KG_OK)
        return err->code;
    kg_export_target *t = NULL;
    keep_sink k;
    memset(&k, 0, sizeof k);
    k.keep = KG_EXPORT_INLINE_LINK;
    kg_export_stats st;
    memset(&st, 0, sizeof st);
    int rc = a.out_path ? kg_export_target_open(ctx->policy, a.out_path, a.o.format, &t, err)
                        : KG_OK;
    if (!rc)
        rc = run_export(ctx, &a, t, &k, &st, err);
    if (!rc) {
        json_t *files = json_array(), *content = json_array();
        for (size_t i = 0; t && i < kg_export_target_count(t); i++) {
            const char *p = kg_export_target_path(t, i), *slash = strrchr(p, '/');
            json_array_append_new(
                files, json_pack("{s:s, s:s}", "name", slash ? slash + 1 : p, "path", p));
        }
        if (!t && k.over) {
            json_decref(files);
            files = linked_files(ctx, &a, &k, content);
        }
        for (size_t i = 0; !t && !k.over && i < k.n; i++)
            json_array_append_new(files, json_pack("{s:s, s:s%}", "name", k.names[i], "text",
                                                   kg_buf_str(&k.texts[i]), k.texts[i].len));
        const char *where = t && kg_export_target_count(t) ? kg_export_target_path(t, 0) : NULL;
        *result = json_pack("{s:s, s:I, s:I, s:I, s:I, s:b, s:o, s:o}", "format",
                            kg_export_format_name(a.o.format), "nodes", (json_int_t)st.nodes,
                            "edges", (json_int_t)st.edges, "documents", (json_int_t)st.documents,
                            "bytes", (json_int_t)st.bytes, "inline", !t && !k.over, "summary",
                            summary(&a, &st, where, k.over), "files", files);
        if (json_array_size(content))
            json_object_set_new(*result, KG_TOOL_EXTRA_CONTENT, content);
        else
            json_decref(content);
    }
    keep_free(&k);
    kg_export_target_free(t);
    args_free(&a);
    return rc;
}

/* ---- reading a link ------------------------------------------------------------ */

/* kgas://export/FORMAT/FILE?k=v&... as the tool's arguments. */
static json_t *uri_args(const char *uri, char *file, size_t cap)
{
    const char *p = uri + strlen(KG_EXPORT_URI_PREFIX);
    const char *slash = strchr(p, '/');
    if (!slash)
        return NULL;
    const char *q = strchr(slash, '?');
    size_t flen = q ? (size_t)(q - slash - 1) : strlen(slash + 1);
    if (flen == 0 || flen >= cap)
        return NULL;
    memcpy(file, slash + 1, flen);
    file[flen] = '\0';
    json_t *args = json_pack("{s:s%}", "format", p, (size_t)(slash - p));
    for (const char *kv = q ? q + 1 : NULL; kv && *kv;) {
        const char *amp = strchr(kv, '&'), *eq = strchr(kv, '=');
        const char *end = amp ? amp : kv + strlen(kv);
        if (!eq || eq > end) {
            json_decref(args);
            return NULL;
        }
        char key[32], val[4096];
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        snprintf(val, sizeof val, "%.*s", (int)(end - eq - 1), eq + 1);
        json_t *v = NULL;
        if (strcmp(key, "limit") == 0)
            v = json_integer(strtoll(val, NULL, 10));
        else if (strcmp(key, "min_confidence") == 0)
            v = json_real(strtod(val, NULL));
        else if (strcmp(key, "entity_types") == 0 || strcmp(key, "relation_types") == 0) {
            v = json_array();
            for (char *save = NULL, *tok = strtok_r(val, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save))
                json_array_append_new(v, json_string(tok));
        }
        if (!v) {
            json_decref(args);
            return NULL;
        }
        json_object_set_new(args, key, v);
        kv = amp ? amp + 1 : end;
    }
    return args;
}

int kg_export_tool_read(const kg_tool_ctx *ctx, const char *uri, json_t **result, kg_err *err)
{
    char file[256];
    json_t *args = uri_args(uri, file, sizeof file);
    if (!args)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no resource %.200s (export links read kgas://export/FORMAT/FILE?ARGS)",
                          uri);
    /* The arguments the tool for that format would take, checked by its schema. */
    kg_export_format f;
    const char *fmt = json_string_value(json_object_get(args, "format"));
    int rc = kg_export_format_parse(fmt, &f, err);
    const kg_tool *tool = kg_tools_find(
        f == KG_EXPORT_CSV || f == KG_EXPORT_JSON ? "export_graph_table" : "export_multi_format");
    if (!rc && kg_schema_validate(kg_tool_input_schema(tool), args, err) != 0)
        rc = KG_EINVAL;
    exp_args a;
    memset(&a, 0, sizeof a);
    if (!rc)
        rc = args_parse(args, &a, err);
    json_decref(args);
    keep_sink k;
    memset(&k, 0, sizeof k);
    k.keep = KG_EXPORT_READ_MAX;
    kg_export_stats st;
    if (!rc)
        rc = run_export(ctx, &a, NULL, &k, &st, err);
    if (!rc && k.over)
        rc = kg_err_set(err, KG_ETOOBIG,
                        "%.200s: the export is larger than %d bytes: call the tool with "
                        "output_path to write it to a file",
                        uri, KG_EXPORT_READ_MAX);
    size_t i = 0;
    while (!rc && i < k.n && strcmp(k.names[i], file) != 0)
        i++;
    if (!rc && i == k.n)
        rc = kg_err_set(err, KG_ENOTFOUND, "no file %s in a %s export", file,
                        kg_export_format_name(a.o.format));
    if (!rc)
        *result = json_pack("{s:[{s:s, s:s, s:s%}]}", "contents", "uri", uri, "mimeType",
                            mime_of(a.o.format), "text", kg_buf_str(&k.texts[i]), k.texts[i].len);
    keep_free(&k);
    args_free(&a);
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
