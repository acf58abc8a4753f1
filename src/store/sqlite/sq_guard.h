/* sqlguard: read-only SQL over the graph database, read-only by construction.
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
 * Memory: *result is a new JSON object the caller owns. */
#ifndef KG_TOOLS_SQLGUARD_H
#define KG_TOOLS_SQLGUARD_H

#include <jansson.h>

#include "base/err.h"

typedef struct kg_sqlguard_opts {
    int max_rows;         /* rows returned at most (more are reported as truncated) */
    int timeout_ms;       /* the statement is interrupted after this long */
    volatile int *cancel; /* may be NULL */
} kg_sqlguard_opts;

/* Run sql on the database at db_path.  *result = {columns, rows (lists in
 * column order), row_count, truncated, ms}. */
int kg_sqlguard_query(const char *db_path, const char *sql, const kg_sqlguard_opts *o,
                      json_t **result, kg_err *err);

#endif
