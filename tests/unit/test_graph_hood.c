/* Unit tests for graphops/graph_hood: a view holding only the neighbourhood
 * of the entities a question names must answer exactly as the whole graph
 * does.  The database is real: the bundled demo corpus, and when
 * ../shared/data is there Christmas Carol and 800 passages of HippoRAG's
 * 2WikiMultihopQA corpus (hubs such as "American" with hundreds of edges,
 * so the fan-out cut and the fall-back to the whole graph are exercised).
 * Every question is answered twice, from kg_graph_view_load and from the
 * neighbourhood loaders, and the JSON results (matches, answers, scores,
 * paths, evidence) must be equal.  The same database checks that the graph
 * kg_graph_rebuild hands to PageRank is the one the store reads
 * back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "graphops/graph_hood.h"
#include "graphops/graph_rebuild.h"
#include "ingest/ingest.h"
#include "store/graph_read.h"
#include "store/graph_store.h"
#include "store/hood_store.h"
#include "testutil.h"

static char *g_dir, *g_db;
static int g_shared; /* the shared corpora were ingested */

static void ingest(const char *const *paths, size_t n)
{
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(g_db, NULL, &s, &e), KG_OK);
    kg_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = 2;
    o.chunk.chunk_size = 1200;
    o.chunk.overlap = 100;
    o.build_graph = 1;
    o.min_confidence = 0.3;
    kg_ingest_summary sum;
    int rc = kg_ingest_run(s, paths, n, &o, &sum, &e);
    if (rc)
        fail_msg("ingest: %s", e.msg);
    kg_ingest_summary_free(&sum);
    kg_store_close(s);
}

/* The first n passages of the 2Wiki corpus as text files under dir. */
static int write_passages(const char *corpus, const char *dir, size_t n)
{
    json_error_t je;
    json_t *all = json_load_file(corpus, 0, &je);
    if (!json_is_array(all)) {
        json_decref(all);
        return 0;
    }
    for (size_t i = 0; i < n && i < json_array_size(all); i++) {
        json_t *p = json_array_get(all, i);
        char name[64];
        snprintf(name, sizeof name, "p%05zu.txt", i);
        char *path = tu_join(dir, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "%s\n\n%s\n", json_string_value(json_object_get(p, "title")),
                json_string_value(json_object_get(p, "text")));
        fclose(f);
        free(path);
    }
    json_decref(all);
    return 1;
}

static int setup(void **st)
{
    (void)st;
    kg_hash_init();
    g_dir = tu_tmpdir();
    g_db = tu_join(g_dir, "hood.db");
    const char *src = getenv("TEST_SOURCE_DIR");
    char *demo = tu_join(src ? src : ".", "demo/corpus");
    char *carol = tu_shared("text/christmas_carol.txt");
    char *corpus = tu_shared("text/hipporag/2wikimultihopqa_corpus.json");
    char *wiki = tu_join(g_dir, "wiki");
    tu_sh("mkdir -p '%s'", wiki);
    const char *paths[3] = {demo};
    size_t n = 1;
    if (carol && corpus && write_passages(corpus, wiki, 800)) {
        paths[n++] = carol;
        paths[n++] = wiki;
        g_shared = 1;
    }
    ingest(paths, n);
    free(demo);
    free(carol);
    free(corpus);
    free(wiki);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    tu_rmrf(g_dir);
    free(g_dir);
    free(g_db);
    return 0;
}

static kg_store *open_ro(void)
{
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(g_db, &ro, &s, &e), KG_OK);
    return s;
}

/* The names of the n best-ranked entities. */
static char **top_names(kg_store *s, int n, size_t *got)
{
    kg_entity_row *rows = NULL;
    kg_err e;
    assert_int_equal(kg_store_top_entities(s, NULL, n, &rows, got, &e), KG_OK);
    char **names = calloc(*got + 1, sizeof *names);
    for (size_t i = 0; i < *got; i++)
        names[i] = strdup(rows[i].name);
    kg_entity_rows_free(rows, *got);
    return names;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static json_t *answer(kg_store *s, kg_graph_view *v, const char *q, int hops)
{
    json_t *out = NULL;
    kg_err e;
    if (kg_graph_answer_json(s, v, q, hops, 10, &out, &e))
        fail_msg("answer '%s': %s", q, e.msg);
    return out;
}

/* Answer q from the whole graph and from its neighbourhood; they must be
 * equal.  Returns 1 when the neighbourhood was used. */
static int same_answer(kg_store *s, kg_graph_view *whole, const char *q, int hops)
{
    kg_graph_view part;
    kg_err e;
    assert_int_equal(kg_graph_view_load_question(s, q, hops, &part, &e), KG_OK);
    int partial = kg_graph_hood_last_was_partial();
    json_t *a = answer(s, whole, q, hops), *b = answer(s, &part, q, hops);
    if (!json_equal(a, b)) {
        char *x = json_dumps(a, JSON_COMPACT), *y = json_dumps(b, JSON_COMPACT);
        fail_msg("'%s' (%d hops) differs:\nwhole: %.2000s\npart:  %.2000s", q, hops, x, y);
    }
    if (partial)
        assert_true(part.data.nnodes < whole->data.nnodes || whole->data.nnodes < 50);
    json_decref(a);
    json_decref(b);
    kg_graph_view_free(&part);
    return partial;
}

static int same_paths(kg_store *s, kg_graph_view *whole, const char *a, const char *b, int hops)
{
    kg_graph_view part;
    kg_err e;
    assert_int_equal(kg_graph_view_load_pair(s, a, b, hops, &part, &e), KG_OK);
    int partial = kg_graph_hood_last_was_partial();
    json_t *x = NULL, *y = NULL;
    int rx = kg_graph_paths_json(s, whole, a, b, hops, 5, &x, &e);
    int ry = kg_graph_paths_json(s, &part, a, b, hops, 5, &y, &e);
    assert_int_equal(rx, ry);
    if (!rx && !json_equal(x, y)) {
        char *p = json_dumps(x, JSON_COMPACT), *q = json_dumps(y, JSON_COMPACT);
        fail_msg("path '%s' -> '%s' (%d hops) differs:\nwhole: %.2000s\npart:  %.2000s", a, b, hops,
                 p, q);
    }
    json_decref(x);
    json_decref(y);
    kg_graph_view_free(&part);
    return partial;
}

/* "Scrooge" -> "Scroge": a fuzzy match must find the same entity. */
static void misspell(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s", name);
    size_t n = strlen(out);
    if (n < 6)
        return;
    /* Drop the whole character at the middle, not one byte of it: a
     * question with broken UTF-8 is another test. */
    size_t a = n / 2, b = a + 1;
    while (a > 0 && ((unsigned char)out[a] & 0xC0) == 0x80)
        a--;
    while (b < n && ((unsigned char)out[b] & 0xC0) == 0x80)
        b++;
    memmove(out + a, out + b, n - b + 1);
}

static void test_answers_equal_whole_graph(void **st)
{
    (void)st;
    kg_store *s = open_ro();
    kg_graph_view whole;
    kg_err e;
    assert_int_equal(kg_graph_view_load(s, &whole, &e), KG_OK);
    size_t n;
    char **names = top_names(s, 120, &n);
    assert_true(n >= 10);
    int asked = 0, partial = 0;
    for (size_t i = 0; i < n; i++) {
        char q[512], typo[256];
        partial += same_answer(s, &whole, names[i], 2);
        snprintf(q, sizeof q, "Who is related to %s and %s?", names[i], names[(i + 5) % n]);
        partial += same_answer(s, &whole, q, 2);
        misspell(names[i], typo, sizeof typo);
        snprintf(q, sizeof q, "What is %s connected to?", typo);
        partial += same_answer(s, &whole, q, 1);
        asked += 3;
        if (i % 10 == 0) {
            partial += same_answer(s, &whole, names[i], 3);
            asked++;
        }
    }
    /* Questions naming nothing, and stop words only. */
    partial += same_answer(s, &whole, "zzzz qqqq", 2);
    partial += same_answer(s, &whole, "who is the", 2);
    asked += 2;
    printf("hood: %d of %d questions answered from the neighbourhood\n", partial, asked);
    /* Most questions must take the narrow path, or this test shows nothing. */
    assert_true(partial * 10 >= asked * 8);
    free_names(names, n);
    kg_graph_view_free(&whole);
    kg_store_close(s);
}

static void test_paths_equal_whole_graph(void **st)
{
    (void)st;
    kg_store *s = open_ro();
    kg_graph_view whole;
    kg_err e;
    assert_int_equal(kg_graph_view_load(s, &whole, &e), KG_OK);
    size_t n;
    char **names = top_names(s, 60, &n);
    int asked = 0, partial = 0;
    for (size_t i = 0; i + 3 < n; i++) {
        partial += same_paths(s, &whole, names[i], names[i + 3], 2);
        partial += same_paths(s, &whole, names[i], names[n - 1 - i], 3);
        asked += 2;
    }
    partial += same_paths(s, &whole, names[0], "zzzz qqqq", 3);
    asked++;
    if (g_shared) {
        partial += same_paths(s, &whole, "Scrooge", "Marley", 3);
        partial += same_paths(s, &whole, "Scrooge", "Bob Cratchit", 2);
        asked += 2;
    }
    printf("hood: %d of %d path requests answered from the neighbourhood\n", partial, asked);
    assert_true(partial * 10 >= asked * 8);
    free_names(names, n);
    kg_graph_view_free(&whole);
    kg_store_close(s);
}

/* A database whose name index is empty (written by a kgas from before the
 * index) is answered from the whole graph, correctly. */
static void test_without_name_index(void **st)
{
    (void)st;
    char *copy = tu_join(g_dir, "old.db");
    assert_int_equal(
        tu_sh("cp '%s' '%s' && sqlite3 '%s' 'DELETE FROM entity_names'", g_db, copy, copy), 0);
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(copy, &ro, &s, &e), KG_OK);
    int ready = 1;
    assert_int_equal(kg_store_names_ready(s, &ready, &e), KG_OK);
    assert_int_equal(ready, 0);
    kg_graph_view whole;
    assert_int_equal(kg_graph_view_load(s, &whole, &e), KG_OK);
    size_t n;
    char **names = top_names(s, 3, &n);
    assert_int_equal(same_answer(s, &whole, names[0], 2), 0);
    free_names(names, n);
    kg_graph_view_free(&whole);
    kg_store_close(s);
    free(copy);
}

/* The index follows the entities: a name ingested later is found. */
static void test_index_follows_ingest(void **st)
{
    (void)st;
    char *p = tu_join(g_dir, "late.txt");
    tu_write_str(p, "Professor Ingrid Vantongeren works for the Zephyrine Institute in Oslo.\n");
    const char *paths[] = {p};
    ingest(paths, 1);
    kg_store *s = open_ro();
    kg_graph_view v;
    kg_err e;
    assert_int_equal(
        kg_graph_view_load_question(s, "Where does Ingrid Vantongeren work?", 2, &v, &e), KG_OK);
    assert_int_equal(kg_graph_hood_last_was_partial(), 1);
    json_t *out = answer(s, &v, "Where does Ingrid Vantongeren work?", 2);
    json_t *m = json_array_get(json_object_get(out, "matched"), 0);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "name")), "Ingrid Vantongeren");
    assert_true(json_array_size(json_object_get(out, "answers")) >= 1);
    json_decref(out);
    kg_graph_view_free(&v);
    kg_store_close(s);
    free(p);
}

/* What the rebuild hands back equals what kg_store_graph_load reads after
 * it, node for node and edge for edge, in the same order. */
static void test_rebuild_hands_back_loaded_graph(void **st)
{
    (void)st;
    char *copy = tu_join(g_dir, "rebuild.db");
    assert_int_equal(tu_sh("cp '%s' '%s'", g_db, copy), 0);
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(copy, NULL, &s, &e), KG_OK);
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    kg_graph_data built, loaded;
    assert_int_equal(kg_graph_rebuild(s, &built, &e), KG_OK);
    assert_int_equal(kg_store_graph_load(s, &loaded, &e), KG_OK);
    /* Enough of a graph for the comparison to mean something: the demo
     * corpus alone gives 43 nodes and 67 edges (2026-12-06; more before its
     * Gutenberg licence stopped being read for entities), with the shared
     * novel and passages some thousands. */
    size_t floor = g_shared ? 100 : 30;
    assert_true(built.nnodes > floor);
    assert_true(built.nedges > floor);
    assert_int_equal(built.nnodes, loaded.nnodes);
    assert_int_equal(built.nedges, loaded.nedges);
    for (size_t i = 0; i < built.nnodes; i++) {
        const kg_graph_node *a = &built.nodes[i], *b = &loaded.nodes[i];
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->name, b->name);
        assert_string_equal(a->type, b->type);
        assert_string_equal(a->aliases, b->aliases);
        assert_int_equal(a->mentions, b->mentions);
        assert_true(a->pagerank == b->pagerank);
    }
    for (size_t i = 0; i < built.nedges; i++) {
        const kg_graph_edge *a = &built.edges[i], *b = &loaded.edges[i];
        assert_string_equal(a->id, b->id);
        assert_int_equal(a->src, b->src);
        assert_int_equal(a->dst, b->dst);
        assert_string_equal(a->type, b->type);
        assert_true(a->weight == b->weight);
        assert_true(a->confidence == b->confidence);
        assert_string_equal(a->method, b->method);
        assert_int_equal(a->support, b->support);
    }
    kg_graph_data_free(&built);
    kg_graph_data_free(&loaded);
    kg_store_rollback(s);
    kg_store_close(s);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_equal_whole_graph),
        cmocka_unit_test(test_paths_equal_whole_graph),
        cmocka_unit_test(test_without_name_index),
        cmocka_unit_test(test_index_follows_ingest),
        cmocka_unit_test(test_rebuild_hands_back_loaded_graph),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
