/* resources: see resources.h.  Reads go through a read-only store handle,
 * so nothing here can write. */
#include "tools/resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graphops/graph_query.h"
#include "store/store.h"
#include "tools/export_tool.h"

#define DOC_PREFIX "kgas://document/"
#define ENT_PREFIX "kgas://entity/"

/* A read-only handle, or 1 when there is no database yet (nothing to
 * list), or -1 with err set. */
static int open_ro(const kg_tool_ctx *ctx, kg_store **s, kg_err *err)
{
    *s = NULL;
    if (!kg_store_exists(ctx->db_path))
        return 1;
    return kg_tool_open_store(ctx, 1, s, err) == KG_OK ? 0 : -1;
}

/* jansson refuses invalid UTF-8: such a name is listed as "". */
static json_t *str_or_empty(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("");
}

typedef struct listing {
    json_t *list;
    int n, more;
} listing;

static int on_item(void *ud, const kg_catalog_row *c)
{
    listing *l = ud;
    if (l->n++ == KG_RESOURCES_PAGE) {
        l->more = 1;
        return 1;
    }
    char uri[256];
    snprintf(uri, sizeof uri, "%s%s", c->entity ? ENT_PREFIX : DOC_PREFIX, c->id);
    kg_buf d = KG_BUF_INIT;
    if (c->entity)
        kg_buf_printf(&d, "%s, %lld mentions", c->type, (long long)c->mentions);
    else
        kg_buf_printf(&d, "%s, %lld pages, %lld chunks: %s", c->kind, (long long)c->pages,
                      (long long)c->chunks, c->path);
    json_t *r = json_object();
    json_object_set_new(r, "uri", json_string(uri));
    json_object_set_new(r, "name", str_or_empty(c->name));
    json_object_set_new(r, "description", str_or_empty(d.data ? d.data : ""));
    json_object_set_new(r, "mimeType", json_string(c->entity ? "application/json" : "text/plain"));
    json_array_append_new(l->list, r);
    kg_buf_free(&d);
    return 0;
}

int kg_resources_list(const kg_tool_ctx *ctx, const char *cursor, json_t **result, kg_err *err)
{
    *result = NULL;
    long long offset = 0;
    if (cursor) {
        char *end = NULL;
        if (cursor[0] != 'o' || (offset = strtoll(cursor + 1, &end, 10)) < 0 || !end || *end)
            return kg_err_set(err, KG_EINVAL, "cursor '%.40s' is not one this server issued",
                              cursor);
    }
    listing l = {json_array(), 0, 0};
    kg_store *s;
    int o = open_ro(ctx, &s, err);
    if (o < 0) {
        json_decref(l.list);
        return err->code;
    }
    if (o == 0) {
        int rc = kg_store_catalog(s, offset, KG_RESOURCES_PAGE + 1, on_item, &l, err);
        kg_store_close(s);
        if (rc < 0) {
            json_decref(l.list);
            return kg_err_prefix(err, "listing resources");
        }
    }
    *result = json_pack("{s:o}", "resources", l.list);
    if (l.more) {
        char next[32];
        snprintf(next, sizeof next, "o%lld", offset + KG_RESOURCES_PAGE);
        json_object_set_new(*result, "nextCursor", json_string(next));
    }
    return KG_OK;
}

/* Chunks overlap: append each chunk's bytes past the end already written. */
typedef struct doc_text {
    kg_buf text;
    long long done;
} doc_text;

static int on_chunk(void *ud, const kg_chunk_row *c)
{
    doc_text *d = ud;
    long long s = c->char_start, e = c->char_end, tl = (long long)c->len;
    if (e <= d->done)
        return 0;
    long long skip = d->done > s ? d->done - s : 0;
    if (skip < tl)
        kg_buf_append(&d->text, c->text + skip, (size_t)(tl - skip));
    d->done = e;
    return 0;
}

static int read_document(kg_store *s, const char *uri, const char *id, json_t **result, kg_err *err)
{
    kg_doc_row *doc = NULL;
    int rc = kg_store_doc_get(s, id, &doc, err);
    if (rc)
        return rc;
    if (!doc)
        return kg_err_set(err, KG_ENOTFOUND, "no document %s", id);
    doc_text d = {KG_BUF_INIT, 0};
    kg_buf_printf(&d.text, "title: %s\npath: %s\nkind: %s\npages: %d\n\n", doc->title, doc->path,
                  doc->kind, doc->pages);
    kg_doc_rows_free(doc, 1);
    rc = kg_store_doc_chunks(s, id, on_chunk, &d, err);
    if (rc) {
        kg_buf_free(&d.text);
        return rc;
    }
    json_t *jt = json_stringn(d.text.data ? d.text.data : "", d.text.len);
    kg_buf_free(&d.text);
    *result = json_pack("{s:[{s:s, s:s, s:o}]}", "contents", "uri", uri, "mimeType", "text/plain",
                        "text", jt ? jt : json_string(""));
    return KG_OK;
}

/* The entity as get_entity_details shows it (one shape for both), with up
 * to 50 mentions; only ids name entity resources, never names. */
static int read_entity(const kg_tool_ctx *ctx, const char *uri, const char *id, json_t **result,
                       kg_err *err)
{
    if (strncmp(id, "ent_", 4) != 0)
        return kg_err_set(err, KG_ENOTFOUND, "no entity %.100s (entity ids start with ent_)", id);
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    json_t *e = NULL;
    int rc = kg_graph_entity_json(s, id, 50, &e, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc == KG_ENOTFOUND ? kg_err_set(err, KG_ENOTFOUND, "no entity %.100s", id) : rc;
    char *text = json_dumps(e, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(e);
    *result = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType",
                        "application/json", "text", text ? text : "{}");
    free(text);
    return KG_OK;
}

int kg_resources_read(const kg_tool_ctx *ctx, const char *uri, json_t **result, kg_err *err)
{
    *result = NULL;
    if (strncmp(uri, KG_EXPORT_URI_PREFIX, strlen(KG_EXPORT_URI_PREFIX)) == 0)
        return kg_export_tool_read(ctx, uri, result, err);
    int doc = strncmp(uri, DOC_PREFIX, strlen(DOC_PREFIX)) == 0;
    int ent = strncmp(uri, ENT_PREFIX, strlen(ENT_PREFIX)) == 0;
    if (!doc && !ent)
        return kg_err_set(err, KG_ENOTFOUND,
                          "unknown resource %.200s (kgas serves kgas://document/{id}, "
                          "kgas://entity/{id} and the links of large exports, "
                          "kgas://export/{format}/{file})",
                          uri);
    const char *id = uri + strlen(doc ? DOC_PREFIX : ENT_PREFIX);
    if (ent)
        return read_entity(ctx, uri, id, result, err);
    kg_store *s;
    int o = open_ro(ctx, &s, err);
    if (o < 0)
        return err->code;
    if (o > 0)
        return kg_err_set(err, KG_ENOTFOUND, "no resource %.200s: the database is empty", uri);
    int rc = read_document(s, uri, id, result, err);
    kg_store_close(s);
    return rc;
}

json_t *kg_resources_templates(void)
{
    return json_pack(
        "{s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "resourceTemplates",
        "uriTemplate", DOC_PREFIX "{id}", "name", "document", "description",
        "a stored document's text (id from resources/list or read_query on documents)", "mimeType",
        "text/plain", "uriTemplate", ENT_PREFIX "{id}", "name", "entity", "description",
        "an entity with its type, rank, aliases and mentions", "mimeType", "application/json",
        "uriTemplate",
        KG_EXPORT_URI_PREFIX "{format}/{file}{?limit,min_confidence,entity_types,relation_types}",
        "name", "export", "description",
        "an export of the graph too large to return inline (export_graph_table, "
        "export_multi_format), made again from the database as it is when read");
}
