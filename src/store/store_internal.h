/* store_internal: what the SQLite backend's files share (not for callers
 * outside store/).  The handle's layout and small statement helpers. */
#ifndef KG_STORE_STORE_INTERNAL_H
#define KG_STORE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* The page cache of a writing connection, in KiB.  A large document is one
 * transaction: with SQLite's default 2 MB cache it spills dirty pages to
 * the WAL again and again (millions of small writes); 64 MB keeps a big
 * transaction in memory, bounded. */
#define KG_STORE_CACHE_KIB 65536
/* How much of the file a read-only connection maps (SQLite caps it at
 * its compile-time maximum, 2 GB on Debian). */
#define KG_STORE_MMAP_BYTES (1LL << 30)
/* The cache while bulk indexes are sorted (graph_store.c, bulk_end). */
#define KG_STORE_SORT_CACHE_KIB 4096

/* A stretch of rowids, from..to inclusive; {0, 0} is empty. */
typedef struct kg_row_span {
    int64_t from, to;
} kg_row_span;

struct kg_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int sp_depth;
    sqlite3_stmt *ins_chunk; /* prepared once: used per chunk */
    sqlite3_stmt *ins_doc;
    sqlite3_stmt *ins_mention;
    sqlite3_stmt *ins_evidence;
    sqlite3_stmt *ins_doc_entity;
    char op_id[KG_ID_MAX]; /* stamped on rows written; "" = none */
    /* Chunks inserted but not yet in the full-text index: rowids fts_from
     * .. fts_to (fts_from 0 = none) holding fts_bytes of text.  Indexed a
     * batch at a time while a document streams in (store_sqlite.c). */
    int64_t fts_from, fts_to;
    size_t fts_bytes;
    /* The rowids of the mentions and evidence rows written for document
     * rows_doc, lowest and highest (0 = none yet): kept in the documents
     * row by doc_finish, so that deleting or renaming a document's rows
     * scans that stretch of the table instead of keeping an index on
     * document_id (schema migration 8). */
    char rows_doc[KG_ID_MAX];
    kg_row_span rows[2];
};

/* Which table a row span is about. */
enum {
    KG_ROWS_MENTIONS = 0,
    KG_ROWS_EVIDENCE = 1
};

/* doc_rows.c.  Note that the row just inserted (sqlite3_last_insert_rowid) into table
 * `which` belongs to document doc_id.  Fails only when the stretches of
 * the document written before it cannot be recorded. */
int kg_sq_rows_note(kg_store *s, const char *doc_id, int which, kg_err *err);
/* The row spans of document doc_id: those kept in its documents row joined
 * with the ones being written ({0, 0} each when it has none). */
int kg_sq_rows_of(kg_store *s, const char *doc_id, kg_row_span spans[2], kg_err *err);
/* Widen the stretches kept in the documents row of the document being
 * written by the ones noted (union: a document written in two goes keeps
 * both), then forget the noted ones. */
int kg_sq_rows_persist(kg_store *s, kg_err *err);
/* Forget the stretches being written (their rows rolled back). */
void kg_sq_rows_forget(kg_store *s);

/* Text per full-text batch: one FTS5 segment each, so few enough to merge
 * cheaply, and early enough that indexing runs while the document is still
 * being read instead of all after it. */
#define KG_STORE_FTS_BATCH_BYTES (4u << 20)

/* store_sqlite.c: free text as an FTS5 query (each distinct word a quoted
 * term, OR-ed, at most KG_FTS_MAX_TERMS); NULL when it has no words.
 * Malloc'ed. */
#define KG_FTS_MAX_TERMS 256
char *kg_sq_fts_query(const char *q);

/* Fill err from the connection's last error, prefixed with `what`. */
int kg_sq_err(kg_store *s, kg_err *err, const char *what);
int kg_sq_exec(kg_store *s, const char *sql, kg_err *err);
int kg_sq_prepare(kg_store *s, const char *sql, sqlite3_stmt **st, kg_err *err);
/* Column text, "" for NULL. */
const char *kg_sq_text(sqlite3_stmt *st, int i);
void kg_sq_copy_id(char dst[KG_ID_MAX], const char *src);
/* Copy src into dst[cap], truncated, always terminated. */
void kg_sq_copy_str(char *dst, size_t cap, const char *src);

#endif
