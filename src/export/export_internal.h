/* export_internal: what export.c and the format writers (export.c,
 * export_formats.c, export_report.c) share: the buffered writer over a
 * sink and one function per format.  Not for other modules. */
#ifndef KG_EXPORT_EXPORT_INTERNAL_H
#define KG_EXPORT_EXPORT_INTERNAL_H

#include "export/export.h"

#define KG_EXPORT_FLUSH (64 * 1024)

/* The writer: text accumulates in buf and goes to the sink when it passes
 * KG_EXPORT_FLUSH.  The first failure sticks in rc/err and later calls do
 * nothing, so format code can write freely and check once per row. */
typedef struct kg_export_out {
    const kg_export_sink *sink;
    const kg_export_opts *opts;
    kg_store *store;
    kg_export_stats *stats;
    kg_err *err;
    kg_buf buf;
    int rc;
    int64_t rows; /* for the cancel check */
} kg_export_out;

int kg_export_out_open(kg_export_out *o, const char *name);
int kg_export_out_close(kg_export_out *o);
/* After appending to o->buf: flush when full, poll cancel; returns o->rc. */
int kg_export_out_row(kg_export_out *o);

/* A format's writer: everything the format writes, through o (open, rows,
 * close for each file); returns o->rc. */
typedef int kg_export_writer(kg_export_out *o);

/* The writers, one per line of export/export_list.h. */
#define KG_EXPORT_FORMAT(id, name, file, multi, group, writer, help) kg_export_writer writer;
#include "export/export_list.h"
#undef KG_EXPORT_FORMAT

/* Markdown text of at most max bytes of s (then "…"), not cutting a UTF-8
 * sequence (export_report.c). */
void kg_export_md_clip(kg_buf *b, const char *s, size_t max);

/* The Markdown report's "Papers" part (export_papers.c). */
int kg_export_md_papers(kg_export_out *o);

#endif
