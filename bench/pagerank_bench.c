/* pagerank_bench: drive kgas's PageRank on a raw edge list, for bench/pagerank.sh.
 *
 *   pagerank_bench gen N M SEED OUT        write a deterministic directed graph
 *                                          of N nodes and M distinct weighted
 *                                          edges ("src dst weight" lines)
 *   pagerank_bench run EDGES SCORES REPEAT [TOL MAX_ITER STOP]
 *                                          read EDGES into memory, then REPEAT
 *                                          times: build the CSR and run
 *                                          kg_pagerank (damping 0.85; TOL,
 *                                          MAX_ITER and STOP, converged or
 *                                          networkx, default to kgas's
 *                                          defaults); print the timings,
 *                                          write the scores to SCORES
 *
 * The timed region is what the reference tools are timed doing too: from
 * the edge list in memory to scores, the CSR build included (igraph's
 * conversion to PRPACK's layout is inside its call).  Reading the file is
 * reported apart; the build and the iteration are also reported alone.
 * The generator is here rather than in Python so the graph does not depend on
 * a library's random stream: splitmix64 with a fixed seed is the same
 * everywhere.  In-degrees are skewed (a few hubs, a long tail, as in an entity
 * graph) and every 20th node has no out-edges, so the dangling-node path of
 * PageRank is exercised too. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph/csr.h"
#include "graph/pagerank.h"

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform01(void) { return (double)(splitmix64() >> 11) * 0x1.0p-53; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int gen(int n, size_t m, uint64_t seed, const char *out)
{
    if (n < 2 || m > (size_t)n * (size_t)(n - 1)) {
        fprintf(stderr, "gen: %zu distinct edges do not fit in %d nodes\n", m, n);
        return 2;
    }
    rng_state = seed;
    size_t cap = m + m / 4 + 16, len = 0;
    uint64_t *keys = malloc(cap * sizeof *keys);
    if (!keys)
        return 1;
    const uint64_t perm = 48271; /* odd and not a multiple of 5: a bijection mod 10^k */
    while (len < m) {
        /* Draw what is still missing (plus a margin for duplicates), then
         * sort and drop duplicates; repeat until there are enough. */
        size_t want = (m - len) + (m - len) / 8 + 16;
        if (len + want > cap) {
            cap = len + want;
            uint64_t *k = realloc(keys, cap * sizeof *keys);
            if (!k)
                return 1;
            keys = k;
        }
        for (size_t i = 0; i < want; i++) {
            int src;
            do
                src = (int)(splitmix64() % (uint64_t)n);
            while (src % 20 == 0);
            /* u^3 piles the draws onto the low indices; the permutation
             * scatters those hubs over the id space. */
            int hub = (int)(n * pow(uniform01(), 3.0));
            int dst = (int)(((uint64_t)hub * perm) % (uint64_t)n);
            if (dst == src)
                dst = (dst + 1) % n;
            keys[len++] = (uint64_t)src << 32 | (uint32_t)dst;
        }
        qsort(keys, len, sizeof *keys, cmp_u64);
        size_t u = 0;
        for (size_t i = 0; i < len; i++)
            if (u == 0 || keys[i] != keys[u - 1])
                keys[u++] = keys[i];
        len = u;
    }
    /* More than m survived: keep a random m of them (Fisher-Yates prefix),
     * then sort again so the file reads in source order. */
    for (size_t i = 0; i < m; i++) {
        size_t j = i + (size_t)(splitmix64() % (uint64_t)(len - i));
        uint64_t t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
    }
    qsort(keys, m, sizeof *keys, cmp_u64);
    FILE *f = fopen(out, "w");
    if (!f) {
        perror(out);
        return 1;
    }
    fprintf(f, "# nodes %d edges %zu seed %" PRIu64 "\n", n, m, seed);
    for (size_t i = 0; i < m; i++) {
        int s = (int)(keys[i] >> 32), d = (int)(keys[i] & 0xffffffffu);
        int w = 1 + (int)((keys[i] * 0x9E3779B97F4A7C15ULL) >> 61) % 5; /* 1..5 */
        fprintf(f, "%d %d %d\n", s, d, w);
    }
    free(keys);
    return fclose(f) == 0 ? 0 : 1;
}

static int run(const char *edges, const char *scores_path, int repeat, double tol, int max_iter,
               kg_pagerank_stop stop)
{
    double t0 = now_s();
    FILE *f = fopen(edges, "r");
    if (!f) {
        perror(edges);
        return 1;
    }
    int n = 0;
    size_t m = 0;
    if (fscanf(f, "# nodes %d edges %zu%*[^\n]", &n, &m) != 2 || n <= 0) {
        fprintf(stderr, "%s: expected a '# nodes N edges M' header\n", edges);
        fclose(f);
        return 1;
    }
    kg_edge_list el;
    kg_edge_list_init(&el, n);
    int s, d;
    double w;
    while (fscanf(f, "%d %d %lf", &s, &d, &w) == 3)
        kg_edge_list_add(&el, s, d, w);
    fclose(f);
    double t1 = now_s();

    kg_err err;
    kg_err_clear(&err);
    double *x = malloc((size_t)n * sizeof *x);
    double *total = malloc((size_t)repeat * sizeof *total);
    double *build = malloc((size_t)repeat * sizeof *build);
    double *iter = malloc((size_t)repeat * sizeof *iter);
    if (!x || !total || !build || !iter)
        return 1;
    int iters = 0;
    kg_csr *g = NULL;
    for (int r = 0; r < repeat; r++) {
        kg_csr_free(g);
        double a = now_s();
        if (kg_csr_build(&el, &g, &err) != KG_OK) {
            fprintf(stderr, "csr: %s\n", err.msg);
            return 1;
        }
        double b = now_s();
        int rc = kg_pagerank(g, KG_PAGERANK_DAMPING, max_iter, tol, stop, x, &iters, &err);
        double c = now_s();
        if (rc != KG_OK) {
            fprintf(stderr, "pagerank: %s\n", err.msg);
            return 1;
        }
        build[r] = b - a;
        iter[r] = c - b;
        total[r] = c - a;
    }
    kg_edge_list_free(&el);

    printf("nodes=%d edges=%" PRId64 " tol=%g stop=%s iterations=%d\n", g->n, g->m, tol,
           stop == KG_PAGERANK_STOP_NETWORKX ? "networkx" : "converged", iters);
    printf("load_s=%.6f csr_build_s=%.6f iterate_s=%.6f\n", t1 - t0, median(build, repeat),
           median(iter, repeat));
    printf("pagerank_s=%.6f\n", median(total, repeat));
    FILE *o = fopen(scores_path, "w");
    if (!o) {
        perror(scores_path);
        return 1;
    }
    for (int v = 0; v < n; v++)
        fprintf(o, "%.17g\n", x[v]);
    fclose(o);
    free(x);
    free(total);
    free(build);
    free(iter);
    kg_csr_free(g);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "gen") == 0)
        return gen(atoi(argv[2]), (size_t)strtoull(argv[3], NULL, 10),
                   strtoull(argv[4], NULL, 10), argv[5]);
    if ((argc == 5 || argc == 8) && strcmp(argv[1], "run") == 0 && atoi(argv[4]) > 0) {
        int stop = argc == 8 ? kg_pagerank_stop_parse(argv[7]) : KG_PAGERANK_STOP_CONVERGED;
        if (stop >= 0)
            return run(argv[2], argv[3], atoi(argv[4]),
                       argc == 8 ? atof(argv[5]) : KG_PAGERANK_TOL,
                       argc == 8 ? atoi(argv[6]) : KG_PAGERANK_MAX_ITER, (kg_pagerank_stop)stop);
    }
    fprintf(stderr, "usage: pagerank_bench gen N M SEED OUT | "
                    "run EDGES SCORES REPEAT [TOL MAX_ITER converged|networkx]\n");
    return 2;
}
