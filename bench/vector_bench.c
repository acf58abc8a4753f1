/* vector_bench: query latency of exact search and of the stored HNSW index
 * on a kgas database, for bench/vector.sh.
 *
 *   vector_bench DB MODEL QUERIES.txt NQ OUTDIR EF...
 *
 * Opens DB read-only, loads MODEL's vectors in rowid order and its stored
 * HNSW index (built beforehand by `kgas embed`), embeds the first NQ
 * non-empty lines of QUERIES.txt with the model's stored IDF fit, and times
 * per query: the exact top-10 (vec/vsearch over the loaded matrix) and
 * the HNSW top-10 at each EF.  Recall@10 is measured against the exact
 * top-10.  Only the search call is timed (vectors already in memory, as in a
 * long-running server).  Writes OUTDIR/matrix.f32 (n x dim), queries.f32
 * (NQ x dim) and exact.txt (the exact top-10 row indices per query) for the
 * numpy reference.  Prints key=value lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/hash.h"
#include "vec/hnsw.h"
#include "vec/vsearch.h"
#include "vec/embed.h"
#include "store/store.h"
#include "store/vector_store.h"
#include "store/vindex_store.h"

#define K 10

typedef struct mat {
    float *m;
    size_t n, cap;
    int dim;
} mat;

static int add(void *ud, int64_t rowid, const char *owner, const float *v, int dim)
{
    (void)rowid;
    (void)owner;
    mat *x = ud;
    x->dim = dim;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 4096;
        x->m = kg_xrealloc(x->m, x->cap * (size_t)dim * sizeof *x->m);
    }
    memcpy(x->m + x->n++ * (size_t)dim, v, (size_t)dim * sizeof *v);
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_d);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void die(const char *what, const kg_err *e)
{
    fprintf(stderr, "vector_bench: %s: %s\n", what, e ? e->msg : "");
    exit(1);
}

static void write_file(const char *dir, const char *name, const void *p, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, len, f) != len || fclose(f) != 0)
        die(path, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: vector_bench DB MODEL QUERIES.txt NQ OUTDIR EF...\n");
        return 2;
    }
    const char *db = argv[1], *model = argv[2], *qfile = argv[3], *out = argv[5];
    size_t nq_max = (size_t)atol(argv[4]);
    kg_err e;
    kg_hash_init();
    kg_store *s;
    kg_store_opts so = {.flags = KG_STORE_READONLY};
    if (kg_store_open(db, &so, &s, &e))
        die("open", &e);
    mat x = {0};
    double t0 = now();
    if (kg_vec_each_by_rowid(s, model, add, &x, &e))
        die("loading vectors", &e);
    double load_s = now() - t0;
    kg_vindex_row row;
    int found;
    if (kg_vindex_get(s, model, &row, &found, &e) || !found)
        die("no stored index (run kgas embed with vector.index hnsw or auto)", &e);
    kg_hnsw *h;
    t0 = now();
    if (kg_hnsw_load(row.data, row.len, x.m, x.n, (size_t)x.dim, &h, &e))
        die("loading the index", &e);
    double index_load_s = now() - t0;
    uint32_t docs, *df;
    char hash[65];
    if (kg_vec_fit_get(s, model, KG_EMBED_BUCKETS, &docs, hash, &df, &found, &e) || !found)
        die("no IDF fit", &e);
    kg_embedder *emb;
    if (kg_embedder_new(x.dim, &emb, &e))
        die("embedder", &e);
    kg_embedder_set_df(emb, docs, df);
    free(df);
    /* Queries. */
    size_t len;
    FILE *f = fopen(qfile, "rb");
    if (!f)
        die(qfile, NULL);
    kg_buf qb = KG_BUF_INIT;
    char line[8192];
    float *qs = kg_xmalloc(nq_max * (size_t)x.dim * sizeof *qs);
    size_t nq = 0;
    while (nq < nq_max && fgets(line, sizeof line, f)) {
        int empty;
        kg_embed_text(emb, line, qs + nq * (size_t)x.dim, &empty);
        nq += !empty;
    }
    fclose(f);
    kg_buf_free(&qb);
    /* Exact. */
    double *lat = kg_xmalloc(nq * sizeof *lat);
    kg_vhit *ex = kg_xmalloc(nq * K * sizeof *ex), got[K];
    for (size_t i = 0; i < nq; i++) {
        t0 = now();
        kg_vsearch(x.m, x.n, (size_t)x.dim, qs + i * (size_t)x.dim, K, ex + i * K);
        lat[i] = (now() - t0) * 1000;
    }
    printf("vectors=%zu dim=%d queries=%zu load_vectors_s=%.3f load_index_s=%.4f index_bytes=%zu\n",
           x.n, x.dim, nq, load_s, index_load_s, row.len);
    printf("exact_p50_ms=%.3f exact_p99_ms=%.3f\n", pct(lat, nq, 0.5), pct(lat, nq, 0.99));
    for (int a = 6; a < argc; a++) {
        size_t ef = (size_t)atol(argv[a]), hit = 0;
        for (size_t i = 0; i < nq; i++) {
            t0 = now();
            size_t n = kg_hnsw_search(h, qs + i * (size_t)x.dim, K, ef, got);
            lat[i] = (now() - t0) * 1000;
            for (size_t j = 0; j < n; j++)
                for (size_t k = 0; k < K; k++)
                    hit += got[j].index == ex[i * K + k].index;
        }
        printf("ef=%zu hnsw_p50_ms=%.4f hnsw_p99_ms=%.4f recall_at_10=%.4f\n", ef,
               pct(lat, nq, 0.5), pct(lat, nq, 0.99), (double)hit / (double)(nq * K));
    }
    write_file(out, "matrix.f32", x.m, x.n * (size_t)x.dim * sizeof *x.m);
    write_file(out, "queries.f32", qs, nq * (size_t)x.dim * sizeof *qs);
    kg_buf eb = KG_BUF_INIT;
    for (size_t i = 0; i < nq; i++) {
        for (size_t k = 0; k < K; k++) {
            snprintf(line, sizeof line, "%zu%c", ex[i * K + k].index, k + 1 < K ? ' ' : '\n');
            kg_buf_puts(&eb, line);
        }
    }
    write_file(out, "exact.txt", eb.data ? eb.data : "", eb.len);
    len = eb.len;
    (void)len;
    kg_buf_free(&eb);
    kg_vindex_row_free(&row);
    kg_hnsw_free(h);
    kg_embedder_free(emb);
    free(lat);
    free(ex);
    free(qs);
    free(x.m);
    kg_store_close(s);
    return 0;
}
