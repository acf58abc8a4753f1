/* sqlguard: see sqlguard.h for the layers of refusal. */
#include "store/sqlite/sq_guard.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"

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

/* jansson refuses invalid UTF-8; text columns may hold any bytes. */
static json_t *text_value(const unsigned char *s, int n)
{
    json_t *j = json_stringn((const char *)s, (size_t)n);
    if (j)
        return j;
    char *copy = kg_xstrndup((const char *)s, (size_t)n);
    for (int i = 0; i < n; i++)
        if ((unsigned char)copy[i] >= 0x80)
            copy[i] = '?';
    j = json_stringn(copy, (size_t)n);
    free(copy);
    return j ? j : json_string("");
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

int kg_sqlguard_query(const char *db_path, const char *sql, const kg_sqlguard_opts *o,
                      json_t **result, kg_err *err)
{
    *result = NULL;
    guard g;
    memset(&g, 0, sizeof g);
    double t0 = kg_now();
    g.deadline = t0 + (o->timeout_ms > 0 ? o->timeout_ms : 5000) / 1000.0;
    g.cancel = o->cancel;
    sqlite3 *db;
    if (open_guarded(db_path, &g, &db, err) != KG_OK)
        return KG_EDB;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
    if (rc != SQLITE_OK) {
        if (g.denied[0])
            kg_err_set(err, KG_EDENIED, "argument 'sql': refused: %s", g.denied);
        else
            kg_err_set(err, KG_EINVAL, "argument 'sql': %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return err->code;
    }
    if (!st) {
        sqlite3_close(db);
        return kg_err_set(err, KG_EINVAL, "argument 'sql': holds no statement");
    }
    if (tail && *skip_blank(tail)) {
        sqlite3_finalize(st);
        sqlite3_close(db);
        return kg_err_set(err, KG_EDENIED,
                          "argument 'sql': refused: one statement per call (found more after "
                          "the first; remove everything after it)");
    }
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        sqlite3_close(db);
        return kg_err_set(err, KG_EDENIED,
                          "argument 'sql': refused: only reading is allowed (this statement "
                          "would change the database or write a file)");
    }
    int ncol = sqlite3_column_count(st);
    json_t *cols = json_array();
    for (int c = 0; c < ncol; c++) {
        const char *name = sqlite3_column_name(st, c);
        json_array_append_new(cols, text_value((const unsigned char *)(name ? name : ""),
                                               (int)strlen(name ? name : "")));
    }
    json_t *rows = json_array();
    int nrows = 0, truncated = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (nrows >= o->max_rows) {
            truncated = 1;
            break;
        }
        json_t *row = json_array();
        for (int c = 0; c < ncol; c++) {
            json_t *v;
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st, c)); break;
            case SQLITE_FLOAT: v = json_real(sqlite3_column_double(st, c)); break;
            case SQLITE_TEXT:
                v = text_value(sqlite3_column_text(st, c), sqlite3_column_bytes(st, c));
                break;
            case SQLITE_BLOB: {
                char b[64];
                snprintf(b, sizeof b, "<blob of %d bytes>", sqlite3_column_bytes(st, c));
                v = json_string(b);
                break;
            }
            default: v = json_null();
            }
            json_array_append_new(row, v ? v : json_null());
        }
        json_array_append_new(rows, row);
        nrows++;
    }
    int status = KG_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (g.cancelled)
            status = kg_err_set(err, KG_ECANCELED, "read_query: cancelled");
        else if (g.timed_out)
            status = kg_err_set(err, KG_EBUSY,
                                "read_query: the statement ran longer than %d ms and was "
                                "stopped (add a LIMIT or a narrower WHERE)",
                                o->timeout_ms);
        else
            status = kg_err_set(err, KG_EDB, "read_query: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (status != KG_OK) {
        json_decref(cols);
        json_decref(rows);
        return status;
    }
    *result = json_pack("{s:o, s:o, s:i, s:b, s:f}", "columns", cols, "rows", rows, "row_count",
                        nrows, "truncated", truncated, "ms", (kg_now() - t0) * 1000.0);
    return KG_OK;
}
