/* Unit tests for tools/graph_views: one loaded graph shared between calls,
 * replaced when the database changes, freed by its last user. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ingest/ingest.h"
#include "tools/graph_views.h"
#include "testutil.h"

static void ingest_text(const char *db, const char *dir, const char *name, const char *text)
{
    char *p = tu_join(dir, name);
    tu_write_str(p, text);
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(db, NULL, &s, &e), KG_OK);
    kg_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.chunk.chunk_size = 512;
    o.chunk.overlap = 50;
    o.build_graph = 1;
    o.min_confidence = 0.3;
    kg_ingest_summary sum;
    const char *paths[] = {p};
    assert_int_equal(kg_ingest_run(s, paths, 1, &o, &sum, &e), KG_OK);
    assert_int_equal(sum.added, 1);
    kg_ingest_summary_free(&sum);
    kg_store_close(s);
    free(p);
}

static void test_shared_until_the_database_changes(void **st)
{
    (void)st;
    kg_hash_init();
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "g.db");
    ingest_text(db, dir, "a.txt", "Dr. Maria Keller works for the University of Lisbon.\n");
    kg_tool_runtime rt;
    kg_tool_runtime_init(&rt, "cli", 1);
    kg_tool_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.db_path = db;
    ctx.rt = &rt;
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(db, &ro, &s, &e), KG_OK);
    kg_graph_view *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(kg_tool_graph_acquire(&ctx, s, &a, &e), KG_OK);
    assert_int_equal(kg_tool_graph_acquire(&ctx, s, &b, &e), KG_OK);
    assert_ptr_equal(a, b); /* unchanged database: one load */
    size_t before = a->data.nnodes;
    kg_store_close(s);

    ingest_text(db, dir, "b.txt", "Professor Bruno Diaz works for Acme Corporation in Madrid.\n");
    assert_int_equal(kg_store_open(db, &ro, &s, &e), KG_OK);
    assert_int_equal(kg_tool_graph_acquire(&ctx, s, &c, &e), KG_OK);
    assert_ptr_not_equal(c, a); /* a commit happened: a fresh view */
    assert_true(c->data.nnodes > before);
    /* The old view stays valid for the calls still using it. */
    assert_int_equal(a->data.nnodes, before);
    kg_tool_graph_release(&ctx, a);
    kg_tool_graph_release(&ctx, b);
    kg_tool_graph_release(&ctx, c);
    kg_tool_graph_release(&ctx, NULL);

    /* Without a runtime every call gets a private view. */
    kg_tool_ctx solo;
    memset(&solo, 0, sizeof solo);
    solo.db_path = db;
    assert_int_equal(kg_tool_graph_acquire(&solo, s, &a, &e), KG_OK);
    assert_int_equal(kg_tool_graph_acquire(&solo, s, &b, &e), KG_OK);
    assert_ptr_not_equal(a, b);
    kg_tool_graph_release(&solo, a);
    kg_tool_graph_release(&solo, b);
    kg_store_close(s);
    /* The runtime's current view is freed with it (as a server exits). */
    assert_non_null(rt.graph_view);
    kg_tool_runtime_release(&rt);
    assert_null(rt.graph_view);
    free(db);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_until_the_database_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
