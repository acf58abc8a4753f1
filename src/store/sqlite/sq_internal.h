/* sq_internal: what the SQLite backend's files share (nothing outside
 * src/store/sqlite/ includes it): the handle's layout, the methods table
 * each file defines, and small statement helpers. */
#ifndef KG_STORE_SQLITE_SQ_INTERNAL_H
#define KG_STORE_SQLITE_SQ_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"

/* The page cache of a writing connection, in KiB.  A large document is one
 * transaction: with SQLite's default 2 MB cache it spills dirty pages to
 * the WAL again and again (millions of small writes); 64 MB keeps a big
 * transaction in memory, bounded. */
#define KG_STORE_CACHE_KIB 65536
/* How much of the file a read-only connection maps (SQLite caps it at
 * its compile-time maximum, 2 GB on Debian). */
#define KG_STORE_MMAP_BYTES (1LL << 30)
/* The cache while bulk indexes are sorted (sq_graph.c, bulk_end). */
#define KG_STORE_SORT_CACHE_KIB 4096

/* A stretch of rowids, from..to inclusive; {0, 0} is empty. */
typedef struct kg_row_span {
    int64_t from, to;
} kg_row_span;

/* The SQLite handle.  Its first member is the common part, so a kg_store *
 * of this backend is a kg_sq * (kg_sq_of). */
typedef struct kg_sq {
    kg_store base;
    sqlite3 *db;
    int readonly;
    int sp_depth;
    sqlite3_stmt *ins_chunk; /* prepared once: used per chunk */
    sqlite3_stmt *ins_doc;
    sqlite3_stmt *ins_mention;
    sqlite3_stmt *ins_evidence;
    sqlite3_stmt *ins_doc_entity;
    sqlite3_stmt *ins_entity; /* prepared once: used per entity of a rebuild */
    sqlite3_stmt *ins_relationship;
    /* Chunks inserted but not yet in the full-text index: rowids fts_from
     * .. fts_to (fts_from 0 = none) holding fts_bytes of text.  Indexed a
     * batch at a time while a document streams in (sq_docs.c). */
    int64_t fts_from, fts_to;
    size_t fts_bytes;
    /* The rowids of the mentions and evidence rows written for document
     * rows_doc, lowest and highest (0 = none yet): kept in the documents
     * row by doc_finish, so that deleting or renaming a document's rows
     * scans that stretch of the table instead of keeping an index on
     * document_id (schema migration 8). */
    char rows_doc[KG_ID_MAX];
    kg_row_span rows[2];
} kg_sq;

static inline kg_sq *kg_sq_of(kg_store *s)
{
    return (kg_sq *)s;
}

/* The methods, one table per public header (store/backend.h), each defined
 * by the file of the same subject. */
extern const kg_store_methods kg_sq_store_methods;                     /* sq_open.c */
extern const kg_doc_store_methods kg_sq_doc_store_methods;             /* sq_docs.c */
extern const kg_graph_store_methods kg_sq_graph_store_methods;         /* sq_graph.c */
extern const kg_graph_read_methods kg_sq_graph_read_methods;           /* sq_graph_read.c */
extern const kg_export_store_methods kg_sq_export_store_methods;       /* sq_export.c */
extern const kg_hood_store_methods kg_sq_hood_store_methods;           /* sq_hood.c */
extern const kg_merge_store_methods kg_sq_merge_store_methods;         /* sq_merge.c */
extern const kg_vector_store_methods kg_sq_vector_store_methods;       /* sq_vector.c */
extern const kg_vindex_store_methods kg_sq_vindex_store_methods;       /* sq_vindex.c */
extern const kg_cache_store_methods kg_sq_cache_store_methods;         /* sq_cache.c */
extern const kg_entvec_store_methods kg_sq_entvec_store_methods;       /* sq_entvec.c */
extern const kg_retrieval_store_methods kg_sq_retrieval_store_methods; /* sq_retrieval.c */
extern const kg_relstats_store_methods kg_sq_relstats_store_methods;   /* sq_relstats.c */

/* Which table a row span is about. */
enum {
    KG_ROWS_MENTIONS = 0,
    KG_ROWS_EVIDENCE = 1
};

/* sq_rows.c.  Note that the row just inserted (sqlite3_last_insert_rowid) into table
 * `which` belongs to document doc_id.  Fails only when the stretches of
 * the document written before it cannot be recorded. */
int kg_sq_rows_note(kg_sq *s, const char *doc_id, int which, kg_err *err);
/* The row spans of document doc_id: those kept in its documents row joined
 * with the ones being written ({0, 0} each when it has none). */
int kg_sq_rows_of(kg_sq *s, const char *doc_id, kg_row_span spans[2], kg_err *err);
/* Widen the stretches kept in the documents row of the document being
 * written by the ones noted (union: a document written in two goes keeps
 * both), then forget the noted ones. */
int kg_sq_rows_persist(kg_sq *s, kg_err *err);
/* Forget the stretches being written (their rows rolled back). */
void kg_sq_rows_forget(kg_sq *s);

/* Text per full-text batch: one FTS5 segment each, so few enough to merge
 * cheaply, and early enough that indexing runs while the document is still
 * being read instead of all after it. */
#define KG_STORE_FTS_BATCH_BYTES (4u << 20)

/* sq_files.c: kg_store_exists, kg_store_stamp, kg_store_remove. */
int kg_sq_exists(const char *path);
void kg_sq_stamp(const char *path, kg_buf *key);
void kg_sq_remove(const char *path);

/* sq_guard.c: kg_store_query_readonly. */
int kg_sq_query_readonly(const char *db_path, const char *sql, const kg_query_opts *o,
                         const kg_query_sink *sink, kg_err *err);

/* sq_docs.c.  Free text as an FTS5 query (each distinct word a quoted
 * term, OR-ed, at most KG_FTS_MAX_TERMS); NULL when it has no words.
 * Malloc'ed. */
#define KG_FTS_MAX_TERMS 256
char *kg_sq_fts_query(const char *q);
/* sq_docs.c.  Forget the chunks waiting for the full-text index (their
 * rows were rolled back). */
void kg_sq_fts_forget(kg_sq *s);

/* Fill err from the connection's last error, prefixed with `what`. */
int kg_sq_err(kg_sq *s, kg_err *err, const char *what);
int kg_sq_exec(kg_sq *s, const char *sql, kg_err *err);
int kg_sq_prepare(kg_sq *s, const char *sql, sqlite3_stmt **st, kg_err *err);
/* Column text, "" for NULL. */
const char *kg_sq_text(sqlite3_stmt *st, int i);
void kg_sq_copy_id(char dst[KG_ID_MAX], const char *src);
/* Copy src into dst[cap], truncated, always terminated. */
void kg_sq_copy_str(char *dst, size_t cap, const char *src);

#endif
