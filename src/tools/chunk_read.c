/* chunk_read: see chunk_read.h. */
#include "tools/chunk_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* The chunk's text, document and start offset, from a read-only store
 * handle (which cannot write whatever the id holds). */
int kg_tool_read_chunk(const kg_tool_ctx *ctx, const char *id, char **text, size_t *len,
                       char doc[KG_ID_MAX], long long *start, kg_err *err)
{
    FILE *probe = fopen(ctx->db_path, "rb");
    if (!probe)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no database at %s yet: call the ingest tool with some files first",
                          ctx->db_path);
    fclose(probe);
    kg_store *s = NULL;
    int rc = kg_tool_open_store(ctx, 1, &s, err);
    if (rc != KG_OK)
        return rc;
    kg_chunk_row c;
    int found = 0;
    rc = kg_store_chunk_get(s, id, &c, &found, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    if (!found)
        return kg_err_set(err, KG_ENOTFOUND,
                          "argument 'chunk_id': no chunk %s (list some with read_query "
                          "\"SELECT id, document_id, ordinal FROM chunks LIMIT 20\")",
                          id);
    snprintf(doc, KG_ID_MAX, "%s", c.doc_id);
    *start = c.char_start;
    *len = c.len;
    *text = c.text ? c.text : kg_xcalloc(1, 1); /* the caller frees it */
    c.text = NULL;
    kg_chunk_row_clear(&c);
    return KG_OK;
}
