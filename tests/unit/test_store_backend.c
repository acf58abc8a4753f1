/* Unit tests for the store's seam (store/backend.h, store/backends.c) and
 * the reads that replaced SQL in tools/: the choice of backend by target
 * (a PostgreSQL URI is refused without echoing it), the SQLite backend's
 * tables being complete, kg_store_exists, the read-only query through its
 * sink (columns, typed values, stopping, refusals before any callback),
 * the stamp caches are keyed by, removing a database, and the document,
 * chunk and catalogue reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hash.h"
#include "graphops/graph_build.h"
#include "store/backend.h"
#include "store/entvec_store.h"
#include "store/graph_store.h"
#include "store/sqlite/sq_backend.h"
#include "store/store.h"
#include "store/wal_flush.h"
#include "testutil.h"

static void test_postgres_uri_is_refused(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *cwd = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    const char *uris[] = {"postgresql://kg:s3cret@db.example/kg", "postgres://db/kg",
                          "PostgreSQL://db/kg"};
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        kg_store *s = (kg_store *)1;
        kg_err e;
        assert_int_equal(kg_store_open(uris[i], NULL, &s, &e), KG_EINVAL);
        assert_null(s);
        assert_non_null(strstr(e.msg, "this build has no PostgreSQL backend"));
        assert_null(strstr(e.msg, "s3cret"));
        /* "Exists" so that a reader goes on to open it and says why. */
        assert_true(kg_store_exists(uris[i]));
        kg_query_sink sink = {NULL, NULL, NULL};
        kg_query_opts o = {100, NULL};
        assert_int_equal(kg_store_query_readonly(uris[i], "SELECT 1", &o, &sink, &e), KG_EINVAL);
        assert_non_null(strstr(e.msg, "no PostgreSQL backend"));
    }
    /* Nothing was created in the working directory ("postgresql:" ...). */
    assert_int_equal(tu_sh("test -z \"$(ls -A '%s')\"", dir), 0);
    assert_int_equal(chdir(cwd), 0);
    free(cwd);
    tu_rmrf(dir);
    free(dir);
}

/* Every required method of the SQLite backend is set (a missing one would
 * crash at its first call instead of failing here). */
static void count_unset(const void *table, size_t size, int *unset)
{
    typedef void (*fnptr)(void);
    for (size_t i = 0; i < size / sizeof(fnptr); i++) {
        fnptr f;
        memcpy(&f, (const char *)table + i * sizeof f, sizeof f);
        *unset += f == NULL;
    }
}

static void test_sqlite_tables_complete(void **st)
{
    (void)st;
    const kg_store_backend *be = &kg_sqlite_backend;
    assert_string_equal(be->name, "sqlite");
    assert_non_null(be->open);
    assert_non_null(be->exists);
    assert_non_null(be->query_readonly);
    int unset = 0;
    count_unset(be->store, sizeof *be->store, &unset);
    count_unset(be->docs, sizeof *be->docs, &unset);
    count_unset(be->graph, sizeof *be->graph, &unset);
    count_unset(be->read, sizeof *be->read, &unset);
    count_unset(be->exp, sizeof *be->exp, &unset);
    count_unset(be->hood, sizeof *be->hood, &unset);
    count_unset(be->merge, sizeof *be->merge, &unset);
    count_unset(be->vec, sizeof *be->vec, &unset);
    count_unset(be->vindex, sizeof *be->vindex, &unset);
    count_unset(be->cache, sizeof *be->cache, &unset);
    count_unset(be->entvec, sizeof *be->entvec, &unset);
    assert_int_equal(unset, 0);
}

/* ---- a small database ------------------------------------------------------ */

typedef struct fixture {
    char *dir, *db;
} fixture;

static void add_doc(kg_store *s, const char *id, const char *path, const char *title,
                    const char *const *chunks, int nchunks)
{
    kg_err e;
    kg_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "%s", id);
    snprintf(d.hash, sizeof d.hash, "h_%s", id);
    d.path = path;
    d.title = title;
    d.kind = "txt";
    d.pages = 2;
    d.chunks = nchunks;
    d.confidence = 1;
    assert_int_equal(kg_store_doc_insert(s, &d, &e), KG_OK);
    int64_t at = 0;
    for (int i = 0; i < nchunks; i++) {
        kg_chunk c;
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "chunk_%s_%d", id, i);
        snprintf(c.doc_id, sizeof c.doc_id, "%s", id);
        c.ordinal = i;
        c.page_start = c.page_end = 1;
        c.char_start = at;
        c.char_end = at + (int64_t)strlen(chunks[i]);
        at = c.char_end - 4; /* chunks overlap by four bytes */
        c.tokens = 3;
        c.text = chunks[i];
        assert_int_equal(kg_store_chunk_insert(s, &c, &e), KG_OK);
    }
    assert_int_equal(kg_store_doc_finish(s, &d, &e), KG_OK);
}

static void add_entity(kg_store *s, const char *doc, const char *id, const char *name)
{
    kg_err e;
    kg_entity ent;
    memset(&ent, 0, sizeof ent);
    snprintf(ent.id, sizeof ent.id, "%s", id);
    ent.name = name;
    ent.key = name;
    snprintf(ent.type, sizeof ent.type, "PERSON");
    ent.mentions = 3;
    ent.confidence = 0.9;
    assert_int_equal(kg_store_doc_entity_insert(s, doc, &ent, &e), KG_OK);
}

static int setup(void **st)
{
    kg_hash_init();
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_join(f->dir, "seam.db");
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(f->db, NULL, &s, &e), KG_OK);
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    const char *a[] = {"Ada Lovelace wrote notes. ", "tes. On the engine."};
    const char *b[] = {"Charles Babbage built it."};
    add_doc(s, "doc_b", "/x/b.txt", NULL, b, 1);
    add_doc(s, "doc_a", "/x/a.txt", "Notes", a, 2);
    add_entity(s, "doc_a", "ent_2", "Ada Lovelace");
    add_entity(s, "doc_b", "ent_1", "Charles Babbage");
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    kg_graph_summary sum;
    assert_int_equal(kg_graph_build(s, NULL, &sum, &e), KG_OK);
    assert_int_equal(sum.entities, 2);
    kg_store_close(s);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static kg_store *open_ro(const fixture *f)
{
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts o = {KG_STORE_READONLY, 0};
    if (kg_store_open(f->db, &o, &s, &e))
        fail_msg("open: %s", e.msg);
    return s;
}

static void test_exists_and_wal_flush(void **st)
{
    fixture *f = *st;
    char *missing = tu_join(f->dir, "missing.db");
    assert_false(kg_store_exists(missing));
    assert_true(kg_store_exists(f->db));
    /* A SQLite store has a log to copy back: the checkpoint thread starts. */
    kg_wal_flush *w = kg_wal_flush_start(f->db);
    assert_non_null(w);
    kg_wal_flush_kick(w);
    kg_wal_flush_stop(w);
    free(missing);
}

static char *stamp(const char *db)
{
    kg_buf b = KG_BUF_INIT;
    kg_store_stamp(db, &b);
    return kg_buf_steal(&b);
}

/* The stamp moves with every commit (by any handle) and only then; remove
 * takes the database and its side files. */
static void test_stamp_and_remove(void **st)
{
    fixture *f = *st;
    char *db = tu_join(f->dir, "stamp.db");
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(db, NULL, &s, &e), KG_OK);
    char *a = stamp(db), *b = stamp(db);
    assert_string_equal(a, b);
    kg_store *r = open_ro(&(fixture){f->dir, db});
    kg_doc_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(kg_store_doc_list(r, &rows, &n, &e), KG_OK); /* a read changes nothing */
    kg_doc_rows_free(rows, n);
    char *c = stamp(db);
    assert_string_equal(a, c);
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    assert_int_equal(kg_store_meta_put(s, "k", "v", &e), KG_OK);
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
    char *d = stamp(db);
    assert_string_not_equal(a, d);
    kg_store_close(r);
    kg_store_close(s);
    char *pg = stamp("postgresql://h/db");
    assert_string_equal(pg, "|-");
    kg_store_remove(db);
    assert_false(kg_store_exists(db));
    assert_int_equal(tu_sh("ls '%s'* 2>/dev/null | grep -q .", db), 1);
    kg_store_remove(db); /* nothing there: nothing to do */
    free(a);
    free(b);
    free(c);
    free(d);
    free(pg);
    free(db);
}

static void test_doc_and_chunk_reads(void **st)
{
    fixture *f = *st;
    kg_store *s = open_ro(f);
    kg_err e;
    kg_doc_row *d = NULL;
    assert_int_equal(kg_store_doc_get(s, "doc_a", &d, &e), KG_OK);
    assert_non_null(d);
    assert_string_equal(d->path, "/x/a.txt");
    assert_string_equal(d->title, "Notes");
    assert_string_equal(d->kind, "txt");
    assert_int_equal(d->pages, 2);
    kg_doc_rows_free(d, 1);
    assert_int_equal(kg_store_doc_get(s, "doc_nope", &d, &e), KG_OK);
    assert_null(d);

    kg_chunk_row c;
    int found = -1;
    assert_int_equal(kg_store_chunk_get(s, "chunk_doc_a_1", &c, &found, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_string_equal(c.doc_id, "doc_a");
    assert_int_equal(c.ordinal, 1);
    assert_int_equal(c.char_start, 22);
    assert_int_equal(c.len, strlen("tes. On the engine."));
    assert_string_equal(c.text, "tes. On the engine.");
    kg_chunk_row_clear(&c);
    assert_null(c.text);
    assert_int_equal(kg_store_chunk_get(s, "chunk_nope", &c, &found, &e), KG_OK);
    assert_int_equal(found, 0);
    kg_store_close(s);
}

typedef struct seen {
    char buf[512];
    int n, stop_at;
} seen;

static int on_chunk(void *ud, const kg_chunk_row *c)
{
    seen *v = ud;
    size_t l = strlen(v->buf);
    snprintf(v->buf + l, sizeof v->buf - l, "%d@%lld:%s|", c->ordinal, (long long)c->char_start,
             c->text);
    return ++v->n == v->stop_at ? 7 : 0;
}

static void test_doc_chunks_in_order(void **st)
{
    fixture *f = *st;
    kg_store *s = open_ro(f);
    kg_err e;
    seen v = {"", 0, 0};
    assert_int_equal(kg_store_doc_chunks(s, "doc_a", on_chunk, &v, &e), KG_OK);
    assert_string_equal(v.buf, "0@0:Ada Lovelace wrote notes. |1@22:tes. On the engine.|");
    seen w = {"", 0, 1};
    assert_int_equal(kg_store_doc_chunks(s, "doc_a", on_chunk, &w, &e), 7);
    assert_int_equal(w.n, 1);
    kg_store_close(s);
}

static int on_item(void *ud, const kg_catalog_row *r)
{
    seen *v = ud;
    size_t l = strlen(v->buf);
    if (r->entity)
        snprintf(v->buf + l, sizeof v->buf - l, "E %s %s %s %lld|", r->id, r->name, r->type,
                 (long long)r->mentions);
    else
        snprintf(v->buf + l, sizeof v->buf - l, "D %s %s %s %s %lld %lld|", r->id, r->name, r->kind,
                 r->path, (long long)r->pages, (long long)r->chunks);
    return ++v->n == v->stop_at ? 9 : 0;
}

static void test_catalog_pages(void **st)
{
    fixture *f = *st;
    kg_store *s = open_ro(f);
    kg_err e;
    seen all = {"", 0, 0};
    assert_int_equal(kg_store_catalog(s, 0, 100, on_item, &all, &e), KG_OK);
    /* Documents first, then entities, each in id order; an untitled
     * document is named by its path. */
    assert_string_equal(all.buf, "D doc_a Notes txt /x/a.txt 2 2|D doc_b /x/b.txt txt /x/b.txt 2 1|"
                                 "E ent_1 Charles Babbage PERSON 3|E ent_2 Ada Lovelace PERSON 3|");
    seen page = {"", 0, 0};
    assert_int_equal(kg_store_catalog(s, 1, 2, on_item, &page, &e), KG_OK);
    assert_string_equal(page.buf, "D doc_b /x/b.txt txt /x/b.txt 2 1|"
                                  "E ent_1 Charles Babbage PERSON 3|");
    seen stop = {"", 0, 1};
    assert_int_equal(kg_store_catalog(s, 0, 100, on_item, &stop, &e), 9);
    assert_int_equal(stop.n, 1);
    kg_store_close(s);
}

/* ---- the read-only query --------------------------------------------------- */

typedef struct sink_log {
    char buf[512];
    int columns_called, rows, stop_after;
} sink_log;

static int log_columns(void *ud, int n, const char *const *names)
{
    sink_log *l = ud;
    l->columns_called++;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(l->buf);
        snprintf(l->buf + k, sizeof l->buf - k, "%s,", names[i]);
    }
    return 0;
}

static int log_row(void *ud, int n, const kg_value *v)
{
    sink_log *l = ud;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(l->buf);
        switch (v[i].type) {
        case KG_VALUE_INT:
            snprintf(l->buf + k, sizeof l->buf - k, "|i%lld", (long long)v[i].i);
            break;
        case KG_VALUE_REAL: snprintf(l->buf + k, sizeof l->buf - k, "|r%.2f", v[i].d); break;
        case KG_VALUE_TEXT:
            snprintf(l->buf + k, sizeof l->buf - k, "|t%.*s", (int)v[i].len, v[i].text);
            break;
        case KG_VALUE_BLOB: snprintf(l->buf + k, sizeof l->buf - k, "|b%zu", v[i].len); break;
        default: snprintf(l->buf + k, sizeof l->buf - k, "|null");
        }
    }
    return ++l->rows == l->stop_after;
}

static void test_query_readonly_sink(void **st)
{
    fixture *f = *st;
    kg_query_opts o = {2000, NULL};
    sink_log l = {"", 0, 0, 0};
    kg_query_sink sink = {log_columns, log_row, &l};
    kg_err e;
    assert_int_equal(kg_store_query_readonly(f->db,
                                             "SELECT 7 AS n, 2.5 AS x, 'hi' AS t,"
                                             " x'00ff10' AS b, NULL AS z",
                                             &o, &sink, &e),
                     KG_OK);
    assert_string_equal(l.buf, "n,x,t,b,z,|i7|r2.50|thi|b3|null");
    /* The sink stops reading: not an error. */
    sink_log m = {"", 0, 0, 2};
    kg_query_sink sink2 = {log_columns, log_row, &m};
    assert_int_equal(
        kg_store_query_readonly(f->db, "SELECT id FROM documents ORDER BY id", &o, &sink2, &e),
        KG_OK);
    assert_string_equal(m.buf, "id,|tdoc_a|tdoc_b");
    /* Refused or invalid: an error before any callback, saying why. */
    sink_log r = {"", 0, 0, 0};
    kg_query_sink sink3 = {log_columns, log_row, &r};
    assert_int_equal(kg_store_query_readonly(f->db, "DELETE FROM documents", &o, &sink3, &e),
                     KG_EDENIED);
    assert_non_null(strstr(e.msg, "refused: only reading"));
    assert_int_equal(kg_store_query_readonly(f->db, "SELEC 1", &o, &sink3, &e), KG_EINVAL);
    assert_int_equal(kg_store_query_readonly(f->db, "  -- nothing", &o, &sink3, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "holds no statement"));
    assert_int_equal(r.columns_called, 0);
    assert_int_equal(r.rows, 0);
    /* Cancelled while reading: after the columns. */
    volatile int cancel = 1;
    kg_query_opts oc = {2000, &cancel};
    sink_log c = {"", 0, 0, 0};
    kg_query_sink sink4 = {log_columns, log_row, &c};
    assert_int_equal(kg_store_query_readonly(f->db,
                                             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT"
                                             " x+1 FROM c) SELECT count(*) FROM c",
                                             &oc, &sink4, &e),
                     KG_ECANCELED);
    assert_int_equal(c.columns_called, 1);
    /* Not there: a clear error, nothing created. */
    char *missing = tu_join(f->dir, "missing.db");
    assert_int_equal(kg_store_query_readonly(missing, "SELECT 1", &o, &sink3, &e), KG_EDB);
    assert_false(kg_store_exists(missing));
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postgres_uri_is_refused),
        cmocka_unit_test(test_sqlite_tables_complete),
        cmocka_unit_test(test_exists_and_wal_flush),
        cmocka_unit_test(test_stamp_and_remove),
        cmocka_unit_test(test_doc_and_chunk_reads),
        cmocka_unit_test(test_doc_chunks_in_order),
        cmocka_unit_test(test_catalog_pages),
        cmocka_unit_test(test_query_readonly_sink),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
