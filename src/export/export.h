/* export: the graph written out for other tools, streamed from the store.
 *
 * Formats: csv (nodes.csv, edges.csv, adjacency.csv), json (one document
 * {"nodes", "edges", "adjacency"}), graphml, neo4j (nodes.csv and
 * relationships.csv for neo4j-admin database import), cypher (a script of
 * parameter batches), latex (tables), bibtex (the documents) and markdown
 * (a report with citations).  docs/exports.md says what each holds.  Each
 * is one line of export/export_list.h (name, files, writer, help), the one
 * list the CLI, the tools and the dispatch take the formats from.
 *
 * Output goes to a kg_export_sink, which is asked to open named files one
 * after another; three sinks are provided: a directory or file on disk
 * under a path policy, a stdio stream, and memory up to a size limit.
 * Rows are read with one statement at a time and written through a 64 KiB
 * buffer, so memory does not grow with the graph (the one exception is a
 * top-N limit: SQLite keeps the N selected ids).
 *
 * Memory: kg_export_mem results (names and texts) belong to the sink and
 * are freed by kg_export_mem_free; the target is freed by
 * kg_export_target_free.  Nothing here prints. */
#ifndef KG_EXPORT_EXPORT_H
#define KG_EXPORT_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fsafe.h"
#include "store/export_store.h"
#include "store/store.h"

/* One format per line of export/export_list.h, the table of formats. */
typedef enum kg_export_format {
#define KG_EXPORT_FORMAT(id, name, file, multi, group, writer, help) KG_EXPORT_##id,
#include "export/export_list.h"
#undef KG_EXPORT_FORMAT
} kg_export_format;

/* Which MCP tool offers a format (export_list.h's group column). */
typedef enum kg_export_group {
    KG_EXPORT_GROUP_TABLE, /* the graph as tables: export_graph_table */
    KG_EXPORT_GROUP_MULTI, /* for other programs and papers: export_multi_format */
} kg_export_group;

/* How many formats there are: kg_export_format runs 0..count-1. */
size_t kg_export_format_count(void);
/* "csv", "json", ... (case-insensitive); KG_EINVAL listing the names. */
int kg_export_format_parse(const char *name, kg_export_format *out, kg_err *err);
const char *kg_export_format_name(kg_export_format f);
/* Non-zero for the formats that write several files (csv, neo4j). */
int kg_export_format_multi(kg_export_format f);
/* The file name used when a single-file format is given a directory. */
const char *kg_export_default_file(kg_export_format f);
kg_export_group kg_export_format_group(kg_export_format f);
/* Its line of `kgas export --help`. */
const char *kg_export_format_help(kg_export_format f);

typedef struct kg_export_sink {
    int (*open)(void *ud, const char *name, kg_err *err);
    int (*write)(void *ud, const void *data, size_t len, kg_err *err);
    int (*close)(void *ud, kg_err *err);
    void *ud;
} kg_export_sink;

typedef struct kg_export_opts {
    kg_export_format format;
    kg_export_filter filter;
    volatile int *cancel; /* may be NULL; checked every few hundred rows */
} kg_export_opts;

typedef struct kg_export_stats {
    int64_t nodes, edges, documents, bytes;
    int files;
} kg_export_stats;

int kg_export_run(kg_store *s, const kg_export_opts *o, const kg_export_sink *sink,
                  kg_export_stats *st, kg_err *err);

/* ---- sinks ------------------------------------------------------------ */

/* Everything to one stream (single-file formats; a second file is refused). */
typedef struct kg_export_stream {
    FILE *f;
    int opened;
} kg_export_stream;
void kg_export_stream_sink(kg_export_stream *st, FILE *f, kg_export_sink *sink);

/* Files on disk.  For a multi-file format path is a directory (created
 * when missing, its parent must exist); for a single-file format path is a
 * file, or an existing directory that gets kg_export_default_file().
 * The directory must be inside the policy's roots (symlinks resolved) and
 * files are opened without following a final symlink.  NULL policy: no
 * limits. */
typedef struct kg_export_target kg_export_target;
int kg_export_target_open(const kg_path_policy *policy, const char *path, kg_export_format f,
                          kg_export_target **out, kg_err *err);
void kg_export_target_sink(kg_export_target *t, kg_export_sink *sink);
/* The resolved paths written so far (for reports); index < count. */
size_t kg_export_target_count(const kg_export_target *t);
const char *kg_export_target_path(const kg_export_target *t, size_t i);
void kg_export_target_free(kg_export_target *t);

/* Files in memory, at most max_bytes in all (KG_ETOOBIG past it). */
typedef struct kg_export_mem {
    size_t max_bytes, total;
    size_t n;
    char *names[4];
    kg_buf texts[4];
} kg_export_mem;
void kg_export_mem_sink(kg_export_mem *m, size_t max_bytes, kg_export_sink *sink);
void kg_export_mem_free(kg_export_mem *m);

#endif
