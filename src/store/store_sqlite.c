/* store_sqlite: the SQLite backend of store.h.
 *
 * WAL journal so readers never block the one writer; foreign keys on so a
 * deleted document takes its chunks, mentions and evidence with it;
 * synchronous=NORMAL, which in WAL mode is still crash-safe (a power cut may
 * lose the last commits, never corrupt the file).  Statements used per chunk
 * are prepared once per handle. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/schema.h"
#include "store/store_internal.h"

int kg_sq_err(kg_store *s, kg_err *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    int kc = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? KG_EBUSY : KG_EDB;
    if (code == SQLITE_READONLY)
        kc = KG_EDENIED;
    return kg_err_set(err, kc, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int kg_sq_exec(kg_store *s, const char *sql, kg_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_errcode(s->db);
        kg_err_set(err, code == SQLITE_BUSY ? KG_EBUSY : KG_EDB, "%s: %s", s->path,
                   msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return err ? err->code : KG_EDB;
    }
    return KG_OK;
}

int kg_sq_prepare(kg_store *s, const char *sql, sqlite3_stmt **st, kg_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return kg_sq_err(s, err, "prepare");
    return KG_OK;
}

static int user_version(kg_store *s)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int kg_store_schema_version(kg_store *s)
{
    return user_version(s);
}

static int migrate(kg_store *s, kg_err *err)
{
    /* Fast path without taking the write lock: readers opening a database
     * that is already current must not queue behind an ingest. */
    int v = user_version(s);
    if (v == kg_schema_version)
        return KG_OK;
    int rc = kg_sq_exec(s, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    v = user_version(s);
    if (v > kg_schema_version) {
        kg_store_rollback(s);
        return kg_err_set(err, KG_EDB,
                          "%s: database schema version %d is newer than this kgas understands "
                          "(%d); upgrade kgas",
                          s->path, v, kg_schema_version);
    }
    for (; v < kg_schema_version; v++) {
        rc = kg_sq_exec(s, kg_schema_migrations[v], err);
        if (rc) {
            kg_err_prefix(err, "migration %d", v + 1);
            kg_store_rollback(s);
            return rc;
        }
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = kg_sq_exec(s, sql, err)) != KG_OK) {
            kg_store_rollback(s);
            return rc;
        }
    }
    return kg_sq_exec(s, "COMMIT", err);
}

/* The database's journal mode, lower case, into mode[16] ("" if unknown). */
static void journal_mode(kg_store *s, char mode[16])
{
    sqlite3_stmt *st = NULL;
    mode[0] = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(mode, 16, "%s", kg_sq_text(st, 0));
    sqlite3_finalize(st);
}

/* Put the database in WAL mode unless it is already.  Switching needs the
 * database to itself, and SQLite answers BUSY at once, without its busy
 * handler, when another connection is at work, as when two ingests (two
 * MCP calls, two processes) open a new database together.  Then wait for
 * the other's write lock the ordinary way (a write transaction, which does
 * use the busy handler), and look again: by then the other has usually
 * switched it. */
static int ensure_wal(kg_store *s, kg_err *err)
{
    int rc = KG_OK;
    for (int attempt = 0; attempt < 4; attempt++) {
        char mode[16];
        journal_mode(s, mode);
        if (strcmp(mode, "wal") == 0)
            return KG_OK;
        rc = kg_sq_exec(s, "PRAGMA journal_mode=WAL", err);
        if (rc != KG_EBUSY)
            return rc;
        if (kg_sq_exec(s, "BEGIN IMMEDIATE", NULL) == KG_OK)
            kg_sq_exec(s, "ROLLBACK", NULL);
    }
    return rc;
}

int kg_store_open(const char *path, const kg_store_opts *opts, kg_store **out, kg_err *err)
{
    *out = NULL;
    unsigned flags = opts ? opts->flags : 0;
    int busy = opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 10000;
    kg_store *s = kg_xcalloc(1, sizeof *s);
    s->path = kg_xstrdup(path);
    s->readonly = (flags & KG_STORE_READONLY) != 0;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    oflags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        int rc = kg_err_set(err, KG_EDB, "cannot open database %s: %s", path,
                            s->db ? sqlite3_errmsg(s->db) : "out of memory");
        kg_store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, busy);
    sqlite3_extended_result_codes(s->db, 0);
    int rc = KG_OK;
    /* A new database gets 16 KiB pages.  Ingest writes hundreds of bytes of
     * mentions and evidence per kilobyte of text; with 4 KiB pages the
     * b-trees are deeper, a big transaction is four times as many page
     * writes through the WAL, and a 15 MB ingest spent a fifth of its time
     * in the kernel copying them (docs/benchmarks.md).  Point reads, what
     * `kgas query` does, measured the same.  The pragma only takes effect
     * before the first table exists, and a WAL database keeps its size for
     * good, so issuing it on every open changes nothing for an existing
     * file: old databases keep working with their pages as they are. */
    if (!s->readonly)
        rc = kg_sq_exec(s, "PRAGMA page_size=" KG_STORE_PAGE_SIZE_STR, err);
    if (!rc && !s->readonly)
        rc = ensure_wal(s, err);
    if (!rc)
        rc = kg_sq_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", err);
    if (!rc && !s->readonly) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", KG_STORE_CACHE_KIB);
        rc = kg_sq_exec(s, sql, err);
    }
    if (!rc && !s->readonly && !(flags & KG_STORE_NO_MIGRATE))
        rc = migrate(s, err);
    /* Short-lived readers map the file instead of reading it page by page:
     * a query in a new process starts with an empty page cache and reads a
     * few hundred pages, and on a virtual machine each pread is a costly
     * trip into the kernel; mapped, the same pages come from the OS page
     * cache directly (questions naming two entities: p50 38 -> 33 ms, p99
     * 55 -> 48 ms, docs/benchmarks.md).  Only readers: a mapping does not
     * survive the file being truncated under it, and writers are the ones
     * that change the file. */
    if (!rc && s->readonly && (flags & KG_STORE_MAP)) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA mmap_size=%lld", (long long)KG_STORE_MMAP_BYTES);
        rc = kg_sq_exec(s, sql, err);
    }
    if (!rc && s->readonly) {
        int v = user_version(s);
        if (v <= 0)
            rc = kg_err_set(err, KG_EDB, "%s: not a kgas database (no schema)", path);
        else if (v > kg_schema_version)
            rc = kg_err_set(err, KG_EDB, "%s: schema version %d is newer than this kgas (%d)", path,
                            v, kg_schema_version);
    }
    if (rc) {
        /* "file is not a database" and friends arrive here too. */
        kg_store_close(s);
        return rc;
    }
    *out = s;
    return KG_OK;
}

void kg_store_close(kg_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->ins_chunk);
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_mention);
    sqlite3_finalize(s->ins_evidence);
    sqlite3_finalize(s->ins_doc_entity);
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

const char *kg_store_path(const kg_store *s)
{
    return s->path;
}

void *kg_store_native(kg_store *s)
{
    return s->db;
}

int kg_store_begin(kg_store *s, kg_err *err)
{
    /* IMMEDIATE takes the write lock now, so a busy database is reported
     * (after busy_timeout) before any work is done inside the transaction. */
    return kg_sq_exec(s, "BEGIN IMMEDIATE", err);
}

int kg_store_read_begin(kg_store *s, kg_err *err)
{
    return kg_sq_exec(s, "BEGIN DEFERRED", err);
}

void kg_store_read_end(kg_store *s)
{
    kg_store_rollback(s); /* nothing was written: ending it either way is the same */
}

int kg_store_commit(kg_store *s, kg_err *err)
{
    return kg_sq_exec(s, "COMMIT", err);
}

/* Chunks rolled back need no indexing (and batches already written are
 * rolled back with them). */
static void fts_forget(kg_store *s)
{
    s->fts_from = s->fts_to = 0;
    s->fts_bytes = 0;
}

int kg_store_rollback(kg_store *s)
{
    s->sp_depth = 0;
    fts_forget(s);
    kg_sq_rows_forget(s);
    return sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? KG_OK : KG_EDB;
}

int kg_store_savepoint(kg_store *s, kg_err *err)
{
    int rc = kg_sq_exec(s, "SAVEPOINT kg_sp", err);
    if (!rc)
        s->sp_depth++;
    return rc;
}

int kg_store_release(kg_store *s, kg_err *err)
{
    int rc = kg_sq_exec(s, "RELEASE kg_sp", err);
    if (!rc)
        s->sp_depth--;
    return rc;
}

int kg_store_rollback_to(kg_store *s)
{
    fts_forget(s);
    kg_sq_rows_forget(s);
    int rc = sqlite3_exec(s->db, "ROLLBACK TO kg_sp; RELEASE kg_sp", NULL, NULL, NULL);
    s->sp_depth--;
    return rc == SQLITE_OK ? KG_OK : KG_EDB;
}

int kg_store_set_autocheckpoint(kg_store *s, int on, kg_err *err)
{
    /* 1000 pages is SQLite's default. */
    return kg_sq_exec(s, on ? "PRAGMA wal_autocheckpoint=1000" : "PRAGMA wal_autocheckpoint=0",
                      err);
}

int kg_store_checkpoint(kg_store *s, kg_err *err)
{
    int r = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    /* BUSY: another checkpoint is running; what it leaves, the next does. */
    if (r != SQLITE_OK && r != SQLITE_BUSY)
        return kg_sq_err(s, err, "checkpointing the WAL");
    return KG_OK;
}

const char *kg_sq_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

void kg_sq_copy_id(char dst[KG_ID_MAX], const char *src)
{
    kg_sq_copy_str(dst, KG_ID_MAX, src);
}

void kg_sq_copy_str(char *dst, size_t cap, const char *src)
{
    /* snprintf's format machinery costs more than the copy on the paths
     * that read thousands of rows. */
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int kg_store_doc_by_path(kg_store *s, const char *path, int *found, char id_out[KG_ID_MAX],
                         char hash_out[KG_HASH_HEX_LEN + 1], kg_err *err)
{
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, hash FROM documents WHERE path = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = 1;
        kg_sq_copy_id(id_out, kg_sq_text(st, 0));
        if (hash_out)
            snprintf(hash_out, KG_HASH_HEX_LEN + 1, "%s", kg_sq_text(st, 1));
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "looking up a document");
    }
    sqlite3_finalize(st);
    return rc;
}

int kg_store_doc_by_hash(kg_store *s, const char *hash, int *found, char id_out[KG_ID_MAX],
                         char **path_out, kg_err *err)
{
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, path FROM documents WHERE hash = ? LIMIT 1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = 1;
        kg_sq_copy_id(id_out, kg_sq_text(st, 0));
        if (path_out)
            *path_out = kg_xstrdup(kg_sq_text(st, 1));
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "looking up a document");
    }
    sqlite3_finalize(st);
    return rc;
}

int kg_store_doc_insert(kg_store *s, const kg_document *d, kg_err *err)
{
    if (!s->ins_doc) {
        int rc = kg_sq_prepare(
            s,
            "INSERT INTO documents (id, path, hash, title, kind, pages, bytes, chars,"
            " chunks, confidence, ingested_at, operation_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,nullif(?,''))",
            &s->ins_doc, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_doc;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, d->pages);
    sqlite3_bind_int64(st, 7, d->bytes);
    sqlite3_bind_int64(st, 8, d->chars);
    sqlite3_bind_int64(st, 9, d->chunks);
    sqlite3_bind_double(st, 10, d->confidence);
    sqlite3_bind_int64(st, 11, d->ingested_at);
    sqlite3_bind_text(st, 12, s->op_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting a document");
    return KG_OK;
}

/* Put the pending chunks into the full-text index, in one statement
 * (schema migration 5 says why not a trigger per chunk).  The writer is the
 * only one inserting chunks inside its transaction, so the rowids from
 * fts_from to fts_to are exactly the chunks it inserted since the last
 * batch. */
static int fts_flush(kg_store *s, kg_err *err)
{
    if (s->fts_from == 0)
        return KG_OK;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT INTO chunks_fts(rowid, text) SELECT rowid, text FROM chunks"
                           " WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, s->fts_from);
    sqlite3_bind_int64(st, 2, s->fts_to);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "indexing a document's text");
    sqlite3_finalize(st);
    if (!rc)
        fts_forget(s);
    return rc;
}

int kg_store_doc_finish(kg_store *s, const kg_document *d, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "UPDATE documents SET title = ?, pages = ?, chars = ?, chunks = ?,"
                           " confidence = ? WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, d->pages);
    sqlite3_bind_int64(st, 3, d->chars);
    sqlite3_bind_int64(st, 4, d->chunks);
    sqlite3_bind_double(st, 5, d->confidence);
    sqlite3_bind_text(st, 6, d->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "updating a document");
    sqlite3_finalize(st);
    if (!rc && strcmp(s->rows_doc, d->id) == 0)
        rc = kg_sq_rows_persist(s, err);
    if (rc)
        return rc;
    return fts_flush(s, err);
}

int kg_store_doc_delete(kg_store *s, const char *id, kg_err *err)
{
    /* Mentions and evidence carry neither a foreign key nor an index on
     * document_id (schema migration 8 says why): they go first, found by
     * the stretch of rowids the document's rows were written in, and
     * checked by document_id within it.  Chunks, their full text and
     * vectors, and the document's entities follow the document by cascade
     * and triggers.  The caller's transaction or savepoint makes it all or
     * nothing. */
    static const char *const sql[] = {
        "DELETE FROM mentions WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1",
        "DELETE FROM relation_evidence WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1",
        "DELETE FROM documents WHERE id = ?1",
    };
    kg_row_span rows[2];
    int rc = kg_sq_rows_of(s, id, rows, err);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
        sqlite3_stmt *st = NULL;
        if ((rc = kg_sq_prepare(s, sql[i], &st, err)) != KG_OK)
            break;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (i < 2) {
            sqlite3_bind_int64(st, 2, rows[i].from);
            sqlite3_bind_int64(st, 3, rows[i].to);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "deleting a document");
        sqlite3_finalize(st);
    }
    if (!rc && strcmp(s->rows_doc, id) == 0)
        kg_sq_rows_forget(s);
    return rc;
}

int kg_store_chunk_insert(kg_store *s, const kg_chunk *c, kg_err *err)
{
    if (!s->ins_chunk) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO chunks (id, document_id, ordinal, page_start, page_end,"
                               " char_start, char_end, tokens, section, text)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?)",
                               &s->ins_chunk, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_chunk;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, c->ordinal);
    sqlite3_bind_int(st, 4, c->page_start);
    sqlite3_bind_int(st, 5, c->page_end);
    sqlite3_bind_int64(st, 6, c->char_start);
    sqlite3_bind_int64(st, 7, c->char_end);
    sqlite3_bind_int(st, 8, c->tokens);
    if (c->section)
        sqlite3_bind_text(st, 9, c->section, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, c->text, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting a chunk");
    int64_t rowid = sqlite3_last_insert_rowid(s->db);
    if (s->fts_from == 0)
        s->fts_from = rowid;
    s->fts_to = rowid;
    s->fts_bytes += strlen(c->text);
    return s->fts_bytes >= KG_STORE_FTS_BATCH_BYTES ? fts_flush(s, err) : KG_OK;
}

int kg_store_doc_list(kg_store *s, kg_doc_row **rows, size_t *n, kg_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT id, path, title, kind, hash, pages, bytes, chars, chunks,"
                           " ingested_at, confidence FROM documents ORDER BY path",
                           &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *rows = kg_xrealloc(*rows, cap * sizeof **rows);
        }
        kg_doc_row *d = &(*rows)[(*n)++];
        kg_sq_copy_id(d->id, kg_sq_text(st, 0));
        d->path = kg_xstrdup(kg_sq_text(st, 1));
        d->title = kg_xstrdup(kg_sq_text(st, 2));
        d->kind = kg_xstrdup(kg_sq_text(st, 3));
        d->hash = kg_xstrdup(kg_sq_text(st, 4));
        d->pages = sqlite3_column_int(st, 5);
        d->bytes = sqlite3_column_int64(st, 6);
        d->chars = sqlite3_column_int64(st, 7);
        d->chunks = sqlite3_column_int64(st, 8);
        d->ingested_at = sqlite3_column_int64(st, 9);
        d->confidence = sqlite3_column_double(st, 10);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "listing documents");
    sqlite3_finalize(st);
    return rc;
}

void kg_doc_rows_free(kg_doc_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path);
        free(rows[i].title);
        free(rows[i].kind);
        free(rows[i].hash);
    }
    free(rows);
}

/* Turn free text into an FTS5 query: each word becomes a quoted term, OR-ed
 * together so BM25 ranks chunks by how many (and how rare) words match.
 * Quoting makes every FTS operator character plain text. */
char *kg_sq_fts_query(const char *q)
{
    kg_buf b = KG_BUF_INIT, seen = KG_BUF_INIT; /* seen: " term term ", lower-case */
    const unsigned char *p = (const unsigned char *)q;
    int terms = 0;
    while (*p && terms < KG_FTS_MAX_TERMS) {
        while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                       (*p >= 'A' && *p <= 'Z')))
            p++;
        const unsigned char *start = p;
        while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                      (*p >= 'A' && *p <= 'Z') || *p == '\'' || *p == '-'))
            p++;
        if (p == start)
            continue;
        /* A word said twice is one term: a long text repeating itself
         * costs what its vocabulary does. */
        size_t mark = seen.len;
        kg_buf_putc(&seen, ' ');
        for (const unsigned char *c = start; c < p; c++)
            kg_buf_putc(&seen, (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
        kg_buf_putc(&seen, ' ');
        seen.data[seen.len] = '\0';
        if (mark && strstr(seen.data, seen.data + mark) < seen.data + mark) {
            kg_buf_truncate(&seen, mark);
            continue;
        }
        kg_buf_truncate(&seen, seen.len - 1);
        if (terms++)
            kg_buf_puts(&b, " OR ");
        kg_buf_putc(&b, '"');
        for (const unsigned char *c = start; c < p; c++) {
            if (*c == '"')
                kg_buf_putc(&b, '"');
            kg_buf_putc(&b, (char)*c);
        }
        kg_buf_putc(&b, '"');
    }
    kg_buf_free(&seen);
    if (!terms) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_steal(&b);
}

int kg_store_search(kg_store *s, const char *query, int limit, kg_search_hit **hits, size_t *n,
                    kg_err *err)
{
    *hits = NULL;
    *n = 0;
    char *fq = kg_sq_fts_query(query);
    if (!fq)
        return kg_err_set(err, KG_EINVAL, "search: the query '%s' has no words to search for",
                          query);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s,
        "SELECT c.document_id, c.id, d.path, d.title, c.page_start, c.char_start,"
        " c.char_end, snippet(chunks_fts, 0, '[', ']', '...', 24), bm25(chunks_fts)"
        " FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid"
        " JOIN documents d ON d.id = c.document_id"
        " WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
        &st, err);
    if (rc) {
        free(fq);
        return rc;
    }
    sqlite3_bind_text(st, 1, fq, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : 10);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *hits = kg_xrealloc(*hits, cap * sizeof **hits);
        }
        kg_search_hit *h = &(*hits)[(*n)++];
        kg_sq_copy_id(h->doc_id, kg_sq_text(st, 0));
        kg_sq_copy_id(h->chunk_id, kg_sq_text(st, 1));
        h->path = kg_xstrdup(kg_sq_text(st, 2));
        h->title = kg_xstrdup(kg_sq_text(st, 3));
        h->page = sqlite3_column_int(st, 4);
        h->char_start = sqlite3_column_int64(st, 5);
        h->char_end = sqlite3_column_int64(st, 6);
        h->snippet = kg_xstrdup(kg_sq_text(st, 7));
        h->score = -sqlite3_column_double(st, 8);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "searching");
    sqlite3_finalize(st);
    free(fq);
    return rc;
}

void kg_search_hits_free(kg_search_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hits[i].path);
        free(hits[i].title);
        free(hits[i].snippet);
    }
    free(hits);
}

static int count(kg_store *s, const char *sql, int64_t *out, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = kg_sq_err(s, err, "counting");
    sqlite3_finalize(st);
    return rc;
}

int kg_store_stats_get(kg_store *s, kg_store_stats *st, kg_err *err)
{
    memset(st, 0, sizeof *st);
    int rc = count(s, "SELECT count(*) FROM documents", &st->documents, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM chunks", &st->chunks, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM mentions", &st->mentions, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM entities", &st->entities, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM relationships", &st->relationships, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM embeddings", &st->embeddings, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(pages),0) FROM documents", &st->pages, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(bytes),0) FROM documents", &st->bytes, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(chars),0) FROM documents", &st->chars, err);
    return rc;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int kg_store_op_begin(kg_store *s, const char *tool, const char *params_json,
                      const char *inputs_json, char id_out[KG_ID_MAX], kg_err *err)
{
    /* Unique per run: wall time with nanoseconds, the process and the tool. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char when[64];
    snprintf(when, sizeof when, "%lld.%09ld/%ld", (long long)ts.tv_sec, ts.tv_nsec, (long)getpid());
    const char *parts[] = {tool, when};
    kg_make_id(id_out, "op", parts, 2);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT INTO operations (id, tool, parameters, inputs, status,"
                           " started_at) VALUES (?, ?, ?, ?, 'running', ?)",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, params_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, inputs_json, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, wall_now());
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "recording an operation");
    sqlite3_finalize(st);
    if (!rc)
        kg_sq_copy_id(s->op_id, id_out);
    return rc;
}

int kg_store_op_end(kg_store *s, const char *id, const char *status, const char *outputs_json,
                    const char *error, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "UPDATE operations SET status = ?, outputs = ?, error = ?,"
                           " ended_at = ? WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, outputs_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, wall_now());
    sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "closing an operation");
    sqlite3_finalize(st);
    if (strcmp(s->op_id, id) == 0)
        s->op_id[0] = '\0';
    return rc;
}

const char *kg_store_op_current(const kg_store *s)
{
    return s->op_id;
}

int kg_store_check(kg_store *s, char **report, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "PRAGMA integrity_check", &st, err);
    if (rc)
        return rc;
    kg_buf b = KG_BUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (b.len)
            kg_buf_putc(&b, '\n');
        kg_buf_puts(&b, kg_sq_text(st, 0));
    }
    sqlite3_finalize(st);
    *report = kg_buf_steal(&b);
    return KG_OK;
}
