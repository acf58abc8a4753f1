/* tool_chunk: `chunk_text`: split a stored document (re-read from its file)
 * or a given text into overlapping token windows with byte spans, using the
 * same chunker as ingest, so a model can preview the effect of settings. */
#include <string.h>

#include "store/store.h"
#include "text/chunk.h"
#include "text/load.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

#define MAX_CHUNKS_RETURNED 1000

typedef struct chunk_state {
    json_t *chunks;
    int total;
    volatile int *cancel;
} chunk_state;

static int on_chunk(void *ud, const kg_chunk_out *c)
{
    chunk_state *st = ud;
    st->total++;
    if (json_array_size(st->chunks) < MAX_CHUNKS_RETURNED) {
        json_t *text = json_stringn(c->text, c->len);
        json_array_append_new(
            st->chunks, json_pack("{s:i, s:I, s:I, s:i, s:i, s:i, s:o}", "ordinal", c->ordinal,
                                  "start", (json_int_t)c->start, "end", (json_int_t)c->end,
                                  "page_start", c->page_start, "page_end", c->page_end, "tokens",
                                  c->tokens, "text", text ? text : json_string("")));
    }
    return st->cancel && *st->cancel;
}

static int feed_text(void *ud, int page, const char *s, size_t len)
{
    return kg_chunker_feed(ud, s, len, page);
}

static int feed_section(void *ud, const char *title)
{
    kg_chunker_section(ud, title);
    return 0;
}

static int find_doc_path(kg_tool_ctx *ctx, const char *id, char **path, kg_err *err)
{
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    kg_doc_row *rows = NULL;
    size_t n = 0;
    int rc = kg_store_doc_list(s, &rows, &n, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    *path = NULL;
    for (size_t i = 0; i < n && !*path; i++)
        if (strcmp(rows[i].id, id) == 0)
            *path = kg_xstrdup(rows[i].path);
    kg_doc_rows_free(rows, n);
    if (!*path)
        return kg_err_set(err, KG_ENOTFOUND,
                          "argument 'document_id': no document %s (list them with read_query "
                          "\"SELECT id, title FROM documents\")",
                          id);
    return KG_OK;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jid = json_object_get(args, "document_id"), *jtext = json_object_get(args, "text");
    if ((jid != NULL) == (jtext != NULL))
        return kg_err_set(err, KG_EINVAL, "arguments: give exactly one of 'document_id' or 'text'");
    kg_chunk_opts o;
    o.chunk_size = (int)json_integer_value(json_object_get(args, "chunk_size"));
    json_t *jo = json_object_get(args, "overlap");
    o.overlap = jo ? (int)json_integer_value(jo) : (o.chunk_size / 2 < 50 ? o.chunk_size / 2 : 50);
    if (o.overlap * 2 > o.chunk_size)
        return kg_err_set(err, KG_EINVAL,
                          "argument 'overlap': %d is more than half of chunk_size %d", o.overlap,
                          o.chunk_size);
    chunk_state st = {json_array(), 0, ctx->cancel};
    kg_chunker *ch = kg_chunker_new(&o, on_chunk, &st);
    int rc = KG_OK;
    if (jtext) {
        kg_chunker_feed(ch, json_string_value(jtext), json_string_length(jtext), 1);
    } else {
        char *path = NULL;
        rc = find_doc_path(ctx, json_string_value(jid), &path, err);
        if (rc == KG_OK) {
            kg_load_sink sink = {feed_text, feed_section, ch, NULL};
            kg_load_info info;
            memset(&info, 0, sizeof info);
            rc = kg_load_file(ctx->policy, path, kg_doc_kind_for_path(path), &sink, &info, err);
            kg_load_info_free(&info);
            free(path);
        }
    }
    if (rc == KG_OK)
        kg_chunker_finish(ch);
    kg_chunker_free(ch);
    if (rc == KG_OK && ctx->cancel && *ctx->cancel)
        rc = kg_err_set(err, KG_ECANCELED, "chunk_text: cancelled");
    if (rc != KG_OK) {
        json_decref(st.chunks);
        return rc;
    }
    *result = json_pack("{s:i, s:b, s:o}", "chunk_count", st.total, "truncated",
                        st.total > MAX_CHUNKS_RETURNED, "chunks", st.chunks);
    return KG_OK;
}

const kg_tool kg_tool_chunk_text = {
    .name = "chunk_text",
    .title = "Chunk a document or text",
    .description =
        "Split text into overlapping windows of at most chunk_size tokens, ending at a "
        "sentence boundary where possible, with the next window starting 'overlap' tokens "
        "back. Give exactly one of document_id (a stored document, re-read from its file) or "
        "text. Each chunk has its ordinal, UTF-8 byte span [start, end) in the document text, "
        "pages and token count. Nothing is stored; at most 1000 chunks are returned.",
    .input_schema = kg_schema_chunk_text_in,
    .output_schema = kg_schema_chunk_text_out,
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"text\": \"Alan Turing worked at Bletchley Park. He later moved to "
                   "Manchester. The Manchester Baby ran in 1948.\", \"chunk_size\": 16, "
                   "\"overlap\": 4}",
};
