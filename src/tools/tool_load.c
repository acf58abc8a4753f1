/* tool_load: `load_documents`: read files and report what a loader sees
 * (kind, title, pages, characters, a preview, warnings) without storing
 * anything; `ingest` is the tool that stores. */
#include <string.h>

#include "base/buf.h"
#include "text/load.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

#define PREVIEW_CHARS 400

typedef struct sink_state {
    kg_buf preview;
    uint64_t chars;
    volatile int *cancel;
} sink_state;

static int on_text(void *ud, int page, const char *s, size_t len)
{
    (void)page;
    sink_state *st = ud;
    st->chars += len;
    if (st->preview.len < PREVIEW_CHARS) {
        size_t take = PREVIEW_CHARS - st->preview.len;
        if (take > len)
            take = len;
        /* Do not cut a UTF-8 sequence in half. */
        while (take < len && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
        kg_buf_append(&st->preview, s, take);
    }
    return st->cancel && *st->cancel;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *paths = json_object_get(args, "document_paths");
    json_t *docs = json_array(), *failed = json_array();
    size_t i, n = json_array_size(paths);
    json_t *jp;
    json_array_foreach(paths, i, jp)
    {
        if (ctx->cancel && *ctx->cancel) {
            json_decref(docs);
            json_decref(failed);
            return kg_err_set(err, KG_ECANCELED, "load_documents: cancelled after %zu of %zu", i,
                              n);
        }
        const char *path = json_string_value(jp);
        kg_doc_kind kind = kg_doc_kind_for_path(path);
        if (kind == KG_KIND_UNKNOWN) {
            kg_buf why = KG_BUF_INIT;
            kg_buf_puts(&why, "unknown file type (use ");
            kg_doc_kinds_list(&why, "or");
            kg_buf_putc(&why, ')');
            json_array_append_new(
                failed, json_pack("{s:s, s:s}", "path", path, "reason", kg_buf_str(&why)));
            kg_buf_free(&why);
            continue;
        }
        sink_state st;
        memset(&st, 0, sizeof st);
        st.cancel = ctx->cancel;
        kg_load_sink sink = {on_text, NULL, &st, NULL};
        kg_load_info info;
        memset(&info, 0, sizeof info);
        kg_err fe;
        if (kg_load_file(ctx->policy, path, kind, &sink, &info, &fe) != KG_OK) {
            json_array_append_new(failed, json_pack("{s:s, s:s}", "path", path, "reason", fe.msg));
        } else {
            json_t *d = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:s}", "path", path, "kind",
                                  kg_doc_kind_name(kind), "title", info.title ? info.title : "",
                                  "pages", info.pages, "chars", (json_int_t)st.chars, "bytes",
                                  (json_int_t)info.bytes, "preview", kg_buf_str(&st.preview));
            if (!d) /* preview not valid UTF-8 would be a loader bug; keep going */
                d = json_pack("{s:s}", "path", path);
            if (info.warning)
                json_object_set_new(d, "warning", json_string(info.warning));
            json_array_append_new(docs, d);
        }
        kg_buf_free(&st.preview);
        kg_load_info_free(&info);
        if (ctx->progress)
            ctx->progress(ctx->progress_ud, (double)(i + 1), (double)n, path);
    }
    *result = json_pack("{s:o, s:o}", "documents", docs, "failed", failed);
    return KG_OK;
}

const kg_tool kg_tool_load_documents = {
    .name = "load_documents",
    .title = "Load documents (no storing)",
    .description =
        "Read PDF, plain-text, Markdown or HTML files and report, for each, its kind, title, "
        "page count, characters of extracted text, size, the first 400 characters and any "
        "loader warning (e.g. a PDF without a text layer). Nothing is stored: use this to "
        "check files before calling ingest. Files that cannot be read are listed under "
        "'failed' with the reason; paths must lie inside the server's allowed roots.",
    .input_schema = kg_schema_load_documents_in,
    .output_schema = kg_schema_load_documents_out,
    .flags = KG_TOOL_PROGRESS,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"document_paths\": [\"$SAMPLE\"]}",
};
