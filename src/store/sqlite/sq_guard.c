/* sq_guard: kg_store_query_readonly for SQLite: one SQL statement over the
 * graph database, read-only by construction.
 *
 * The read_query tool lets a model (or a person) ask the database anything
 * it can express as one SELECT.  Keyword lists are easy to get around
 * (`WITH x AS (...) DELETE`, comments, pragmas), so nothing here inspects the
 * text.  Instead every layer below refuses writes on its own:
 *   - a separate connection opened SQLITE_OPEN_READONLY, with
 *     PRAGMA query_only, defensive mode, untrusted schema and extension
 *     loading disabled;
 *   - an authorizer that allows only reading (SELECT, column reads,
 *     recursive CTEs, ordinary functions, a short list of read-only
 *     pragmas) and denies everything else: writes, DDL, ATTACH/DETACH,
 *     transactions, savepoints, and functions that touch files or load
 *     code (load_extension, readfile, writefile, edit, fts3_tokenizer);
 *   - sqlite3_stmt_readonly() must agree (catches VACUUM INTO);
 *   - exactly one statement: the tail after the first statement may hold
 *     only whitespace and comments;
 *   - a row limit, and a time limit enforced by a progress handler, which
 *     also honours the caller's cancel flag.
 *
 * Errors follow store.h: what is wrong with the statement (refused, not
 * valid SQL) is KG_EDENIED / KG_EINVAL before any callback; a failure while
 * rows are read comes after the columns callback. */

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"
#include "store/sqlite/sq_internal.h"

typedef struct guard {
    double deadline;
    volatile int *cancel;
    int timed_out, cancelled;
    char denied[256]; /* what the authorizer refused, for the message */
} guard;

/* Pragmas that only report.  Those in the second list take a table or index
 * name as their argument; the rest must have no argument, because
 * "PRAGMA user_version = 5" is the same pragma with a value and writes. */
static const char *const READ_PRAGMAS_NOARG[] = {
    "data_version",    "schema_version", "user_version",   "page_count",  "page_size",
    "freelist_count",  "encoding",       "collation_list", "table_list",  "database_list",
    "compile_options", "function_list",  "module_list",    "pragma_list",
};
static const char *const READ_PRAGMAS_TABLE[] = {
    "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
};
static const char *const DENIED_FUNCTIONS[] = {
    "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "fts5",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s && strcasecmp(s, list[i]) == 0)
            return 1;
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *a3,
                     const char *a4)
{
    (void)a3;
    (void)a4;
    guard *g = ud;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE: return SQLITE_OK;
    case SQLITE_FUNCTION:
        /* a2 is the function name for SQLITE_FUNCTION. */
        if (in_list(a2, DENIED_FUNCTIONS, NELEM(DENIED_FUNCTIONS))) {
            snprintf(g->denied, sizeof g->denied, "the function %s() touches files or loads code",
                     a2);
            return SQLITE_DENY;
        }
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        if (in_list(a1, READ_PRAGMAS_TABLE, NELEM(READ_PRAGMAS_TABLE)))
            return SQLITE_OK;
        if (!a2 && in_list(a1, READ_PRAGMAS_NOARG, NELEM(READ_PRAGMAS_NOARG)))
            return SQLITE_OK;
        snprintf(g->denied, sizeof g->denied,
                 "PRAGMA %s%s%s is not one of the read-only pragmas allowed", a1 ? a1 : "?",
                 a2 ? " = " : "", a2 ? a2 : "");
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        snprintf(g->denied, sizeof g->denied, "ATTACH and DETACH are not allowed");
        return SQLITE_DENY;
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        snprintf(g->denied, sizeof g->denied, "transactions and savepoints are not allowed");
        return SQLITE_DENY;
    default:
        snprintf(g->denied, sizeof g->denied,
                 "only reading is allowed (this statement would change the database)");
        return SQLITE_DENY;
    }
}

static int on_progress(void *ud)
{
    guard *g = ud;
    if (g->cancel && *g->cancel) {
        g->cancelled = 1;
        return 1;
    }
    if (kg_now() > g->deadline) {
        g->timed_out = 1;
        return 1;
    }
    return 0;
}

/* Skip whitespace and SQL comments; returns the first other byte. */
static const char *skip_blank(const char *p)
{
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e)
                return p + strlen(p); /* an unterminated comment is a comment */
            p = e + 2;
        } else {
            return p;
        }
    }
}

static int open_guarded(const char *path, guard *g, sqlite3 **out, kg_err *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        kg_err_set(err, KG_EDB, "cannot open %s read-only: %s", path,
                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return KG_EDB;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
    sqlite3_busy_timeout(db, 2000);
    /* Before the authorizer exists (which would deny it). */
    if (sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
        kg_err_set(err, KG_EDB, "cannot make the connection query-only: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return KG_EDB;
    }
    sqlite3_set_authorizer(db, authorize, g);
    sqlite3_progress_handler(db, 1000, on_progress, g);
    *out = db;
    return KG_OK;
}

/* The statement, checked: one statement, prepared under the authorizer,
 * that SQLite itself says is read-only.  Fails with the reason. */
static int prepare_checked(sqlite3 *db, const guard *g, const char *sql, sqlite3_stmt **out,
                           kg_err *err)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
        if (g->denied[0])
            return kg_err_set(err, KG_EDENIED, "refused: %s", g->denied);
        return kg_err_set(err, KG_EINVAL, "%s", sqlite3_errmsg(db));
    }
    if (!st)
        return kg_err_set(err, KG_EINVAL, "holds no statement");
    if (tail && *skip_blank(tail)) {
        sqlite3_finalize(st);
        return kg_err_set(err, KG_EDENIED,
                          "refused: one statement per call (found more after the first; "
                          "remove everything after it)");
    }
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        return kg_err_set(err, KG_EDENIED,
                          "refused: only reading is allowed (this statement would change the "
                          "database or write a file)");
    }
    *out = st;
    return KG_OK;
}

static void column_value(sqlite3_stmt *st, int c, kg_value *v)
{
    memset(v, 0, sizeof *v);
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
        v->type = KG_VALUE_INT;
        v->i = sqlite3_column_int64(st, c);
        break;
    case SQLITE_FLOAT:
        v->type = KG_VALUE_REAL;
        v->d = sqlite3_column_double(st, c);
        break;
    case SQLITE_TEXT:
        v->type = KG_VALUE_TEXT;
        v->text = (const char *)sqlite3_column_text(st, c);
        v->len = (size_t)sqlite3_column_bytes(st, c);
        break;
    case SQLITE_BLOB:
        v->type = KG_VALUE_BLOB;
        v->text = sqlite3_column_blob(st, c);
        v->len = (size_t)sqlite3_column_bytes(st, c);
        break;
    default: v->type = KG_VALUE_NULL;
    }
}

/* Columns, then rows until the sink stops or the statement ends. */
static int run_rows(sqlite3 *db, sqlite3_stmt *st, const guard *g, const kg_query_opts *o,
                    const kg_query_sink *sink, kg_err *err)
{
    int ncol = sqlite3_column_count(st);
    const char **names = kg_xcalloc((size_t)ncol + 1, sizeof *names);
    kg_value *vals = kg_xcalloc((size_t)ncol + 1, sizeof *vals);
    for (int c = 0; c < ncol; c++) {
        const char *name = sqlite3_column_name(st, c);
        names[c] = name ? name : "";
    }
    int stop = sink->columns ? sink->columns(sink->ud, ncol, names) : 0;
    int r = SQLITE_ROW;
    while (!stop && (r = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < ncol; c++)
            column_value(st, c, &vals[c]);
        stop = sink->row(sink->ud, ncol, vals);
    }
    free(names);
    free(vals);
    if (r == SQLITE_ROW || r == SQLITE_DONE)
        return KG_OK;
    if (g->cancelled)
        return kg_err_set(err, KG_ECANCELED, "cancelled");
    if (g->timed_out)
        return kg_err_set(err, KG_EBUSY,
                          "the statement ran longer than %d ms and was stopped (add a LIMIT or "
                          "a narrower WHERE)",
                          o->timeout_ms);
    return kg_err_set(err, KG_EDB, "%s", sqlite3_errmsg(db));
}

int kg_sq_query_readonly(const char *db_path, const char *sql, const kg_query_opts *o,
                         const kg_query_sink *sink, kg_err *err)
{
    guard g;
    memset(&g, 0, sizeof g);
    g.deadline = kg_now() + (o->timeout_ms > 0 ? o->timeout_ms : 5000) / 1000.0;
    g.cancel = o->cancel;
    sqlite3 *db;
    if (open_guarded(db_path, &g, &db, err) != KG_OK)
        return KG_EDB;
    sqlite3_stmt *st = NULL;
    int rc = prepare_checked(db, &g, sql, &st, err);
    if (!rc)
        rc = run_rows(db, st, &g, o, sink, err);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
