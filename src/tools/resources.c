/* resources: see resources.h.  Queries go through a read-only connection of
 * their own, as read_query's do, so nothing here can write. */
#include "tools/resources.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "graphops/graph_query.h"
#include "store/store.h"
#include "tools/export_tool.h"

#define DOC_PREFIX "kgas://document/"
#define ENT_PREFIX "kgas://entity/"

static int open_ro(const kg_tool_ctx *ctx, sqlite3 **db, kg_err *err)
{
    *db = NULL;
    struct stat sb;
    if (stat(ctx->db_path, &sb) != 0)
        return 1; /* no database: nothing to list */
    if (sqlite3_open_v2(ctx->db_path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kg_err_set(err, KG_EDB, "cannot open %s: %s", ctx->db_path,
                   *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return -1;
    }
    sqlite3_busy_timeout(*db, 5000);
    return 0;
}

static json_t *col_str(sqlite3_stmt *st, int c)
{
    const unsigned char *s = sqlite3_column_text(st, c);
    json_t *j = s ? json_stringn((const char *)s, (size_t)sqlite3_column_bytes(st, c)) : NULL;
    return j ? j : json_string("");
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
    json_t *list = json_array();
    sqlite3 *db;
    int o = open_ro(ctx, &db, err);
    if (o < 0) {
        json_decref(list);
        return err->code;
    }
    int more = 0;
    if (o == 0) {
        sqlite3_stmt *st = NULL;
        const char *sql =
            "SELECT 0, id, coalesce(title, path), kind || ', ' || pages || ' pages, ' || chunks "
            "|| ' chunks: ' || path FROM documents "
            "UNION ALL SELECT 1, id, name, type || ', ' || mentions || ' mentions' FROM entities "
            "ORDER BY 1, 2 LIMIT ? OFFSET ?";
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            kg_err_set(err, KG_EDB, "listing resources: %s", sqlite3_errmsg(db));
            sqlite3_close(db);
            json_decref(list);
            return KG_EDB;
        }
        sqlite3_bind_int(st, 1, KG_RESOURCES_PAGE + 1);
        sqlite3_bind_int64(st, 2, offset);
        int n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (n++ == KG_RESOURCES_PAGE) {
                more = 1;
                break;
            }
            int ent = sqlite3_column_int(st, 0);
            char uri[256];
            snprintf(uri, sizeof uri, "%s%s", ent ? ENT_PREFIX : DOC_PREFIX,
                     (const char *)sqlite3_column_text(st, 1));
            json_t *r = json_object();
            json_object_set_new(r, "uri", json_string(uri));
            json_object_set_new(r, "name", col_str(st, 2));
            json_object_set_new(r, "description", col_str(st, 3));
            json_object_set_new(r, "mimeType",
                                json_string(ent ? "application/json" : "text/plain"));
            json_array_append_new(list, r);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    *result = json_pack("{s:o}", "resources", list);
    if (more) {
        char next[32];
        snprintf(next, sizeof next, "o%lld", offset + KG_RESOURCES_PAGE);
        json_object_set_new(*result, "nextCursor", json_string(next));
    }
    return KG_OK;
}

static int read_document(sqlite3 *db, const char *uri, const char *id, json_t **result, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT path, coalesce(title,''), kind, pages, chars FROM documents "
                       "WHERE id = ?",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return kg_err_set(err, KG_ENOTFOUND, "no document %s", id);
    }
    kg_buf text = KG_BUF_INIT;
    kg_buf_printf(&text, "title: %s\npath: %s\nkind: %s\npages: %d\n\n",
                  (const char *)sqlite3_column_text(st, 1),
                  (const char *)sqlite3_column_text(st, 0),
                  (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3));
    sqlite3_finalize(st);
    /* Chunks overlap: append each chunk's bytes past the end already written. */
    sqlite3_prepare_v2(db,
                       "SELECT char_start, char_end, text FROM chunks WHERE document_id = ? "
                       "ORDER BY ordinal",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    long long done = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long s = sqlite3_column_int64(st, 0), e = sqlite3_column_int64(st, 1);
        const char *t = (const char *)sqlite3_column_text(st, 2);
        long long tl = sqlite3_column_bytes(st, 2);
        if (e <= done || !t)
            continue;
        long long skip = done > s ? done - s : 0;
        if (skip < tl)
            kg_buf_append(&text, t + skip, (size_t)(tl - skip));
        done = e;
    }
    sqlite3_finalize(st);
    json_t *jt = json_stringn(text.data ? text.data : "", text.len);
    kg_buf_free(&text);
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
    sqlite3 *db;
    int o = open_ro(ctx, &db, err);
    if (o < 0)
        return err->code;
    if (o > 0)
        return kg_err_set(err, KG_ENOTFOUND, "no resource %.200s: the database is empty", uri);
    int rc = read_document(db, uri, id, result, err);
    sqlite3_close(db);
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
