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
 * Pages are 1-based; non-PDF documents are one page.  A heading (Markdown,
 * or a PDF section heading found by layout) is announced through
 * sink->section before the text that follows it.
 *
 * Blocks: the PDF loader also says what each stretch of text is (body prose,
 * a heading, a caption, a display equation, a bibliography entry...) through
 * sink->block, called right where the block's first byte will be; the text
 * up to the next block call belongs to it.  Consumers that feed a recogniser
 * use kg_block_kind_is_prose() to skip what is not prose.  Running headers,
 * footers, page numbers and margin stamps are not document text: they come
 * as KG_BLOCK_FURNITURE blocks carrying their own text (for metadata such as
 * an arXiv stamp); a furniture block is a side note: it may come between a
 * block and its text, and the text that follows it still belongs to the
 * block before.  Loaders without layout never call sink->block.
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

/* What a block of text is.  Stable numbers (phase 2 may store them). */
typedef enum kg_block_kind {
    KG_BLOCK_BODY = 0,  /* prose */
    KG_BLOCK_TITLE,     /* the document title (first page) */
    KG_BLOCK_FRONT,     /* front matter: authors, affiliations, e-mails, dates, keywords,
                          * venue lines; one line per author/affiliation line ('\n' kept) */
    KG_BLOCK_ABSTRACT,  /* the abstract (prose) */
    KG_BLOCK_HEADING,   /* a section heading (also announced through sink->section) */
    KG_BLOCK_CAPTION,   /* "Figure 3: ...", "Table 2. ..." */
    KG_BLOCK_EQUATION,  /* a display formula */
    KG_BLOCK_TABLE,     /* non-prose text: table cells, figure labels, code */
    KG_BLOCK_FOOTNOTE,  /* footnotes and page-bottom notes (prose) */
    KG_BLOCK_REFERENCE, /* one bibliography entry */
    KG_BLOCK_FURNITURE, /* running header/footer, page number, margin stamp: not in the text */
    KG_BLOCK_KINDS
} kg_block_kind;

const char *kg_block_kind_name(kg_block_kind k); /* "body", "title", ... */
/* Prose a recogniser should read: body, abstract, footnote. */
int kg_block_kind_is_prose(kg_block_kind k);

#define KG_BLOCK_STYLE_BOLD 0x01   /* most of its letters bold */
#define KG_BLOCK_STYLE_ITALIC 0x02 /* most of its letters italic */

typedef struct kg_block_info {
    kg_block_kind kind;
    int page;             /* 1-based */
    float x0, y0, x1, y1; /* its box in points, origin at the page's top left */
    float page_w, page_h; /* the page's size in points */
    float font_size;      /* dominant font size in points */
    unsigned style;       /* KG_BLOCK_STYLE_* */
    int level;            /* heading: 1 = top level (from numbering or size), else 0 */
    const char *text;     /* KG_BLOCK_FURNITURE only: its text (not in the document) */
    size_t len;
} kg_block_info;

typedef struct kg_load_sink {
    /* Text of the given page (1-based), normalised.  May be called several
     * times per page.  Return non-zero to stop loading (cancellation). */
    int (*text)(void *ud, int page, const char *s, size_t len);
    /* A section (a heading) starts at the current offset. May be NULL. */
    int (*section)(void *ud, const char *title);
    void *ud;
    /* A block starts at the current offset (see above). May be NULL; last so
     * that sinks written as {text, section, ud} stay valid. */
    int (*block)(void *ud, const kg_block_info *b);
} kg_load_sink;

/* The section a plain-text loader announces where a Project Gutenberg
 * eBook's text ends ("*** END OF THE PROJECT GUTENBERG EBOOK ... ***"):
 * what follows is the distributor's licence, in the document (searchable)
 * but not the work's prose, so the recognisers skip it (paper/paper_mask).
 * True when title is that section's. */
#define KG_LOAD_LICENCE_SECTION "Project Gutenberg licence"
int kg_load_licence_section(const char *title);

typedef struct kg_load_info {
    char *title;      /* PDF: the title found by layout, else metadata, else the first line;
                  * first heading / <title>; or the file name */
    char *meta_title; /* PDF metadata Title and Author as written, or NULL: hints only */
    char *meta_author;
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
