/* sq_open: the SQLite backend's kg_store_backend, opening a database, and
 * the handle's methods (store.h: transactions, savepoints, checkpoints).
 *
 * WAL journal so readers never block the one writer; foreign keys on so a
 * deleted document takes its chunks, mentions and evidence with it;
 * synchronous=NORMAL, which in WAL mode is still crash-safe (a power cut may
 * lose the last commits, never corrupt the file). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/sqlite/sq_backend.h"
#include "store/sqlite/sq_internal.h"
#include "store/sqlite/sq_schema.h"

int kg_sq_err(kg_sq *s, kg_err *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    int kc = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? KG_EBUSY : KG_EDB;
    if (code == SQLITE_READONLY)
        kc = KG_EDENIED;
    return kg_err_set(err, kc, "%s: %s: %s", s->base.path, what, sqlite3_errmsg(s->db));
}

int kg_sq_exec(kg_sq *s, const char *sql, kg_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_errcode(s->db);
        kg_err_set(err, code == SQLITE_BUSY ? KG_EBUSY : KG_EDB, "%s: %s", s->base.path,
                   msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return err ? err->code : KG_EDB;
    }
    return KG_OK;
}

int kg_sq_prepare(kg_sq *s, const char *sql, sqlite3_stmt **st, kg_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return kg_sq_err(s, err, "prepare");
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

static int user_version(kg_sq *s)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int sq_schema_version(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    return user_version(s);
}

static int migrate(kg_sq *s, kg_err *err)
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
        kg_store_rollback(&s->base);
        return kg_err_set(err, KG_EDB,
                          "%s: database schema version %d is newer than this kgas understands "
                          "(%d); upgrade kgas",
                          s->base.path, v, kg_schema_version);
    }
    for (; v < kg_schema_version; v++) {
        rc = kg_sq_exec(s, kg_schema_migrations[v], err);
        if (rc) {
            kg_err_prefix(err, "migration %d", v + 1);
            kg_store_rollback(&s->base);
            return rc;
        }
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = kg_sq_exec(s, sql, err)) != KG_OK) {
            kg_store_rollback(&s->base);
            return rc;
        }
    }
    return kg_sq_exec(s, "COMMIT", err);
}

/* The database's journal mode, lower case, into mode[16] ("" if unknown). */
static void journal_mode(kg_sq *s, char mode[16])
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
static int ensure_wal(kg_sq *s, kg_err *err)
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

static void sq_close(kg_store *store);

static int sq_open(const char *path, const kg_store_opts *opts, kg_store **out, kg_err *err)
{
    *out = NULL;
    unsigned flags = opts ? opts->flags : 0;
    int busy = opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 10000;
    kg_sq *s = kg_xcalloc(1, sizeof *s);
    kg_store_init(&s->base, &kg_sqlite_backend, path);
    s->readonly = (flags & KG_STORE_READONLY) != 0;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    oflags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        int rc = kg_err_set(err, KG_EDB, "cannot open database %s: %s", path,
                            s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(&s->base);
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
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return KG_OK;
}

static void sq_close(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_finalize(s->ins_chunk);
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_mention);
    sqlite3_finalize(s->ins_evidence);
    sqlite3_finalize(s->ins_doc_entity);
    sqlite3_finalize(s->ins_entity);
    sqlite3_finalize(s->ins_relationship);
    if (s->db)
        sqlite3_close_v2(s->db);
    kg_store_fini(&s->base);
    free(s);
}

sqlite3 *kg_sqlite_handle(kg_store *s)
{
    return s && s->be == &kg_sqlite_backend ? kg_sq_of(s)->db : NULL;
}

static int sq_begin(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* IMMEDIATE takes the write lock now, so a busy database is reported
     * (after busy_timeout) before any work is done inside the transaction. */
    return kg_sq_exec(s, "BEGIN IMMEDIATE", err);
}

static int sq_read_begin(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return kg_sq_exec(s, "BEGIN DEFERRED", err);
}

static void sq_read_end(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    kg_store_rollback(&s->base); /* nothing was written: ending it either way is the same */
}

static int sq_commit(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    return kg_sq_exec(s, "COMMIT", err);
}

static int sq_rollback(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    s->sp_depth = 0;
    kg_sq_fts_forget(s);
    kg_sq_rows_forget(s);
    return sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? KG_OK : KG_EDB;
}

static int sq_savepoint(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int rc = kg_sq_exec(s, "SAVEPOINT kg_sp", err);
    if (!rc)
        s->sp_depth++;
    return rc;
}

static int sq_release(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int rc = kg_sq_exec(s, "RELEASE kg_sp", err);
    if (!rc)
        s->sp_depth--;
    return rc;
}

static int sq_rollback_to(kg_store *store)
{
    kg_sq *s = kg_sq_of(store);
    kg_sq_fts_forget(s);
    kg_sq_rows_forget(s);
    int rc = sqlite3_exec(s->db, "ROLLBACK TO kg_sp; RELEASE kg_sp", NULL, NULL, NULL);
    s->sp_depth--;
    return rc == SQLITE_OK ? KG_OK : KG_EDB;
}

static int sq_set_autocheckpoint(kg_store *store, int on, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* 1000 pages is SQLite's default. */
    return kg_sq_exec(s, on ? "PRAGMA wal_autocheckpoint=1000" : "PRAGMA wal_autocheckpoint=0",
                      err);
}

static int sq_checkpoint(kg_store *store, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    int r = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    /* BUSY: another checkpoint is running; what it leaves, the next does. */
    if (r != SQLITE_OK && r != SQLITE_BUSY)
        return kg_sq_err(s, err, "checkpointing the WAL");
    return KG_OK;
}

static int sq_check(kg_store *store, char **report, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
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

const kg_store_methods kg_sq_store_methods = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .release = sq_release,
    .rollback_to = sq_rollback_to,
    .set_autocheckpoint = sq_set_autocheckpoint,
    .checkpoint = sq_checkpoint,
    .check = sq_check,
};

const kg_store_backend kg_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .exists = kg_sq_exists,
    .stamp = kg_sq_stamp,
    .remove = kg_sq_remove,
    .query_readonly = kg_sq_query_readonly,
    .store = &kg_sq_store_methods,
    .docs = &kg_sq_doc_store_methods,
    .graph = &kg_sq_graph_store_methods,
    .read = &kg_sq_graph_read_methods,
    .exp = &kg_sq_export_store_methods,
    .hood = &kg_sq_hood_store_methods,
    .merge = &kg_sq_merge_store_methods,
    .vec = &kg_sq_vector_store_methods,
    .vindex = &kg_sq_vindex_store_methods,
    .cache = &kg_sq_cache_store_methods,
    .entvec = &kg_sq_entvec_store_methods,
    .retrieval = &kg_sq_retrieval_store_methods,
    .relstats = &kg_sq_relstats_store_methods,
};
