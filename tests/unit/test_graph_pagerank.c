/* Unit tests for graph/csr and graph/pagerank, including a comparison with
 * networkx.pagerank on a random multigraph (parallel edges, self-loops,
 * dangling nodes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "graph/csr.h"
#include "graph/pagerank.h"
#include "testutil.h"

static void test_csr_parallel_edges_sum(void **st)
{
    (void)st;
    kg_edge_list el;
    kg_edge_list_init(&el, 4);
    kg_edge_list_add(&el, 0, 1, 1.0);
    kg_edge_list_add(&el, 0, 1, 2.5);
    kg_edge_list_add(&el, 2, 0, 1.0);
    kg_edge_list_add(&el, 0, 2, 0.5);
    kg_edge_list_add(&el, 1, 1, 3.0); /* self-loop */
    kg_edge_list_add_undirected(&el, 2, 3, 2.0);
    kg_edge_list_add_undirected(&el, 3, 3, 1.0); /* added once */
    kg_csr *g = NULL;
    kg_err e;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    assert_int_equal(g->n, 4);
    assert_int_equal(g->m, 7); /* 0->1 0->2 1->1 2->0 2->3 3->2 3->3 */
    assert_true(fabs(kg_csr_weight(g, 0, 1) - 3.5) < 1e-12);
    assert_true(fabs(kg_csr_weight(g, 0, 2) - 0.5) < 1e-12);
    assert_true(fabs(kg_csr_weight(g, 3, 2) - 2.0) < 1e-12);
    assert_true(fabs(kg_csr_weight(g, 3, 3) - 1.0) < 1e-12);
    assert_true(kg_csr_weight(g, 1, 0) == 0);
    assert_true(fabs(g->out_w[0] - 4.0) < 1e-12);
    /* rows sorted, transpose consistent */
    assert_int_equal(g->dst[g->off[0]], 1);
    assert_int_equal(g->dst[g->off[0] + 1], 2);
    assert_int_equal(g->in_off[1 + 1] - g->in_off[1], 2); /* 0->1, 1->1 */
    double in_sum = 0;
    for (int64_t k = g->in_off[1]; k < g->in_off[2]; k++)
        in_sum += g->in_w[k];
    assert_true(fabs(in_sum - 6.5) < 1e-12);
    kg_csr_free(g);

    kg_edge_list_add(&el, 0, 9, 1.0);
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "outside"));
    assert_null(g);
    el.dst[el.len - 1] = 1;
    el.w[el.len - 1] = -1;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "weight"));
    kg_edge_list_free(&el);
}

static void test_pagerank_small_known(void **st)
{
    (void)st;
    /* Symmetric cycle: every node scores 1/n.  Plus a dangling node. */
    kg_edge_list el;
    kg_edge_list_init(&el, 3);
    kg_edge_list_add(&el, 0, 1, 1);
    kg_edge_list_add(&el, 1, 2, 1);
    kg_edge_list_add(&el, 2, 0, 1);
    kg_csr *g;
    kg_err e;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    double s[3];
    int it;
    assert_int_equal(kg_pagerank(g, 0.85, 100, 1e-10, KG_PAGERANK_STOP_CONVERGED, s, &it, &e),
                     KG_OK);
    for (int i = 0; i < 3; i++)
        assert_true(fabs(s[i] - 1.0 / 3) < 1e-12);
    kg_csr_free(g);
    kg_edge_list_free(&el);

    /* Star into a dangling sink; sink must be top, sum 1. */
    kg_edge_list_init(&el, 5);
    for (int i = 1; i < 5; i++)
        kg_edge_list_add(&el, i, 0, 1);
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    double t[5];
    assert_int_equal(kg_pagerank(g, 0.85, 100, 1e-10, KG_PAGERANK_STOP_CONVERGED, t, &it, &e),
                     KG_OK);
    double sum = 0;
    for (int i = 0; i < 5; i++)
        sum += t[i];
    assert_true(fabs(sum - 1) < 1e-12);
    assert_true(t[0] > t[1]);
    int64_t rank[5];
    double pct[5];
    kg_pagerank_rank(t, 5, rank, pct);
    assert_int_equal(rank[0], 1);
    for (int i = 1; i < 5; i++) {
        assert_int_equal(rank[i], 2); /* ties share the better rank */
        assert_true(fabs(pct[i] - 80.0) < 1e-9);
    }
    assert_true(fabs(pct[0] - 100.0) < 1e-9);

    /* Bad parameters and non-convergence are errors a person can act on. */
    assert_int_equal(kg_pagerank(g, 1.0, 100, 1e-6, KG_PAGERANK_STOP_CONVERGED, t, &it, &e),
                     KG_EINVAL);
    assert_non_null(strstr(e.msg, "damping"));
    assert_int_equal(kg_pagerank(g, 0.85, 1, 1e-15, KG_PAGERANK_STOP_CONVERGED, t, &it, &e),
                     KG_EBUSY);
    assert_int_equal(it, 1);
    kg_csr_free(g);
    kg_edge_list_free(&el);
}

/* Deterministic xorshift so the graph is the same on every run. */
static unsigned long long rng_state = 88172645463325252ULL;
static unsigned long long rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Our scores (stopping rule `stop`, tolerance tol_ours) against networkx's
 * (its own rule, tol_nx) on a random graph of n nodes and about m edges
 * (dangling nodes, self-loops, parallel edges); max |diff| must stay under
 * max_diff.  With `weighted`, a teleport vector too (random weights, every
 * seventh node none): networkx's personalization.  77 when networkx is not
 * installed. */
static int compare_with_networkx_t(int n, int m, double tol_ours, kg_pagerank_stop stop,
                                   double tol_nx, double max_diff, int weighted)
{
    char *dir = tu_tmpdir();
    char *edges = tu_join(dir, "edges.txt");
    char *out = tu_join(dir, "scores.txt");
    char *tfile = tu_join(dir, "teleport.txt");
    double *tele = NULL;
    if (weighted) {
        kg_buf tb = KG_BUF_INIT;
        tele = kg_xmalloc((size_t)n * sizeof *tele);
        for (int v = 0; v < n; v++) {
            tele[v] = v % 7 == 3 ? 0.0 : log1p((double)(1 + rng() % 50));
            kg_buf_printf(&tb, "%.17g\n", tele[v]);
        }
        tu_write(tfile, tb.data, tb.len);
        kg_buf_free(&tb);
    }
    kg_edge_list el;
    kg_edge_list_init(&el, n);
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%d\n", n);
    for (int k = 0; k < m; k++) {
        int s = (int)(rng() % (unsigned)n), d = (int)(rng() % (unsigned)n);
        if (s >= n - n / 10) /* the last tenth have no out-edges: dangling */
            continue;
        if (k % 17 == 0)
            d = s; /* self-loops */
        double w = 0.25 + (double)(rng() % 1000) / 250.0;
        kg_edge_list_add(&el, s, d, w);
        kg_buf_printf(&b, "%d %d %.17g\n", s, d, w);
        if (k % 5 == 0) { /* a parallel edge */
            kg_edge_list_add(&el, s, d, 1.0);
            kg_buf_printf(&b, "%d %d %.17g\n", s, d, 1.0);
        }
    }
    tu_write(edges, b.data, b.len);
    kg_buf_free(&b);

    /* TEST_SOURCE_DIR is set by ctest (TEST_SOURCE_DIR on older trees);
     * otherwise derive the source root from this file's path. */
    const char *src = getenv("TEST_SOURCE_DIR");
    if (!src)
        src = getenv("TEST_SOURCE_DIR");
    char root[1024];
    if (!src) {
        snprintf(root, sizeof root, "%s", __FILE__);
        char *cut = strstr(root, "/tests/unit/");
        if (cut)
            *cut = 0;
        else
            snprintf(root, sizeof root, ".");
        src = root;
    }
    /* $TEST_PYTHON, else the first python3 on PATH, else the system one
     * (a pyenv python may lack networkx while /usr/bin/python3 has it). */
    const char *py = getenv("TEST_PYTHON");
    const char *targ = weighted ? tfile : "";
    int rc = tu_sh("%s %s/tests/scripts/pagerank_nx.py %s %s %.3g %s 2>/dev/null",
                   py ? py : "python3", src, edges, out, tol_nx, targ);
    if (rc != 0 && !py)
        rc = tu_sh("/usr/bin/python3 %s/tests/scripts/pagerank_nx.py %s %s %.3g %s", src, edges,
                   out, tol_nx, targ);
    if (rc == 77) {
        fprintf(stderr, "SKIP: python3-networkx not installed\n");
        kg_edge_list_free(&el);
        tu_rmrf(dir);
        free(dir);
        free(edges);
        free(out);
        free(tfile);
        free(tele);
        return 77;
    }
    assert_int_equal(rc, 0);

    kg_csr *g;
    kg_err e;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    double *s = kg_xmalloc((size_t)n * sizeof *s);
    int it;
    assert_int_equal(kg_pagerank_teleport(g, tele, 0.85, 1000, tol_ours, stop, s, &it, &e), KG_OK);
    char *txt = tu_read(out, NULL);
    assert_non_null(txt);
    char *p = txt;
    double worst = 0, sum = 0;
    for (int v = 0; v < n; v++) {
        char *end;
        double ref = strtod(p, &end);
        assert_true(end != p);
        p = end;
        double d = fabs(ref - s[v]);
        if (d > worst)
            worst = d;
        sum += s[v];
    }
    assert_true(fabs(sum - 1.0) < 1e-12);
    if (worst > max_diff || getenv("KGAS_TEST_VERBOSE"))
        fprintf(stderr, "pagerank vs networkx (%d nodes): max |diff| = %g (limit %g)\n", n, worst,
                max_diff);
    assert_true(worst <= max_diff);
    free(txt);
    free(s);
    kg_csr_free(g);
    kg_edge_list_free(&el);
    tu_rmrf(dir);
    free(dir);
    free(edges);
    free(out);
    free(tfile);
    free(tele);
    return 0;
}

static int compare_with_networkx(int n, int m, double tol_ours, kg_pagerank_stop stop,
                                 double tol_nx, double max_diff)
{
    return compare_with_networkx_t(n, m, tol_ours, stop, tol_nx, max_diff, 0);
}

static void test_pagerank_vs_networkx(void **st)
{
    (void)st;
    /* Tight on both sides: the fixed point itself must agree. */
    if (compare_with_networkx(400, 3000, 1e-12, KG_PAGERANK_STOP_NETWORKX, 1e-12, 1e-9) == 77) {
        skip();
        return;
    }
    /* networkx's rule at its default 1e-6, kept as a setting: the same
     * iterates and the same stopping point, so the results agree far inside
     * 1e-6. */
    compare_with_networkx(300, 2000, 1e-6, KG_PAGERANK_STOP_NETWORKX, 1e-6, 1e-9);
    compare_with_networkx(1000, 8000, 1e-6, KG_PAGERANK_STOP_NETWORKX, 1e-6, 1e-9);
    /* The default (converged, tol 1e-10) against networkx at tol 1e-12: every
     * score within 1e-8 on a graph the size of the ten papers' (1,705
     * entities).  On larger graphs networkx's own n*tol rule leaves it
     * further from the fixed point (at 5,000 nodes, 1.3e-8 at tol 1e-12), so
     * there it is held to tol 1e-15. */
    compare_with_networkx(1705, 12000, KG_PAGERANK_TOL, KG_PAGERANK_STOP_CONVERGED, 1e-12, 1e-8);
    compare_with_networkx(5000, 40000, KG_PAGERANK_TOL, KG_PAGERANK_STOP_CONVERGED, 1e-15, 1e-8);
    /* A teleport vector (what graphops/graph_build gives: log(1 +
     * mentions)) is networkx's personalization, dangling nodes included. */
    compare_with_networkx_t(400, 3000, 1e-12, KG_PAGERANK_STOP_NETWORKX, 1e-12, 1e-9, 1);
    compare_with_networkx_t(1705, 12000, KG_PAGERANK_TOL, KG_PAGERANK_STOP_CONVERGED, 1e-12, 1e-8,
                            1);
}

/* A teleport vector: NULL and a uniform one are the same walk; weights
 * move the score toward the weighted node, dangling mass included; bad
 * weights are refused with the node named. */
static void test_pagerank_teleport(void **st)
{
    (void)st;
    kg_edge_list el;
    kg_edge_list_init(&el, 4);
    kg_edge_list_add(&el, 0, 1, 1);
    kg_edge_list_add(&el, 1, 2, 2);
    kg_edge_list_add(&el, 2, 0, 1);
    kg_edge_list_add(&el, 2, 3, 1); /* 3 is dangling */
    kg_csr *g;
    kg_err e;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    double a[4], b[4], c[4];
    double flat[4] = {5, 5, 5, 5}, heavy[4] = {0, 0, 0, 9};
    int it;
    assert_int_equal(kg_pagerank(g, 0.85, 1000, 1e-13, KG_PAGERANK_STOP_CONVERGED, a, &it, &e),
                     KG_OK);
    assert_int_equal(
        kg_pagerank_teleport(g, flat, 0.85, 1000, 1e-13, KG_PAGERANK_STOP_CONVERGED, b, &it, &e),
        KG_OK);
    for (int v = 0; v < 4; v++)
        assert_true(fabs(a[v] - b[v]) < 1e-12);
    assert_int_equal(
        kg_pagerank_teleport(g, heavy, 0.85, 1000, 1e-13, KG_PAGERANK_STOP_CONVERGED, c, &it, &e),
        KG_OK);
    double sum = 0;
    for (int v = 0; v < 4; v++)
        sum += c[v];
    assert_true(fabs(sum - 1) < 1e-12);
    /* Every jump, and the dangling node's own score, land on node 3: it
     * gains, and leads. */
    assert_true(c[3] > a[3]);
    for (int v = 0; v < 3; v++)
        assert_true(c[3] > c[v]);
    double zero[4] = {0, 0, 0, 0}, neg[4] = {1, -1, 1, 1};
    assert_int_equal(
        kg_pagerank_teleport(g, zero, 0.85, 100, 1e-10, KG_PAGERANK_STOP_CONVERGED, c, &it, &e),
        KG_EINVAL);
    assert_non_null(strstr(e.msg, "teleport"));
    assert_int_equal(
        kg_pagerank_teleport(g, neg, 0.85, 100, 1e-10, KG_PAGERANK_STOP_CONVERGED, c, &it, &e),
        KG_EINVAL);
    assert_non_null(strstr(e.msg, "node 1"));
    kg_csr_free(g);
    kg_edge_list_free(&el);
}

static void test_pagerank_large(void **st)
{
    (void)st;
    /* 100k nodes / 1M edges: must converge; time reported for the curious. */
    int n = 100000;
    kg_edge_list el;
    kg_edge_list_init(&el, n);
    for (int k = 0; k < 1000000; k++)
        kg_edge_list_add(&el, (int)(rng() % (unsigned)n), (int)(rng() % (unsigned)n), 1.0);
    kg_csr *g;
    kg_err e;
    assert_int_equal(kg_csr_build(&el, &g, &e), KG_OK);
    double *s = kg_xmalloc((size_t)n * sizeof *s);
    int it;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(kg_pagerank(g, 0.85, KG_PAGERANK_MAX_ITER, KG_PAGERANK_TOL,
                                 KG_PAGERANK_STOP_CONVERGED, s, &it, &e),
                     KG_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    fprintf(stderr, "pagerank 100k/1M: %d iterations, %.1f ms\n", it, ms);
    double sum = 0;
    for (int v = 0; v < n; v++)
        sum += s[v];
    assert_true(fabs(sum - 1) < 1e-9);
    free(s);
    kg_csr_free(g);
    kg_edge_list_free(&el);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csr_parallel_edges_sum), cmocka_unit_test(test_pagerank_small_known),
        cmocka_unit_test(test_pagerank_vs_networkx),   cmocka_unit_test(test_pagerank_teleport),
        cmocka_unit_test(test_pagerank_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
