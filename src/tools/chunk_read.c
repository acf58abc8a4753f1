/* chunk_read: see chunk_read.h. */
#include "tools/chunk_read.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The chunk's text, document and start offset, through a read-only
 * connection of its own (the store interface has no chunk lookup; a
 * read-only handle cannot write whatever the id holds). */
int kg_tool_read_chunk(const kg_tool_ctx *ctx, const char *id, char **text, size_t *len,
                       char doc[KG_ID_MAX], long long *start, kg_err *err)
{
    FILE *probe = fopen(ctx->db_path, "rb");
    if (!probe)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no database at %s yet: call the ingest tool with some files first",
                          ctx->db_path);
    fclose(probe);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(ctx->db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kg_err_set(err, KG_EDB, "cannot open %s: %s", ctx->db_path,
                   db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return KG_EDB;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    int rc = KG_OK;
    if (sqlite3_prepare_v2(db, "SELECT document_id, char_start, text FROM chunks WHERE id = ?", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = kg_err_set(err, KG_EDB, "reading chunk %s: %s", id, sqlite3_errmsg(db));
    } else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 0);
            snprintf(doc, KG_ID_MAX, "%s", d ? d : "");
            *start = sqlite3_column_int64(st, 1);
            const char *t = (const char *)sqlite3_column_text(st, 2);
            *len = (size_t)sqlite3_column_bytes(st, 2);
            *text = kg_xcalloc(*len + 1, 1);
            if (t)
                memcpy(*text, t, *len);
        } else {
            rc = kg_err_set(err, KG_ENOTFOUND,
                            "argument 'chunk_id': no chunk %s (list some with read_query "
                            "\"SELECT id, document_id, ordinal FROM chunks LIMIT 20\")",
                            id);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
