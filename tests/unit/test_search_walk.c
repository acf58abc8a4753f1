/* Unit tests for graph-based retrieval: graph/pagerank's personalised walk
 * on hand-built graphs with known scores, search/graph_walk on a small
 * ingested corpus whose ranking is known, and search/hybrid's fusion
 * (named passages first, a bridge passage the words miss lifted over a
 * lexical distractor, every channel reported, bad input answered). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "graph/csr.h"
#include "graph/pagerank.h"
#include "ingest/ingest.h"
#include "search/graph_walk.h"
#include "search/hybrid.h"
#include "search/qlink.h"
#include "search/vector_search.h"
#include "store/graph_read.h"
#include "store/vector_store.h"
#include "testutil.h"

/* ---- the walk's machinery -------------------------------------------------------- */

static kg_csr *graph(int n, const int (*e)[2], size_t ne)
{
    kg_edge_list el;
    kg_edge_list_init(&el, n);
    for (size_t i = 0; i < ne; i++)
        kg_edge_list_add_undirected(&el, e[i][0], e[i][1], 1.0);
    kg_csr *g = NULL;
    kg_err err;
    assert_int_equal(kg_csr_build(&el, &g, &err), KG_OK);
    kg_edge_list_free(&el);
    return g;
}

static void test_personal_pagerank_known_values(void **st)
{
    (void)st;
    kg_err err;
    /* Two nodes, restart at 0: x0 = (1-d) + d x1, x1 = d x0, so
     * x0 = 1 / (1 + d), x1 = d / (1 + d). */
    const int e1[][2] = {{0, 1}};
    kg_csr *g = graph(2, e1, 1);
    double r[2] = {1, 0}, x[2];
    int it = 0;
    assert_int_equal(kg_pagerank_personal(g, 0.5, r, NULL, 200, 1e-12, x, &it, &err), KG_OK);
    assert_true(fabs(x[0] - 2.0 / 3) < 1e-9);
    assert_true(fabs(x[1] - 1.0 / 3) < 1e-9);
    assert_true(it > 1);
    /* Node 1 holds only half of its weight here (norm 2): half of what
     * reaches it leaves the walk.  x1 = d x0, x0 = (1-d) + d x1 / 2. */
    double norm[2] = {0, 2};
    assert_int_equal(kg_pagerank_personal(g, 0.5, r, norm, 200, 1e-12, x, NULL, &err), KG_OK);
    assert_true(fabs(x[0] - 0.5 / 0.875) < 1e-9);
    assert_true(fabs(x[1] - 0.25 / 0.875) < 1e-9);
    /* Restart weights are normalised; none at all is refused. */
    double r2[2] = {4, 0}, z[2] = {0, 0};
    assert_int_equal(kg_pagerank_personal(g, 0.5, r2, NULL, 200, 1e-12, x, NULL, &err), KG_OK);
    assert_true(fabs(x[0] - 2.0 / 3) < 1e-9);
    assert_int_equal(kg_pagerank_personal(g, 0.5, z, NULL, 200, 1e-12, x, NULL, &err), KG_EINVAL);
    assert_int_equal(kg_pagerank_personal(g, 1.0, r, NULL, 200, 1e-12, x, NULL, &err), KG_EINVAL);
    double bad[2] = {-1, 2};
    assert_int_equal(kg_pagerank_personal(g, 0.5, bad, NULL, 200, 1e-12, x, NULL, &err), KG_EINVAL);
    kg_csr_free(g);
    /* A path 0-1-2-3 and a lone edge 4-5: from 0, scores fall along the
     * path and nothing reaches 4 or 5. */
    const int e2[][2] = {{0, 1}, {1, 2}, {2, 3}, {4, 5}};
    g = graph(6, e2, 4);
    double r6[6] = {1, 0, 0, 0, 0, 0}, x6[6];
    assert_int_equal(kg_pagerank_personal(g, 0.5, r6, NULL, 200, 1e-12, x6, NULL, &err), KG_OK);
    assert_true(x6[0] > x6[1] && x6[1] > x6[2] && x6[2] > x6[3] && x6[3] > 0);
    assert_true(x6[4] == 0 && x6[5] == 0);
    double sum = 0;
    for (int i = 0; i < 6; i++)
        sum += x6[i];
    assert_true(fabs(sum - 1) < 1e-9); /* no edge leaves: the mass stays */
    kg_csr_free(g);
}

static void test_relation_weights(void **st)
{
    (void)st;
    assert_true(kg_walk_relation_weight("WORKS_FOR") == 1.0);
    assert_true(kg_walk_relation_weight("RELATED_TO") < kg_walk_relation_weight("WORKS_FOR"));
    assert_true(kg_walk_relation_weight("SOME_NEW_TYPE") > kg_walk_relation_weight("RELATED_TO"));
}

/* The bench's settings: names of the seed weights and of the walk's
 * options; anything else refused, naming the item. */
static void test_hybrid_settings_parse(void **st)
{
    (void)st;
    kg_hybrid_opts o, d;
    kg_hybrid_opts_default(&o);
    kg_hybrid_opts_default(&d);
    char bad[64] = "";
    assert_int_equal(
        kg_hybrid_opts_parse(&o, "entity_weight=0.5,levels=1,cooccur_scale=0", bad, sizeof bad), 0);
    assert_true(o.entity_weight == 0.5 && o.walk.levels == 1 && o.walk.cooccur_scale == 0);
    assert_true(o.text_weight == d.text_weight && o.walk.typed_scale == 1.0);
    assert_int_equal(kg_hybrid_opts_parse(&o, "levels=1.5", bad, sizeof bad), -1);
    assert_string_equal(bad, "levels=1.5");
    assert_int_equal(kg_hybrid_opts_parse(&o, "text_weight=-1", bad, sizeof bad), -1);
    assert_int_equal(kg_hybrid_opts_parse(&o, "damping=0.4,nonsense=1", bad, sizeof bad), -1);
    assert_string_equal(bad, "nonsense=1");
    assert_int_equal(kg_hybrid_opts_parse(&o, "damping", bad, sizeof bad), -1);
    assert_int_equal(kg_hybrid_opts_parse(&o, "damping=x", bad, sizeof bad), -1);
    assert_int_equal(kg_hybrid_opts_parse(&o, "", bad, sizeof bad), 0);
}

/* ---- over a database ------------------------------------------------------------ */

static char *g_dir, *g_db;

/* A seed's specificity is that of the question's words: every entity the
 * same words link shares it, so a rare misreading ("German" once read as
 * a place) weighs no more than the common reading, and a rare name of
 * other words still weighs more. */
static void test_link_weights_share_their_words(void **st)
{
    (void)st;
    kg_hybrid_opts o;
    kg_hybrid_opts_default(&o);
    kg_qlink_hit hits[] = {
        {.type = "NORP", .word_start = 3, .word_end = 4, .score = 1.0, .mentions = 25},
        {.type = "GPE", .word_start = 3, .word_end = 4, .score = 1.0, .mentions = 1},
        {.type = "PERSON", .word_start = 0, .word_end = 2, .score = 0.9, .mentions = 2},
        {.type = "DATE", .word_start = 6, .word_end = 7, .score = 1.0, .mentions = 0},
    };
    kg_qlink_result l;
    memset(&l, 0, sizeof l);
    l.hits = hits;
    l.n = sizeof hits / sizeof hits[0];
    double norp = kg_hybrid_link_weight(&l, 0, &o), gpe = kg_hybrid_link_weight(&l, 1, &o);
    double person = kg_hybrid_link_weight(&l, 2, &o), date = kg_hybrid_link_weight(&l, 3, &o);
    assert_true(fabs(gpe - o.entity_weight / 26.0) < 1e-12);
    assert_true(fabs(norp - 0.5 * o.entity_weight / 26.0) < 1e-12);
    assert_true(fabs(person - 0.9 * o.entity_weight / 2.0) < 1e-12);
    assert_true(fabs(date - 0.1 * o.entity_weight) < 1e-12); /* no mentions: counted as one */
    assert_true(person > gpe && gpe > norp);
}

static int setup(void **st)
{
    (void)st;
    kg_hash_init();
    g_dir = tu_tmpdir();
    g_db = tu_join(g_dir, "w.db");
    char *docs = tu_join(g_dir, "docs");
    tu_sh("mkdir -p '%s'", docs);
    static const char *const files[][2] = {
        /* The first hop, named by its title. */
        {"a.txt", "Graph Echo Network\n\nThe Graph Echo Network was proposed by Maria Keller, "
                  "a researcher from Portugal.\n"},
        /* The second hop: no word of the question but the bridge entity. */
        {"b.txt", "Maria Keller\n\nMaria Keller teaches at the Lisbon Institute of Logic. "
                  "Keller leads its reasoning group.\n"},
        /* A lexical distractor. */
        {"c.txt", "Echo chambers\n\nAn echo chamber is a network of people repeating one "
                  "view.\n"},
        {"d.txt", "Porto harbour\n\nThe harbour of Porto receives ships every morning.\n"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *p = tu_join(docs, files[i][0]);
        tu_write_str(p, files[i][1]);
        free(p);
    }
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(g_db, NULL, &s, &e), KG_OK);
    kg_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.chunk.chunk_size = 512;
    o.chunk.overlap = 50;
    o.build_graph = 1;
    o.min_confidence = 0.3;
    kg_ingest_summary sum;
    const char *paths[] = {docs};
    if (kg_ingest_run(s, paths, 1, &o, &sum, &e))
        fail_msg("ingest: %s", e.msg);
    kg_ingest_summary_free(&sum);
    kg_store_close(s);
    free(docs);
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

static kg_store *open_db(int readonly)
{
    kg_store *s = NULL;
    kg_err e;
    kg_store_opts ro = {readonly ? KG_STORE_READONLY : 0, 0};
    assert_int_equal(kg_store_open(g_db, &ro, &s, &e), KG_OK);
    return s;
}

/* The file name (a.txt ...) of a chunk. */
static const char *file_of(kg_store *s, const char *chunk_id, char *buf, size_t cap)
{
    kg_search_hit h;
    int found = 0;
    kg_err e;
    assert_int_equal(kg_vec_chunk_hit(s, chunk_id, &h, &found, &e), KG_OK);
    assert_true(found);
    const char *slash = strrchr(h.path, '/');
    snprintf(buf, cap, "%s", slash ? slash + 1 : h.path);
    free(h.path);
    free(h.title);
    free(h.snippet);
    return buf;
}

static void entity_id(kg_store *s, const char *name, char out[KG_ID_MAX])
{
    kg_entity_row *rows = NULL;
    size_t n = 0;
    kg_err e;
    assert_int_equal(kg_store_find_entities(s, name, 1, &rows, &n, &e), KG_OK);
    if (n != 1)
        fail_msg("no entity named %s", name);
    snprintf(out, KG_ID_MAX, "%s", rows[0].id);
    kg_entity_rows_free(rows, n);
}

static void test_walk_ranks_the_neighbourhood(void **st)
{
    (void)st;
    kg_store *s = open_db(1);
    /* From Maria Keller: her two passages, b.txt (two mentions) first; the
     * distractor and the harbour are not reached. */
    kg_walk_seed seed = {.weight = 1.0};
    entity_id(s, "Maria Keller", seed.id);
    kg_walk_hit *h = NULL;
    size_t n = 0;
    kg_walk_report rep;
    kg_err e;
    assert_int_equal(kg_graph_walk(s, &seed, 1, NULL, &h, &n, &rep, &e), KG_OK);
    assert_int_equal(n, 2);
    char f[64];
    assert_string_equal(file_of(s, h[0].chunk_id, f, sizeof f), "b.txt");
    assert_string_equal(file_of(s, h[1].chunk_id, f, sizeof f), "a.txt");
    assert_true(h[0].score > h[1].score && h[1].score > 0);
    assert_true(rep.entities >= 1 && rep.chunks == 2 && rep.iterations > 0);
    free(h);
    /* From a.txt's chunk: a.txt itself, then b.txt through Maria Keller. */
    kg_walk_seed cs = {.weight = 1.0};
    snprintf(cs.id, sizeof cs.id, "%s", seed.id);
    kg_search_hit *th = NULL;
    size_t tn = 0;
    assert_int_equal(kg_store_search(s, "proposed", 1, &th, &tn, &e), KG_OK);
    assert_int_equal(tn, 1);
    snprintf(cs.id, sizeof cs.id, "%s", th[0].chunk_id);
    kg_search_hits_free(th, tn);
    assert_int_equal(kg_graph_walk(s, &cs, 1, NULL, &h, &n, &rep, &e), KG_OK);
    assert_true(n >= 2);
    assert_string_equal(file_of(s, h[0].chunk_id, f, sizeof f), "a.txt");
    assert_string_equal(file_of(s, h[1].chunk_id, f, sizeof f), "b.txt");
    for (size_t i = 0; i < n; i++) {
        file_of(s, h[i].chunk_id, f, sizeof f);
        assert_true(strcmp(f, "d.txt") != 0);
    }
    free(h);
    /* No seed weight: nothing. */
    cs.weight = 0;
    assert_int_equal(kg_graph_walk(s, &cs, 1, NULL, &h, &n, &rep, &e), KG_OK);
    assert_int_equal(n, 0);
    free(h);
    kg_store_close(s);
}

static int rank_of(kg_store *s, const kg_ranked_hit *h, size_t n, const char *file)
{
    char f[64];
    for (size_t i = 0; i < n; i++)
        if (strcmp(file_of(s, h[i].hit.chunk_id, f, sizeof f), file) == 0)
            return (int)i + 1;
    return 0;
}

static const char *Q = "Which university does the researcher who proposed the Graph Echo Network "
                       "work for?";

static void test_hybrid_fuses_and_lifts_the_bridge(void **st)
{
    (void)st;
    kg_store *s = open_db(0);
    kg_embed_report er;
    kg_err e;
    assert_int_equal(kg_embed_chunks(s, NULL, NULL, NULL, NULL, &er, &e), KG_OK);
    kg_ranked_hit *t = NULL, *h = NULL;
    size_t tn = 0, hn = 0;
    kg_search_info ti, hi;
    assert_int_equal(kg_search_ranked(s, Q, KG_SEARCH_TEXT, NULL, 4, &t, &tn, &ti, &e), KG_OK);
    assert_int_equal(kg_search_ranked(s, Q, KG_SEARCH_HYBRID, NULL, 4, &h, &hn, &hi, &e), KG_OK);
    /* Text alone puts the distractor above the bridge passage. */
    int tb = rank_of(s, t, tn, "b.txt"), tc = rank_of(s, t, tn, "c.txt");
    assert_true(tc > 0 && (tb == 0 || tb > tc));
    /* Hybrid: the named passage first, the bridge second. */
    assert_int_equal(rank_of(s, h, hn, "a.txt"), 1);
    assert_int_equal(rank_of(s, h, hn, "b.txt"), 2);
    assert_true(h[0].named && h[0].graph_rank == 1 && h[0].hit.score >= h[1].hit.score);
    assert_int_equal(hi.named_passages, 1);
    json_t *ch = json_object_get(hi.report, "channels");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ch, "vector"), "state")),
                        "used");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ch, "graph"), "state")),
                        "used");
    assert_non_null(json_object_get(hi.report, "linked"));
    assert_non_null(json_object_get(hi.report, "walk"));
    kg_ranked_hits_free(t, tn);
    kg_ranked_hits_free(h, hn);
    kg_search_info_free(&ti);
    kg_search_info_free(&hi);
    kg_store_close(s);
}

/* Hybrid answers whatever the question: each channel that applies, the
 * report saying which. */
static void test_hybrid_bad_input(void **st)
{
    (void)st;
    kg_store *s = open_db(1);
    kg_err e;
    char *longq = malloc(10001);
    for (int i = 0; i < 10000; i++)
        longq[i] = "harbour ships Porto morning "[i % 28];
    longq[10000] = '\0';
    const char *qs[] = {"what is the of and",  /* only stop words */
                        "ships every morning", /* no entity */
                        longq,                 /* 10,000 characters */
                        "\xe6\xb8\xaf\xe3\x81\xaf\xe3\x81\xa9\xe3\x81\x93 harbour" /* script */};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        kg_ranked_hit *t = NULL, *h = NULL;
        size_t tn = 0, hn = 0;
        kg_search_info ti, hi;
        int trc = kg_search_ranked(s, qs[i], KG_SEARCH_TEXT, NULL, 5, &t, &tn, &ti, &e);
        assert_int_equal(kg_search_ranked(s, qs[i], KG_SEARCH_HYBRID, NULL, 5, &h, &hn, &hi, &e),
                         KG_OK);
        if (trc == KG_OK && tn > 0)
            assert_true(hn > 0); /* never empty when text has hits */
        json_t *ch = json_object_get(hi.report, "channels");
        assert_non_null(json_object_get(ch, "text"));
        /* Before `kgas embed`: hybrid goes on without vectors, and says so. */
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(ch, "vector"), "state")),
            "not embedded");
        kg_ranked_hits_free(t, tn);
        kg_ranked_hits_free(h, hn);
        kg_search_info_free(&ti);
        kg_search_info_free(&hi);
    }
    /* Punctuation only: no channel applies; an empty answer, no error. */
    kg_ranked_hit *h = NULL;
    size_t hn = 0;
    kg_search_info hi;
    assert_int_equal(kg_search_ranked(s, "?? !!", KG_SEARCH_HYBRID, NULL, 5, &h, &hn, &hi, &e),
                     KG_OK);
    assert_int_equal(hn, 0);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(hi.report, "channels"), "text"), "state")),
        "no words");
    kg_ranked_hits_free(h, hn);
    kg_search_info_free(&hi);
    free(longq);
    kg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_personal_pagerank_known_values),
        cmocka_unit_test(test_relation_weights),
        cmocka_unit_test(test_hybrid_settings_parse),
        cmocka_unit_test(test_link_weights_share_their_words),
    };
    const struct CMUnitTest db[] = {
        cmocka_unit_test(test_walk_ranks_the_neighbourhood),
        cmocka_unit_test(test_hybrid_bad_input), /* before test_hybrid_fuses... embeds */
        cmocka_unit_test(test_hybrid_fuses_and_lifts_the_bridge),
    };
    int f = cmocka_run_group_tests(pure, NULL, NULL);
    return f + cmocka_run_group_tests(db, setup, teardown);
}
