/* Unit tests for store/ (SQLite backend): schema, documents, chunks, full
 * text, savepoints, cascades, read-only handles, concurrent handles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "store/export_store.h"
#include "store/sqlite/sq_backend.h"
#include "store/sqlite/sq_schema.h"
#include "store/store.h"
#include "testutil.h"

static kg_store *open_rw(const char *path)
{
    kg_store *s = NULL;
    kg_err e;
    int rc = kg_store_open(path, NULL, &s, &e);
    if (rc)
        fail_msg("open %s: %s", path, e.msg);
    return s;
}

static void make_doc(kg_document *d, const char *path, const char *content)
{
    memset(d, 0, sizeof *d);
    kg_hash_hex(content, strlen(content), d->hash);
    const char *parts[] = {d->hash};
    kg_make_id(d->id, "doc", parts, 1);
    d->path = path;
    d->title = "A title";
    d->kind = "txt";
    d->pages = 1;
    d->bytes = (int64_t)strlen(content);
    d->confidence = 1.0;
    d->ingested_at = 1700000000;
}

static void add_chunk(kg_store *s, const kg_document *d, int ord, const char *text)
{
    kg_chunk c;
    memset(&c, 0, sizeof c);
    snprintf(c.doc_id, sizeof c.doc_id, "%s", d->id);
    char o[16];
    snprintf(o, sizeof o, "%d", ord);
    const char *parts[] = {d->id, o};
    kg_make_id(c.id, "chunk", parts, 2);
    c.ordinal = ord;
    c.page_start = c.page_end = 1;
    c.char_start = ord * 100;
    c.char_end = ord * 100 + (int64_t)strlen(text);
    c.tokens = 5;
    c.text = text;
    c.section = ord ? "Methods" : NULL;
    kg_err e;
    if (kg_store_chunk_insert(s, &c, &e))
        fail_msg("chunk: %s", e.msg);
}

static void test_open_migrate_and_reopen(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "a.db");
    kg_store *s = open_rw(db);
    assert_int_equal(kg_store_schema_version(s), kg_schema_version);
    assert_string_equal(kg_store_path(s), db);
    assert_non_null(kg_sqlite_handle(s));
    char *report = NULL;
    kg_err e;
    assert_int_equal(kg_store_check(s, &report, &e), KG_OK);
    assert_string_equal(report, "ok");
    free(report);
    kg_store_close(s);
    s = open_rw(db); /* second open: nothing to migrate */
    assert_int_equal(kg_store_schema_version(s), kg_schema_version);
    kg_store_close(s);
    kg_store_close(NULL);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

static int page_size_of(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* A new database gets KG_STORE_PAGE_SIZE; one made elsewhere with SQLite's
 * default keeps its pages, migrates and works. */
static int64_t pragma_int(kg_store *s, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(kg_sqlite_handle(s), sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* Readers asking for it (KG_STORE_MAP) map the file; other readers and
 * writers read it page by page. */
static void test_readers_map_the_file(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "m.db");
    kg_store *w = open_rw(db);
    assert_int_equal(pragma_int(w, "PRAGMA mmap_size"), 0);
    kg_store *r = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(db, &ro, &r, &e), KG_OK);
    assert_int_equal(pragma_int(r, "PRAGMA mmap_size"), 0);
    kg_store_close(r);
    kg_store_opts map = {KG_STORE_READONLY | KG_STORE_MAP, 0};
    assert_int_equal(kg_store_open(db, &map, &r, &e), KG_OK);
    assert_true(pragma_int(r, "PRAGMA mmap_size") > 0);
    /* An export turns the mapping off for its walk of the whole file. */
    assert_int_equal(kg_store_export_begin(r, &e), KG_OK);
    assert_int_equal(pragma_int(r, "PRAGMA mmap_size"), 0);
    kg_store_export_end(r);
    assert_int_equal(kg_store_schema_version(r), kg_schema_version);
    kg_store_close(r);
    kg_store_close(w);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

static void test_page_size(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "new.db");
    kg_store *s = open_rw(db);
    kg_store_close(s);
    assert_int_equal(page_size_of(db), KG_STORE_PAGE_SIZE);
    assert_int_equal(KG_STORE_PAGE_SIZE, atoi(KG_STORE_PAGE_SIZE_STR));

    char *old = tu_join(dir, "old.db");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(old, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA page_size=4096; PRAGMA journal_mode=WAL;"
                                  " CREATE TABLE other (x);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    s = open_rw(old);
    kg_document d;
    make_doc(&d, "/x/old.txt", "old pages");
    kg_err e;
    assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    add_chunk(s, &d, 0, "text kept in an old database");
    kg_store_close(s);
    assert_int_equal(page_size_of(old), 4096);
    free(old);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

/* One connection's open and first write, in a child process: exit status
 * 0 when both worked, else 1 with the message on stderr. */
static void open_and_write(const char *path)
{
    kg_store *s = NULL;
    kg_err e;
    int rc = kg_store_open(path, NULL, &s, &e);
    if (rc == KG_OK && (rc = kg_store_begin(s, &e)) == KG_OK)
        rc = kg_store_commit(s, &e);
    if (rc != KG_OK)
        fprintf(stderr, "open_and_write %s: %s\n", path, e.msg);
    kg_store_close(s);
    _exit(rc == KG_OK ? 0 : 1);
}

/* Several processes opening one new database at once (two ingests, two
 * MCP servers) all get it, in WAL mode and migrated.  Switching a new
 * database to WAL answers BUSY without the busy handler while another
 * connection is creating it; kg_store_open then waits for that connection
 * instead of failing with "database is locked". */
static void test_many_open_a_new_database_at_once(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    enum {
        PROCS = 6,
        ROUNDS = 20
    };
    for (int round = 0; round < ROUNDS; round++) {
        char name[32];
        snprintf(name, sizeof name, "n%d.db", round);
        char *db = tu_join(dir, name);
        pid_t pid[PROCS];
        for (int i = 0; i < PROCS; i++) {
            pid[i] = fork();
            assert_true(pid[i] >= 0);
            if (pid[i] == 0)
                open_and_write(db);
        }
        for (int i = 0; i < PROCS; i++) {
            int status = 0;
            assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("round %d, process %d failed (its message is above)", round, i);
        }
        kg_store *s = open_rw(db);
        assert_int_equal(kg_store_schema_version(s), kg_schema_version);
        kg_store_close(s);
        free(db);
    }
    tu_rmrf(dir);
    free(dir);
}

static void test_documents_chunks_search(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "b.db");
    kg_store *s = open_rw(db);
    kg_err e;
    kg_document d;
    make_doc(&d, "/papers/one.txt", "content one");
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    add_chunk(s, &d, 0, "Long short-term memory networks learn dependencies.");
    add_chunk(s, &d, 1, "Support vector machines separate classes with a margin.");
    d.chunks = 2;
    d.chars = 200;
    d.title = "Updated title";
    assert_int_equal(kg_store_doc_finish(s, &d, &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);

    int found = 0;
    char id[KG_ID_MAX], hash[KG_HASH_HEX_LEN + 1];
    assert_int_equal(kg_store_doc_by_path(s, "/papers/one.txt", &found, id, hash, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_string_equal(id, d.id);
    assert_string_equal(hash, d.hash);
    assert_int_equal(kg_store_doc_by_path(s, "/nope", &found, id, NULL, &e), KG_OK);
    assert_int_equal(found, 0);
    char *path = NULL;
    assert_int_equal(kg_store_doc_by_hash(s, d.hash, &found, id, &path, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_string_equal(path, "/papers/one.txt");
    free(path);
    assert_int_equal(kg_store_doc_by_hash(s, "00", &found, id, NULL, &e), KG_OK);
    assert_int_equal(found, 0);

    kg_search_hit *hits;
    size_t n;
    assert_int_equal(kg_store_search(s, "margin classes", 10, &hits, &n, &e), KG_OK);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].title, "Updated title");
    assert_non_null(strstr(hits[0].snippet, "[margin]"));
    assert_string_equal(hits[0].section, "Methods"); /* the chunk's section */
    assert_int_equal(hits[0].char_start, 100);
    assert_true(hits[0].score > 0);
    kg_search_hits_free(hits, n);
    /* FTS operators in user input are plain text, never a syntax error. */
    assert_int_equal(kg_store_search(s, "\"memory\" AND (NEAR OR *", 10, &hits, &n, &e), KG_OK);
    assert_int_equal(n, 1);
    assert_null(hits[0].section); /* chunk 0 is under no heading */
    kg_search_hits_free(hits, n);
    /* Porter stemming: "networks" matches "network". */
    assert_int_equal(kg_store_search(s, "network", 10, &hits, &n, &e), KG_OK);
    assert_int_equal(n, 1);
    kg_search_hits_free(hits, n);
    assert_int_equal(kg_store_search(s, "?!", 10, &hits, &n, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "no words"));

    kg_doc_row *rows;
    assert_int_equal(kg_store_doc_list(s, &rows, &n, &e), KG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].chunks, 2);
    assert_string_equal(rows[0].kind, "txt");
    kg_doc_rows_free(rows, n);

    kg_store_stats stt;
    assert_int_equal(kg_store_stats_get(s, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 1);
    assert_int_equal(stt.chunks, 2);
    assert_int_equal(stt.entities, 0);
    assert_int_equal(stt.chars, 200);

    /* Delete cascades to chunks and their full-text rows. */
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_delete(s, d.id, &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    assert_int_equal(kg_store_stats_get(s, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 0);
    assert_int_equal(stt.chunks, 0);
    assert_int_equal(kg_store_search(s, "margin", 10, &hits, &n, &e), KG_OK);
    assert_int_equal(n, 0);
    kg_search_hits_free(hits, n);
    kg_store_close(s);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

/* The title of the document kg_store_doc_by_title finds for q, or NULL;
 * a new string. */
static char *title_for(kg_store *s, const char *q)
{
    kg_doc_row *d = NULL;
    kg_err e;
    if (kg_store_doc_by_title(s, q, &d, &e) != KG_OK)
        fail_msg("doc_by_title: %s", e.msg);
    char *t = d ? strdup(d->title) : NULL;
    kg_doc_rows_free(d, d ? 1 : 0);
    return t;
}

static void test_doc_by_title(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "t.db");
    kg_store *s = open_rw(db);
    kg_err e;
    const char *titles[] = {"Sea level rise and storm surges in the North Sea",
                            "Global Sea Level Rise", "100% Pure_Data"};
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    for (int i = 0; i < 3; i++) {
        kg_document d;
        char path[32];
        snprintf(path, sizeof path, "/p/%d.md", i);
        make_doc(&d, path, titles[i]);
        d.title = titles[i];
        assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    }
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    const char *cases[][2] = {
        {"global sea LEVEL rise", "Global Sea Level Rise"}, /* exact, any case */
        {"sea level rise", "Global Sea Level Rise"},        /* contained: shortest */
        {"storm north", titles[0]},                         /* all its words */
        {"100%", "100% Pure_Data"},                         /* % is a character */
        {"pure%data", NULL},                                /* ... not a wildcard */
        {"nothing of the kind", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *t = title_for(s, cases[i][0]);
        if (cases[i][1] == NULL ? t != NULL : !t || strcmp(t, cases[i][1]) != 0)
            fail_msg("'%s': got '%s', want '%s'", cases[i][0], t ? t : "(none)",
                     cases[i][1] ? cases[i][1] : "(none)");
        free(t);
    }
    kg_store_close(s);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

static void test_savepoint_undoes_one_document(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "c.db");
    kg_store *s = open_rw(db);
    kg_err e;
    kg_document a, b;
    make_doc(&a, "/a.txt", "aaa");
    make_doc(&b, "/b.txt", "bbb");
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_savepoint(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &a, &e), KG_OK);
    add_chunk(s, &a, 0, "kept text");
    assert_int_equal(kg_store_release(s, &e), KG_OK);
    assert_int_equal(kg_store_savepoint(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &b, &e), KG_OK);
    add_chunk(s, &b, 0, "dropped text");
    assert_int_equal(kg_store_rollback_to(s), KG_OK);
    /* A duplicate id is a clear database error, not a crash. */
    assert_int_equal(kg_store_doc_insert(s, &a, &e), KG_EDB);
    assert_non_null(strstr(e.msg, "inserting a document"));
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    kg_store_stats stt;
    assert_int_equal(kg_store_stats_get(s, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 1);
    assert_int_equal(stt.chunks, 1);
    /* Rollback of a whole transaction. */
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(s, &b, &e), KG_OK);
    assert_int_equal(kg_store_rollback(s), KG_OK);
    assert_int_equal(kg_store_stats_get(s, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 1);
    /* Commit with no transaction open is an error with a message. */
    assert_int_equal(kg_store_commit(s, &e), KG_EDB);
    assert_true(strlen(e.msg) > 0);
    kg_store_close(s);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

static void test_readonly_and_bad_files(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "missing.db");
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(db, &ro, &s, &e), KG_EDB);
    assert_null(s);
    assert_non_null(strstr(e.msg, "missing.db"));

    char *junk = tu_join(dir, "junk.db");
    tu_write_str(junk, "this is not a database, just some text that is long enough to matter");
    assert_true(kg_store_open(junk, NULL, &s, &e) != KG_OK);
    assert_non_null(strstr(e.msg, "junk.db"));

    /* An empty SQLite file without our schema cannot be read read-only. */
    char *empty = tu_join(dir, "empty.db");
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(empty, &raw), SQLITE_OK);
    sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(raw);
    assert_int_equal(kg_store_open(empty, &ro, &s, &e), KG_EDB);
    assert_non_null(strstr(e.msg, "not a kgas database"));

    /* A database from a newer kgas is refused, both ways. */
    char *newer = tu_join(dir, "newer.db");
    assert_int_equal(sqlite3_open(newer, &raw), SQLITE_OK);
    sqlite3_exec(raw, "PRAGMA user_version = 999", NULL, NULL, NULL);
    sqlite3_close(raw);
    assert_int_equal(kg_store_open(newer, NULL, &s, &e), KG_EDB);
    assert_non_null(strstr(e.msg, "newer"));
    assert_int_equal(kg_store_open(newer, &ro, &s, &e), KG_EDB);
    assert_non_null(strstr(e.msg, "newer"));

    /* Read-only handles refuse writes. */
    char *good = tu_join(dir, "good.db");
    s = open_rw(good);
    kg_store_close(s);
    assert_int_equal(kg_store_open(good, &ro, &s, &e), KG_OK);
    kg_document d;
    make_doc(&d, "/x.txt", "x");
    assert_true(kg_store_doc_insert(s, &d, &e) != KG_OK);
    kg_store_close(s);
    free(good);
    free(newer);
    free(empty);
    free(junk);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

static void test_two_handles(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "d.db");
    kg_store *w = open_rw(db);
    kg_store *r = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(db, &ro, &r, &e), KG_OK);
    kg_document d;
    make_doc(&d, "/y.txt", "y");
    assert_int_equal(kg_store_begin(w, &e), KG_OK);
    assert_int_equal(kg_store_doc_insert(w, &d, &e), KG_OK);
    /* The reader sees the last committed state while the writer works. */
    kg_store_stats stt;
    assert_int_equal(kg_store_stats_get(r, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 0);
    /* A second writer waits, then reports busy. */
    kg_store *w2 = NULL;
    kg_store_opts quick = {0, 50};
    assert_int_equal(kg_store_open(db, &quick, &w2, &e), KG_OK);
    assert_int_equal(kg_store_begin(w2, &e), KG_EBUSY);
    assert_int_equal(kg_store_commit(w, &e), KG_OK);
    assert_int_equal(kg_store_stats_get(r, &stt, &e), KG_OK);
    assert_int_equal(stt.documents, 1);
    assert_int_equal(kg_store_begin(w2, &e), KG_OK);
    assert_int_equal(kg_store_commit(w2, &e), KG_OK);
    kg_store_close(w2);
    kg_store_close(r);
    kg_store_close(w);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_migrate_and_reopen),
        cmocka_unit_test(test_page_size),
        cmocka_unit_test(test_readers_map_the_file),
        cmocka_unit_test(test_many_open_a_new_database_at_once),
        cmocka_unit_test(test_documents_chunks_search),
        cmocka_unit_test(test_doc_by_title),
        cmocka_unit_test(test_savepoint_undoes_one_document),
        cmocka_unit_test(test_readonly_and_bad_files),
        cmocka_unit_test(test_two_handles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
