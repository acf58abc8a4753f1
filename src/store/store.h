/* store: the one interface to the graph database, whatever the backend.
 *
 * kgas keeps documents, chunks, mentions, entities, relationships,
 * embeddings and operations (DESIGN.md's data model).  Callers see an opaque
 * kg_store, these functions and those of the other headers of store/
 * (graph_store.h, graph_read.h, vector_store.h, ...): no layer above
 * store/ reaches the data any other way, and none sees SQL.
 *
 * Backends.  kg_store_open chooses a backend from its target: a path is a
 * SQLite database file (store/sqlite/); a postgresql:// or postgres:// URI
 * is refused with a clear error, since this build has no PostgreSQL
 * backend.  Every function below is forwarded through the handle's table of
 * operations (store/backend.h says what a backend implements; the list of
 * backends is in store/backends.c).
 *
 * One writer: a kg_store handle is used by one thread at a time.  Several
 * handles (threads or processes) may open one database at once; readers
 * never block the writer (WAL) and a second writer waits up to
 * busy_timeout_ms for the lock.
 *
 * Transactions: kg_store_begin/commit/rollback, and savepoints inside them so
 * one failed document can be undone without losing the rest of a batch.
 *
 * Memory: result arrays and their strings are allocated by the store and
 * released with the matching *_free function. */
#ifndef KG_STORE_STORE_H
#define KG_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/records.h"

typedef struct kg_store kg_store;

#define KG_STORE_READONLY 0x01 /* no writes; the file must exist */
#define KG_STORE_NO_MIGRATE 0x02
/* With READONLY: map the file instead of reading it page by page, for a
 * short-lived reader that touches a few hundred pages (a `kgas query`
 * process).  Mapped pages count in the process's resident memory, so a
 * long-lived server or a reader of the whole file does without.  A hint: a
 * backend without such a thing ignores it. */
#define KG_STORE_MAP 0x04

typedef struct kg_store_opts {
    unsigned flags;
    int busy_timeout_ms; /* 0 = default 10000 */
} kg_store_opts;

/* Open (creating and migrating unless READONLY) the database at target: a
 * file path, or a URI of a backend this build has (see above). */
int kg_store_open(const char *target, const kg_store_opts *opts, kg_store **out, kg_err *err);
void kg_store_close(kg_store *s);
const char *kg_store_path(const kg_store *s);
int kg_store_schema_version(kg_store *s);

int kg_store_begin(kg_store *s, kg_err *err);
int kg_store_commit(kg_store *s, kg_err *err);
/* A read transaction: the reads until kg_store_read_end see one snapshot
 * (a commit by another process in between is not seen), and take the
 * database's read lock once instead of once per statement. */
int kg_store_read_begin(kg_store *s, kg_err *err);
void kg_store_read_end(kg_store *s);
int kg_store_rollback(kg_store *s);
int kg_store_savepoint(kg_store *s, kg_err *err);
int kg_store_release(kg_store *s, kg_err *err);
int kg_store_rollback_to(kg_store *s);

/* WAL checkpoints.  By default the writing handle copies the WAL back into
 * the database itself when a commit has made it long (SQLite's automatic
 * checkpoint).  A bulk writer can turn that off on its handle
 * (set_autocheckpoint 0; 1 turns it back on) and run kg_store_checkpoint on
 * another handle, in another thread: a passive checkpoint copies what is
 * committed without blocking the writer or readers. */
int kg_store_set_autocheckpoint(kg_store *s, int on, kg_err *err);
int kg_store_checkpoint(kg_store *s, kg_err *err);

/* --- documents and chunks -------------------------------------------- */

/* Look a document up by path or by content hash.  *found is 0 or 1; when
 * found, id_out (and hash_out / path_out when non-NULL) are filled. */
int kg_store_doc_by_path(kg_store *s, const char *path, int *found, char id_out[KG_ID_MAX],
                         char hash_out[KG_HASH_HEX_LEN + 1], kg_err *err);
int kg_store_doc_by_hash(kg_store *s, const char *hash, int *found, char id_out[KG_ID_MAX],
                         char **path_out, kg_err *err);
/* Insert a document row (its chunks follow); replaces nothing. */
int kg_store_doc_insert(kg_store *s, const kg_document *d, kg_err *err);
/* Update title, pages, chars, chunks and confidence once loading is done,
 * and add the document's last chunks to the full-text index (chunk_insert
 * indexes them a batch of a few MB at a time as they come): every chunk is
 * searchable once this returns, so call it exactly once per document, after
 * its last chunk. */
int kg_store_doc_finish(kg_store *s, const kg_document *d, kg_err *err);
/* Delete a document and everything derived from it. */
int kg_store_doc_delete(kg_store *s, const char *id, kg_err *err);
int kg_store_chunk_insert(kg_store *s, const kg_chunk *c, kg_err *err);

typedef struct kg_doc_row {
    char id[KG_ID_MAX];
    char *path, *title, *kind, *hash;
    int pages;
    int64_t bytes, chars, chunks, ingested_at;
    double confidence;
    char *paper; /* JSON object: the document read as a paper, or NULL */
} kg_doc_row;

int kg_store_doc_list(kg_store *s, kg_doc_row **rows, size_t *n, kg_err *err);
/* One document by id: *row (free with kg_doc_rows_free(*row, 1)), or NULL
 * when there is none. */
int kg_store_doc_get(kg_store *s, const char *id, kg_doc_row **row, kg_err *err);
/* One document by title (`kgas paper TITLE`): the one whose title equals
 * title, case-insensitively (ASCII case), else the shortest title that
 * contains it, else the shortest containing all of its words; *row as
 * kg_store_doc_get's, NULL when none matches. */
int kg_store_doc_by_title(kg_store *s, const char *title, kg_doc_row **row, kg_err *err);
void kg_doc_rows_free(kg_doc_row *rows, size_t n);

/* A stored chunk.  text holds len bytes (and a terminating NUL). */
typedef struct kg_chunk_row {
    char id[KG_ID_MAX];
    char doc_id[KG_ID_MAX];
    int ordinal;
    int64_t char_start, char_end; /* its span in the document text */
    char *text;
    size_t len;
} kg_chunk_row;

/* One chunk by id: *out (its text malloc'd; kg_chunk_row_clear), *found 0
 * when there is none. */
int kg_store_chunk_get(kg_store *s, const char *chunk_id, kg_chunk_row *out, int *found,
                       kg_err *err);
void kg_chunk_row_clear(kg_chunk_row *c);
/* fn for each chunk of a document, in order (they overlap: see their
 * spans); the row and its text are borrowed for the call.  fn returns
 * non-zero to stop (that value is returned). */
typedef int (*kg_chunk_fn)(void *ud, const kg_chunk_row *c);
int kg_store_doc_chunks(kg_store *s, const char *doc_id, kg_chunk_fn fn, void *ud, kg_err *err);

/* --- the catalogue: what the store holds, page by page --------------- */

/* A document or an entity, as the MCP resources list them.  Strings are
 * borrowed for the call. */
typedef struct kg_catalog_row {
    int entity; /* 0: a document; 1: an entity */
    const char *id;
    const char *name; /* a document's title, or its path when it has none */
    /* a document: */
    const char *kind, *path;
    int64_t pages, chunks;
    /* an entity: */
    const char *type;
    int64_t mentions;
} kg_catalog_row;
typedef int (*kg_catalog_fn)(void *ud, const kg_catalog_row *r);
/* Documents then entities, each in id order: fn for at most `limit` of
 * them, skipping the first `offset`.  fn returns non-zero to stop (that
 * value is returned). */
int kg_store_catalog(kg_store *s, int64_t offset, int limit, kg_catalog_fn fn, void *ud,
                     kg_err *err);

/* --- full-text search ------------------------------------------------ */

typedef struct kg_search_hit {
    char doc_id[KG_ID_MAX];
    char chunk_id[KG_ID_MAX];
    char *path, *title, *snippet;
    char *section; /* the heading of the section the chunk is in, or NULL */
    int page;
    int64_t char_start, char_end;
    double score; /* higher is better (negated BM25) */
} kg_search_hit;

/* BM25-ranked chunks matching the words of query (plain words; FTS syntax
 * characters are treated as text, so any user input is safe). */
int kg_store_search(kg_store *s, const char *query, int limit, kg_search_hit **hits, size_t *n,
                    kg_err *err);
void kg_search_hits_free(kg_search_hit *hits, size_t n);

/* --- statistics ------------------------------------------------------ */

typedef struct kg_store_stats {
    int64_t documents, chunks, mentions, entities, relationships, embeddings;
    int64_t pages, bytes, chars;
} kg_store_stats;

int kg_store_stats_get(kg_store *s, kg_store_stats *st, kg_err *err);

/* --- provenance ------------------------------------------------------- */

/* Record the start of an operation (tool name, JSON parameters and inputs)
 * in its own transaction; id_out gets "op_" + 16 hex.  From then on the
 * handle stamps every document it writes with it (mentions and relations
 * trace to it through their document). */
int kg_store_op_begin(kg_store *s, const char *tool, const char *params_json,
                      const char *inputs_json, char id_out[KG_ID_MAX], kg_err *err);
/* Close it: status "ok" | "failed" | "cancelled", outputs as JSON, error text. */
int kg_store_op_end(kg_store *s, const char *id, const char *status, const char *outputs_json,
                    const char *error, kg_err *err);
/* The operation new rows are stamped with ("" when none). */
const char *kg_store_op_current(const kg_store *s);

/* Integrity check ("ok" or the problems), for tests and `kgas doctor`. */
int kg_store_check(kg_store *s, char **report, kg_err *err);

/* --- without an open handle ------------------------------------------- */

/* Does target hold a database yet (for a file: does it exist)?  Readers
 * use it to tell "nothing ingested yet" from a failure. */
int kg_store_exists(const char *target);
/* Append a stamp of the database's state to key: equal stamps mean nothing
 * was committed in between, by any process or connection, so a cache keyed
 * by it never serves an answer from before a write.  A few system calls,
 * no open handle (SQLite: the files' sizes and times and the WAL index's
 * change counter, sqlite/sq_files.c). */
void kg_store_stamp(const char *target, kg_buf *key);
/* Remove the database at target and what the backend keeps beside it
 * (SQLite: its -wal and -shm files), for a temporary database. */
void kg_store_remove(const char *target);

/* --- read-only queries (the read_query tool) ------------------------- */

/* One value of a result row; text (TEXT and BLOB) holds len bytes,
 * borrowed for the call. */
typedef enum kg_value_type {
    KG_VALUE_NULL,
    KG_VALUE_INT,
    KG_VALUE_REAL,
    KG_VALUE_TEXT,
    KG_VALUE_BLOB
} kg_value_type;
typedef struct kg_value {
    kg_value_type type;
    int64_t i;
    double d;
    const char *text;
    size_t len;
} kg_value;

typedef struct kg_query_opts {
    int timeout_ms;       /* the statement is stopped after this long (0: 5000) */
    volatile int *cancel; /* may be NULL; set to stop the statement */
} kg_query_opts;

typedef struct kg_query_sink {
    /* Once, before any row, with the result's column names (may be NULL). */
    int (*columns)(void *ud, int n, const char *const *names);
    /* Each row; non-zero stops reading (that is not an error). */
    int (*row)(void *ud, int n, const kg_value *v);
    void *ud;
} kg_query_sink;

/* Run one statement of the backend's query language over the database at
 * target, where nothing can be written: the backend enforces it its own
 * way, below any inspection of the text (sqlite/sq_guard.c says how for
 * SQLite).  A statement that is refused or not valid is KG_EDENIED /
 * KG_EINVAL, its message saying why, before any callback; a failure after
 * sink->columns was called is one of reading the rows (KG_ECANCELED when
 * *cancel was set, KG_EBUSY past the time limit). */
int kg_store_query_readonly(const char *target, const char *sql, const kg_query_opts *o,
                            const kg_query_sink *sink, kg_err *err);
/* How that query language is written, for the read_query tool's
 * description: a compile-time text because the tool's description is one;
 * a build with several query languages would make the description follow
 * the backend of the target. */
#define KG_STORE_QUERY_DIALECT "SQLite dialect: SELECT or WITH ... SELECT"
#define KG_STORE_QUERY_COLUMNS_HINT "PRAGMA table_info(name) to see a table's columns"

#endif
