/* csr: see csr.h.  Construction is two counting sorts (by dst, then a stable
 * one by src), which leaves each row sorted by dst in O(n + m) so duplicates
 * are adjacent and merge in one pass; no comparison sort is needed. */
#include "graph/csr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void kg_edge_list_init(kg_edge_list *el, int n)
{
    memset(el, 0, sizeof *el);
    el->n = n;
}

void kg_edge_list_free(kg_edge_list *el)
{
    free(el->src);
    free(el->dst);
    free(el->w);
    memset(el, 0, sizeof *el);
}

void kg_edge_list_add(kg_edge_list *el, int src, int dst, double w)
{
    if (el->len == el->cap) {
        el->cap = el->cap ? el->cap * 2 : 64;
        el->src = kg_xrealloc(el->src, el->cap * sizeof *el->src);
        el->dst = kg_xrealloc(el->dst, el->cap * sizeof *el->dst);
        el->w = kg_xrealloc(el->w, el->cap * sizeof *el->w);
    }
    el->src[el->len] = src;
    el->dst[el->len] = dst;
    el->w[el->len] = w;
    el->len++;
}

void kg_edge_list_add_undirected(kg_edge_list *el, int a, int b, double w)
{
    kg_edge_list_add(el, a, b, w);
    if (a != b)
        kg_edge_list_add(el, b, a, w);
}

void kg_csr_free(kg_csr *g)
{
    if (!g)
        return;
    free(g->off);
    free(g->dst);
    free(g->w);
    free(g->in_off);
    free(g->in_src);
    free(g->in_w);
    free(g->out_w);
    free(g);
}

/* Stable counting sort of the permutation idx by key[idx[i]] (0..n-1). */
static void counting_sort(const int *key, const size_t *idx, size_t len, int n, size_t *out,
                          int64_t *off)
{
    memset(off, 0, (size_t)(n + 1) * sizeof *off);
    for (size_t i = 0; i < len; i++)
        off[key[idx[i]] + 1]++;
    for (int v = 0; v < n; v++)
        off[v + 1] += off[v];
    int64_t *pos = kg_xmalloc((size_t)(n + 1) * sizeof *pos);
    memcpy(pos, off, (size_t)(n + 1) * sizeof *pos);
    for (size_t i = 0; i < len; i++)
        out[pos[key[idx[i]]]++] = idx[i];
    free(pos);
}

/* Fill one direction: rows keyed by `row`, columns `col`, merged. */
static void compress(const kg_edge_list *el, const int *row, const int *col, int64_t **off_out,
                     int **col_out, double **w_out, int64_t *m_out)
{
    int n = el->n;
    size_t len = el->len;
    size_t *a = kg_xmalloc((len ? len : 1) * sizeof *a);
    size_t *b = kg_xmalloc((len ? len : 1) * sizeof *b);
    int64_t *off = kg_xmalloc((size_t)(n + 1) * sizeof *off);
    for (size_t i = 0; i < len; i++)
        a[i] = i;
    counting_sort(col, a, len, n, b, off); /* by column */
    counting_sort(row, b, len, n, a, off); /* stable by row */

    int *c = kg_xmalloc((len ? len : 1) * sizeof *c);
    double *w = kg_xmalloc((len ? len : 1) * sizeof *w);
    int64_t *noff = kg_xcalloc((size_t)n + 1, sizeof *noff);
    int64_t m = 0;
    for (int u = 0; u < n; u++) {
        noff[u] = m;
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            size_t e = a[k];
            if (m > noff[u] && c[m - 1] == col[e]) {
                w[m - 1] += el->w[e];
            } else {
                c[m] = col[e];
                w[m] = el->w[e];
                m++;
            }
        }
    }
    noff[n] = m;
    free(a);
    free(b);
    free(off);
    *off_out = noff;
    *col_out = kg_xrealloc(c, (m ? (size_t)m : 1) * sizeof *c);
    *w_out = kg_xrealloc(w, (m ? (size_t)m : 1) * sizeof *w);
    *m_out = m;
}

int kg_csr_build(const kg_edge_list *el, kg_csr **out, kg_err *err)
{
    *out = NULL;
    if (el->n < 0)
        return kg_err_set(err, KG_EINVAL, "graph: node count %d is negative", el->n);
    for (size_t i = 0; i < el->len; i++) {
        if (el->src[i] < 0 || el->src[i] >= el->n || el->dst[i] < 0 || el->dst[i] >= el->n)
            return kg_err_set(err, KG_EINVAL,
                              "graph: edge %zu (%d -> %d) names a node outside 0..%d", i,
                              el->src[i], el->dst[i], el->n - 1);
        if (!isfinite(el->w[i]) || el->w[i] < 0)
            return kg_err_set(err, KG_EINVAL,
                              "graph: edge %zu (%d -> %d) has weight %g; weights must be "
                              "finite and >= 0",
                              i, el->src[i], el->dst[i], el->w[i]);
    }
    kg_csr *g = kg_xcalloc(1, sizeof *g);
    g->n = el->n;
    int64_t m2 = 0;
    compress(el, el->src, el->dst, &g->off, &g->dst, &g->w, &g->m);
    compress(el, el->dst, el->src, &g->in_off, &g->in_src, &g->in_w, &m2);
    g->out_w = kg_xcalloc(g->n ? (size_t)g->n : 1, sizeof *g->out_w);
    for (int u = 0; u < g->n; u++) {
        double s = 0;
        for (int64_t k = g->off[u]; k < g->off[u + 1]; k++)
            s += g->w[k];
        g->out_w[u] = s;
    }
    *out = g;
    return KG_OK;
}

double kg_csr_weight(const kg_csr *g, int src, int dst)
{
    if (src < 0 || src >= g->n)
        return 0;
    int64_t lo = g->off[src], hi = g->off[src + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (g->dst[mid] < dst)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < g->off[src + 1] && g->dst[lo] == dst) ? g->w[lo] : 0;
}
