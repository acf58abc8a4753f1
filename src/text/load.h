/* load: read documents (PDF, plain text, Markdown, HTML) as streamed text.
 *
 * The formats are the lines of text/load_list.h; each has its loader in
 * text/load_FORMAT.c (load_pdf, load_text for plain text and Markdown,
 * load_html).  kg_load_file picks the loader by kind or file extension.
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

#include "base/buf.h"
#include "base/err.h"
#include "base/fsafe.h"

/* One kind per line of text/load_list.h, the table of formats. */
typedef enum kg_doc_kind {
    KG_KIND_UNKNOWN = -1,
#define KG_LOADER(id, kind, extensions, load) KG_KIND_##id,
#include "text/load_list.h"
#undef KG_LOADER
} kg_doc_kind;

/* The kind's name ("pdf"); "unknown" for KG_KIND_UNKNOWN. */
const char *kg_doc_kind_name(kg_doc_kind k);
/* By the file name's extension (case-insensitive), as text/load_list.h
 * says; KG_KIND_UNKNOWN when no format claims it. */
kg_doc_kind kg_doc_kind_for_path(const char *path);
/* The formats for messages: the first extension of each, in the table's
 * order, as prose joined by conj (".pdf, .txt, .md or .html"). */
void kg_doc_kinds_list(kg_buf *out, const char *conj);

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

/* A format's loader (one per line of text/load_list.h, in
 * text/load_FORMAT.c): load path, checked against the policy (never NULL
 * here), pushing its text to sink and filling info.  On error nothing
 * useful was loaded. */
typedef int kg_loader_fn(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                         kg_load_info *info, kg_err *err);

/* Load path (checked against the policy) of the given kind (KG_KIND_UNKNOWN:
 * by its extension), pushing text to sink; a title is always set (the file
 * name when the document has none).  On error nothing useful was loaded;
 * the caller discards partial work. */
int kg_load_file(const kg_path_policy *policy, const char *path, kg_doc_kind kind,
                 const kg_load_sink *sink, kg_load_info *info, kg_err *err);

#endif
