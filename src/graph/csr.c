/* csr: see csr.h.  Construction is linear in the edges: one counting sort
 * by source, parallel edges merged with a per-destination stamp, then two
 * transposes (each a counting sort whose walk in row order leaves the new
 * rows sorted); no comparison sort, and no sort through an index array. */
#include "graph/csr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"

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
    if (el->len == el->cap) { /* three parallel arrays of one capacity */
        size_t cap = el->cap;
        el->src = kg_vec_grow(el->src, &cap, el->len + 1, sizeof *el->src);
        cap = el->cap;
        el->dst = kg_vec_grow(el->dst, &cap, el->len + 1, sizeof *el->dst);
        el->w = kg_vec_grow(el->w, &el->cap, el->len + 1, sizeof *el->w);
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

/* Offsets of rows keyed by key[0..len) (counts, then prefix sums). */
static int64_t *row_offsets(const int *key, size_t len, int n)
{
    int64_t *off = kg_xcalloc((size_t)n + 1, sizeof *off);
    for (size_t i = 0; i < len; i++)
        off[key[i] + 1]++;
    for (int v = 0; v < n; v++)
        off[v + 1] += off[v];
    return off;
}

/* Out-rows of el, parallel edges merged (weights summed in input order),
 * columns in the order first seen: one counting sort by source, then a
 * stamp per destination to find the row's earlier edge to the same one. */
static void merged_rows(const kg_edge_list *el, int64_t **off_out, int **col_out, double **w_out)
{
    int n = el->n;
    size_t len = el->len;
    int64_t *off = row_offsets(el->src, len, n);
    int64_t *pos = kg_xmalloc(((size_t)n + 1) * sizeof *pos);
    memcpy(pos, off, ((size_t)n + 1) * sizeof *pos);
    int *dst = kg_xmalloc((len ? len : 1) * sizeof *dst);
    double *w = kg_xmalloc((len ? len : 1) * sizeof *w);
    for (size_t i = 0; i < len; i++) { /* stable: a row keeps the input order */
        int64_t k = pos[el->src[i]]++;
        dst[k] = el->dst[i];
        w[k] = el->w[i];
    }
    /* Merge in place: where[v] is the slot of v in the current row. */
    int *stamp = kg_xmalloc((n ? (size_t)n : 1) * sizeof *stamp);
    int64_t *where = kg_xmalloc((n ? (size_t)n : 1) * sizeof *where);
    for (int v = 0; v < n; v++)
        stamp[v] = -1;
    int64_t m = 0;
    for (int u = 0; u < n; u++) {
        int64_t start = off[u], end = off[u + 1];
        off[u] = m;
        for (int64_t k = start; k < end; k++) {
            int v = dst[k];
            if (stamp[v] == u) {
                w[where[v]] += w[k];
            } else {
                stamp[v] = u;
                where[v] = m;
                dst[m] = v;
                w[m++] = w[k];
            }
        }
    }
    off[n] = m;
    free(stamp);
    free(where);
    free(pos);
    *off_out = off;
    *col_out = dst;
    *w_out = w;
}

/* The transpose of rows (off/col/w) as rows keyed by column: walking the
 * rows in order leaves each transposed row sorted by its column. */
static void transpose(int n, const int64_t *off, const int *col, const double *w, int64_t **toff,
                      int **tcol, double **tw)
{
    int64_t m = off[n];
    int64_t *o = row_offsets(col, (size_t)m, n);
    int64_t *pos = kg_xmalloc(((size_t)n + 1) * sizeof *pos);
    memcpy(pos, o, ((size_t)n + 1) * sizeof *pos);
    int *c = kg_xmalloc((m ? (size_t)m : 1) * sizeof *c);
    double *x = kg_xmalloc((m ? (size_t)m : 1) * sizeof *x);
    for (int u = 0; u < n; u++)
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            int64_t p = pos[col[k]]++;
            c[p] = u;
            x[p] = w[k];
        }
    free(pos);
    *toff = o;
    *tcol = c;
    *tw = x;
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
    /* Merged out-rows, their transpose (the in-rows, sorted by source), and
     * the transpose of that: the out-rows again, now sorted by destination.
     * Each step is linear in the edges. */
    int64_t *off;
    int *col;
    double *w;
    merged_rows(el, &off, &col, &w);
    g->m = off[g->n];
    transpose(g->n, off, col, w, &g->in_off, &g->in_src, &g->in_w);
    free(off);
    free(col);
    free(w);
    transpose(g->n, g->in_off, g->in_src, g->in_w, &g->off, &g->dst, &g->w);
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
