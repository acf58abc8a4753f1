/* Unit tests for graph/query on a small hand-built graph with known
 * answers: matching (exact, alias, fuzzy, longest-first), answers with hop
 * limits and de-duplication, paths between two entities, and the work bound
 * on a hub. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/query.h"
#include "testutil.h"

enum {
    SCROOGE,
    MARLEY,
    BOB,
    TIM,
    FIRM,
    LONDON,
    FEZZIWIG,
    NNODES
};

static kg_query_graph *carol(void)
{
    kg_query_graph *g = kg_query_graph_new();
    const char *bob_alias[] = {"Cratchit", "Bob"};
    const char *firm_alias[] = {"the firm"};
    assert_int_equal(kg_query_add_node(g, "Ebenezer Scrooge", "PERSON", NULL, 0, 0.30), SCROOGE);
    assert_int_equal(kg_query_add_node(g, "Jacob Marley", "PERSON", NULL, 0, 0.10), MARLEY);
    assert_int_equal(kg_query_add_node(g, "Bob Cratchit", "PERSON", bob_alias, 2, 0.15), BOB);
    assert_int_equal(kg_query_add_node(g, "Tiny Tim", "PERSON", NULL, 0, 0.05), TIM);
    assert_int_equal(kg_query_add_node(g, "Scrooge & Marley", "ORG", firm_alias, 1, 0.20), FIRM);
    assert_int_equal(kg_query_add_node(g, "London", "LOC", NULL, 0, 0.40), LONDON);
    assert_int_equal(kg_query_add_node(g, "Fezziwig", "PERSON", NULL, 0, 0.05), FEZZIWIG);
    kg_err e;
    const char *ev[] = {"rel_1", "rel_2"};
    assert_int_equal(kg_query_add_edge(g, BOB, FIRM, "WORKS_FOR", 2, 0.9, ev, 2, &e), 0);
    assert_int_equal(kg_query_add_edge(g, SCROOGE, FIRM, "LEADS", 1, 0.9, NULL, 0, &e), 1);
    assert_int_equal(kg_query_add_edge(g, FIRM, LONDON, "LOCATED_IN", 1, 0.8, NULL, 0, &e), 2);
    assert_int_equal(kg_query_add_edge(g, TIM, BOB, "CHILD_OF", 1, 0.9, NULL, 0, &e), 3);
    assert_int_equal(kg_query_add_edge(g, SCROOGE, FEZZIWIG, "WORKS_FOR", 1, 0.7, NULL, 0, &e), 4);
    assert_int_equal(
        kg_query_add_edge(g, MARLEY, SCROOGE, "COLLABORATES_WITH", 1, 0.8, NULL, 0, &e), 5);
    assert_int_equal(kg_query_add_edge(g, FEZZIWIG, LONDON, "LOCATED_IN", 1, 0.6, NULL, 0, &e), 6);
    return g;
}

static void test_graph_building(void **st)
{
    (void)st;
    kg_query_graph *g = carol();
    kg_err e;
    assert_int_equal(kg_query_add_edge(g, 0, 99, "X", 1, 0.5, NULL, 0, &e), KG_EINVAL);
    assert_int_equal(kg_query_add_edge(g, 0, 1, "X", 1, 1.5, NULL, 0, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "confidence"));
    assert_int_equal(kg_query_node_count(g), NNODES);
    assert_int_equal(kg_query_edge_count(g), 7);
    assert_int_equal(kg_query_get_edge(g, 0)->n_evidence, 2);
    assert_string_equal(kg_query_get_edge(g, 0)->evidence[1], "rel_2");
    assert_string_equal(kg_query_get_node(g, BOB)->aliases[0], "Cratchit");
    assert_null(kg_query_get_node(g, 99));
    kg_query_graph_free(g);
}

static kg_query_hit *match(kg_query_graph *g, const char *q, int *n)
{
    kg_query_hit *m;
    kg_err e;
    assert_int_equal(kg_query_match(g, q, &m, n, &e), KG_OK);
    return m;
}

static void test_match(void **st)
{
    (void)st;
    kg_query_graph *g = carol();
    int n;
    /* Fuzzy: a misspelt name still finds its node ("Scroge" -> "Scrooge"). */
    kg_query_graph *h = kg_query_graph_new();
    kg_query_add_node(h, "Scrooge", "PERSON", NULL, 0, 0.5);
    kg_query_add_node(h, "Marley", "PERSON", NULL, 0, 0.5);
    kg_query_hit *m = match(h, "Who did Scroge employ?", &n);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].node, 0);
    assert_string_equal(m[0].kind, "fuzzy");
    assert_true(m[0].score < 0.9 && m[0].score > 0.7);
    assert_int_equal(m[0].word_start, 2);
    free(m);
    m = match(h, "What did Scrooge's partner Marly do?", &n); /* possessive; edit 1 */
    assert_int_equal(n, 2);
    assert_int_equal(m[0].node, 0);
    assert_string_equal(m[0].kind, "exact");
    assert_int_equal(m[1].node, 1);
    assert_string_equal(m[1].kind, "fuzzy");
    free(m);
    m = match(h, "Who is who? What works?", &n); /* stop and common words only */
    assert_int_equal(n, 0);
    assert_null(m);
    kg_query_graph_free(h);

    /* Longest first: "Scrooge & Marley" is the firm, not two people. */
    m = match(g, "Where is Scrooge & Marley located?", &n);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].node, FIRM);
    assert_true(m[0].score == 1.0);
    free(m);
    /* Alias and case-insensitive exact name. */
    m = match(g, "what about CRATCHIT and tiny tim", &n);
    assert_int_equal(n, 2);
    assert_int_equal(m[0].node, TIM);
    assert_string_equal(m[0].kind, "exact");
    assert_int_equal(m[1].node, BOB);
    assert_string_equal(m[1].kind, "alias");
    assert_true(fabs(m[1].score - 0.9) < 1e-12);
    free(m);
    kg_query_graph_free(g);
}

static const kg_query_path *find(const kg_query_result *r, int node)
{
    const kg_query_path *hit = NULL;
    for (int i = 0; i < r->n_answers; i++)
        if (r->answers[i].node == node) {
            assert_null(hit); /* de-duplicated by answer entity */
            hit = &r->answers[i];
        }
    return hit;
}

static void test_answer(void **st)
{
    (void)st;
    kg_query_graph *g = carol();
    kg_query_result *r;
    kg_err e;
    assert_int_equal(kg_query_answer(g, "Where is Scrooge & Marley?", 1, 10, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 3); /* London, Bob, Scrooge */
    const kg_query_path *a = find(r, LONDON);
    assert_non_null(a);
    assert_string_equal(a->rendered, "Scrooge & Marley -[LOCATED_IN]-> London");
    /* documented score: 1.0 (exact) x 0.8 x (0.5 + 0.5 x 0.40/0.40) */
    assert_true(fabs(a->score - 0.8) < 1e-12);
    assert_int_equal(r->answers[0].node, LONDON); /* best score first */
    a = find(r, BOB);
    assert_string_equal(a->rendered, "Scrooge & Marley <-[WORKS_FOR]- Bob Cratchit");
    assert_int_equal(a->hops, 1);
    assert_int_equal(a->nodes[0], FIRM);
    assert_int_equal(a->nodes[1], BOB);
    assert_int_equal(a->edges[0], 0);
    assert_null(find(r, TIM)); /* two hops away */
    kg_query_result_free(r);

    assert_int_equal(kg_query_answer(g, "Where is Scrooge & Marley?", 2, 10, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 6); /* everyone but the firm itself */
    a = find(r, TIM);
    assert_non_null(a);
    assert_string_equal(a->rendered,
                        "Scrooge & Marley <-[WORKS_FOR]- Bob Cratchit <-[CHILD_OF]- Tiny Tim");
    /* Fezziwig is reached two ways; the better path is kept. */
    a = find(r, FEZZIWIG);
    assert_string_equal(a->rendered,
                        "Scrooge & Marley <-[LEADS]- Ebenezer Scrooge -[WORKS_FOR]-> Fezziwig");
    assert_true(fabs(a->score - 0.9 * 0.7 * (0.5 + 0.5 * 0.05 / 0.40)) < 1e-12);
    for (int i = 1; i < r->n_answers; i++)
        assert_true(r->answers[i - 1].score >= r->answers[i].score);
    assert_int_equal(r->truncated, 0);
    kg_query_result_free(r);

    /* limit, default hops, bad hops */
    assert_int_equal(kg_query_answer(g, "Tell me about Tiny Tim", 0, 2, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 2);
    assert_int_equal(r->answers[0].node, BOB);
    kg_query_result_free(r);
    assert_int_equal(kg_query_answer(g, "Tiny Tim", 4, 2, &r, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "max_hops"));
    assert_int_equal(kg_query_answer(g, "nothing here", 2, 5, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 0);
    kg_query_result_free(r);
    kg_query_graph_free(g);
}

static void test_paths(void **st)
{
    (void)st;
    kg_query_graph *g = carol();
    kg_query_result *r;
    kg_err e;
    assert_int_equal(kg_query_paths(g, "Tiny Tim", "London", 3, 5, &r, &e), KG_OK);
    assert_true(r->n_answers >= 1);
    assert_string_equal(r->answers[0].rendered,
                        "Tiny Tim -[CHILD_OF]-> Bob Cratchit -[WORKS_FOR]-> Scrooge & Marley "
                        "-[LOCATED_IN]-> London");
    kg_query_result_free(r);
    assert_int_equal(kg_query_paths(g, "Tiny Tim", "London", 2, 5, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 0); /* too far for 2 hops */
    kg_query_result_free(r);

    assert_int_equal(kg_query_paths(g, "Ebenezer Scrooge", "London", 2, 5, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 2);
    assert_string_equal(r->answers[0].rendered,
                        "Ebenezer Scrooge -[LEADS]-> Scrooge & Marley -[LOCATED_IN]-> London");
    assert_string_equal(r->answers[1].rendered,
                        "Ebenezer Scrooge -[WORKS_FOR]-> Fezziwig -[LOCATED_IN]-> London");
    kg_query_result_free(r);
    /* 3 hops: more paths, shortest still first. */
    assert_int_equal(kg_query_paths(g, "Jacob Marley", "Bob", 3, 10, &r, &e), KG_OK);
    assert_int_equal(r->n_answers, 1);
    assert_string_equal(r->answers[0].rendered,
                        "Jacob Marley -[COLLABORATES_WITH]-> Ebenezer Scrooge -[LEADS]-> "
                        "Scrooge & Marley <-[WORKS_FOR]- Bob Cratchit");
    kg_query_result_free(r);

    assert_int_equal(kg_query_paths(g, "Nobody Known", "London", 2, 5, &r, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "Nobody"));
    kg_query_graph_free(g);
}

static void test_hub_bounded(void **st)
{
    (void)st;
    kg_query_graph *g = kg_query_graph_new();
    kg_err e;
    kg_query_add_node(g, "Hub", "ORG", NULL, 0, 0.5);
    char name[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "Leaf %d", i);
        int v = kg_query_add_node(g, name, "X", NULL, 0, 0.001);
        assert_true(
            kg_query_add_edge(g, v, 0, "MEMBER_OF", 1, 0.5 + (i % 10) / 100.0, NULL, 0, &e) >= 0);
    }
    kg_query_graph_prepare(g);
    kg_query_result *r;
    assert_int_equal(kg_query_answer(g, "Who is in the Hub?", 3, 20, &r, &e), KG_OK);
    assert_int_equal(r->truncated, 1);
    assert_int_equal(r->n_answers, 20);
    /* fan-out keeps the most confident edges */
    assert_true(fabs(r->answers[0].score - 0.59 * (0.5 + 0.5 * 0.001 / 0.5)) < 1e-12);
    kg_query_result_free(r);
    kg_query_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graph_building), cmocka_unit_test(test_match),
        cmocka_unit_test(test_answer),         cmocka_unit_test(test_paths),
        cmocka_unit_test(test_hub_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
