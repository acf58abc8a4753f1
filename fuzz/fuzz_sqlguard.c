/* fuzz_sqlguard: the read-only SQL guard behind the read_query tool
 * (kg_store_query_readonly, store/store.h; SQLite's own way in
 * store/sqlite/sq_guard.c).  Any SQL text runs
 * against a real kgas database; afterwards the database files and the
 * scratch folder must be exactly as before: a write, an ATTACHed file or a
 * loaded extension that got through is a finding (the harness traps). */
#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "common.h"
#include "store/store.h"
#include "tools/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_db[1024];

static void make_db(void)
{
    snprintf(g_db, sizeof g_db, "%s/guard.db", fz_dir());
    kg_store *s = NULL;
    kg_store_opts o = {0, 1000};
    kg_err e;
    if (kg_store_open(g_db, &o, &s, &e) != KG_OK)
        abort();
    kg_store_close(s);
    sqlite3 *db = NULL;
    if (sqlite3_open(g_db, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "INSERT INTO meta(key, value) VALUES ('a', '1'), ('b', 'two');"
                     "PRAGMA wal_checkpoint(TRUNCATE);",
                     NULL, NULL, NULL) != SQLITE_OK)
        abort();
    sqlite3_close(db);
}

/* Read at most 50 rows, as the tool does; the values are only touched. */
static int on_row(void *ud, int n, const kg_value *v)
{
    size_t *rows = ud, bytes = 0;
    for (int i = 0; i < n; i++)
        bytes += v[i].type == KG_VALUE_TEXT || v[i].type == KG_VALUE_BLOB ? v[i].len : 8;
    (void)bytes;
    return ++*rows >= 50;
}

static char *state(void)
{
    kg_buf b = KG_BUF_INIT;
    kg_tool_db_stamp(g_db, &b);
    DIR *d = opendir(fz_dir());
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strncmp(de->d_name, "guard.db", 8) != 0)
            kg_buf_printf(&b, "|%s", de->d_name);
    if (d)
        closedir(d);
    return kg_buf_steal(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_db[0])
        make_db();
    char *sql = fz_str(data, size);
    char *before = state();
    kg_query_opts o = {20, NULL};
    size_t rows = 0;
    kg_query_sink sink = {NULL, on_row, &rows};
    kg_err e;
    kg_store_query_readonly(g_db, sql, &o, &sink, &e);
    char *after = state();
    if (strcmp(before, after) != 0)
        __builtin_trap(); /* the guard let something write */
    free(before);
    free(after);
    free(sql);
    return 0;
}
