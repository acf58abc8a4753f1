/* load: read documents (PDF, plain text, Markdown, HTML) as streamed text.
 *
 * A loader never builds the whole document in memory when it can avoid it:
 * it pushes normalised text segments to a sink, in order.  The document text
 * is exactly the concatenation of the segments; character offsets everywhere
 * in kgas are UTF-8 byte offsets into it.  Loaders put their own separators
 * ("\n\n" between PDF pages and between HTML blocks) inside the segments.
 *
 * Pages are 1-based; non-PDF documents are one page.  A Markdown heading is
 * announced through sink->section before the text that follows it.
 *
 * Errors are per file and say what to do ("paper.pdf: encrypted, needs a
 * password"); a loader never crashes on bad input.  kg_load_info strings are
 * heap-owned by the info; release with kg_load_info_free(). */
#ifndef KG_TEXT_LOAD_H
#define KG_TEXT_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/fsafe.h"

typedef enum kg_doc_kind {
    KG_KIND_UNKNOWN = -1,
    KG_KIND_TXT = 0,
    KG_KIND_MD,
    KG_KIND_HTML,
    KG_KIND_PDF,
} kg_doc_kind;

const char *kg_doc_kind_name(kg_doc_kind k); /* "txt", "md", "html", "pdf" */
/* By extension (case-insensitive): .txt .text; .md .markdown; .html .htm; .pdf */
kg_doc_kind kg_doc_kind_for_path(const char *path);

typedef struct kg_load_sink {
    /* Text of the given page (1-based), normalised.  May be called several
     * times per page.  Return non-zero to stop loading (cancellation). */
    int (*text)(void *ud, int page, const char *s, size_t len);
    /* A section (Markdown heading) starts at the current offset. May be NULL. */
    int (*section)(void *ud, const char *title);
    void *ud;
} kg_load_sink;

typedef struct kg_load_info {
    char *title; /* PDF metadata, first heading / <title>, or file name */
    int pages;
    uint64_t bytes;       /* size of the source file */
    size_t invalid_bytes; /* invalid UTF-8 repaired */
    char *warning;        /* NULL, or a note worth reporting (e.g. "no text layer") */
} kg_load_info;

void kg_load_info_free(kg_load_info *info);

/* Load path (checked against the policy) of the given kind, pushing text to
 * sink.  On error nothing useful was loaded; the caller discards partial work. */
int kg_load_file(const kg_path_policy *policy, const char *path, kg_doc_kind kind,
                 const kg_load_sink *sink, kg_load_info *info, kg_err *err);

#endif
