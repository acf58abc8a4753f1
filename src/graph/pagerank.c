/* pagerank: see pagerank.h.
 *
 * Pull formulation over the transpose: x'[v] = d * sum_{u->v} w(u,v) * c[u]
 * + base, where c[u] = x[u] / out_w[u] is computed once per iteration and
 * base = (d * dangling_mass + (1 - d)) / n, or that mass shared by the
 * teleport weights when they are given.  Each node's new value is written
 * exactly once, reads stream through in_src/in_w, and nothing is allocated
 * inside the loop — this is what makes 1M edges take milliseconds. */
#include "graph/pagerank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

int kg_pagerank_stop_parse(const char *name)
{
    if (name && strcmp(name, "converged") == 0)
        return KG_PAGERANK_STOP_CONVERGED;
    if (name && strcmp(name, "networkx") == 0)
        return KG_PAGERANK_STOP_NETWORKX;
    return -1;
}

int kg_pagerank(const kg_csr *g, double damping, int max_iter, double tol, kg_pagerank_stop stop,
                double *scores_out, int *iters_out, kg_err *err)
{
    return kg_pagerank_teleport(g, NULL, damping, max_iter, tol, stop, scores_out, iters_out, err);
}

int kg_pagerank_teleport(const kg_csr *g, const double *teleport, double damping, int max_iter,
                         double tol, kg_pagerank_stop stop, double *scores_out, int *iters_out,
                         kg_err *err)
{
    if (iters_out)
        *iters_out = 0;
    if (!g)
        return kg_err_set(err, KG_EINVAL, "pagerank: no graph given");
    if (!(damping >= 0 && damping < 1))
        return kg_err_set(err, KG_EINVAL, "pagerank: damping %g must be in [0, 1) (0.85 is usual)",
                          damping);
    if (max_iter < 1)
        return kg_err_set(err, KG_EINVAL, "pagerank: max_iter %d must be >= 1", max_iter);
    if (!(tol > 0))
        return kg_err_set(err, KG_EINVAL, "pagerank: tol %g must be > 0", tol);
    int n = g->n;
    if (n == 0)
        return KG_OK;
    double ttotal = 0;
    for (int v = 0; teleport && v < n; v++) {
        if (!(teleport[v] >= 0) || !isfinite(teleport[v]))
            return kg_err_set(err, KG_EINVAL, "pagerank: node %d has teleport weight %g", v,
                              teleport[v]);
        ttotal += teleport[v];
    }
    if (teleport && !(ttotal > 0))
        return kg_err_set(err, KG_EINVAL, "pagerank: no node has a teleport weight");

    double *x = scores_out;
    double *nx = kg_xmalloc((size_t)n * sizeof *nx);
    double *c = kg_xmalloc((size_t)n * sizeof *c);
    double *inv = kg_xmalloc((size_t)n * sizeof *inv);
    int *dangling = kg_xmalloc((size_t)n * sizeof *dangling);
    int nd = 0;
    for (int u = 0; u < n; u++) {
        x[u] = 1.0 / n;
        if (g->out_w[u] > 0) {
            inv[u] = 1.0 / g->out_w[u];
        } else {
            inv[u] = 0;
            dangling[nd++] = u;
        }
    }

    int rc = KG_EBUSY, it = 0;
    double limit = stop == KG_PAGERANK_STOP_NETWORKX ? n * tol : tol;
    const int64_t *ioff = g->in_off;
    const int *isrc = g->in_src;
    const double *iw = g->in_w;
    while (it < max_iter) {
        it++;
        double dmass = 0;
        for (int k = 0; k < nd; k++)
            dmass += x[dangling[k]];
        for (int u = 0; u < n; u++)
            c[u] = x[u] * inv[u];
        /* What the walk does not pass along an edge (the teleport, and
         * the mass of dangling nodes) lands uniformly or by the weights. */
        double spread = damping * dmass + (1.0 - damping);
        double base = spread / n, tscale = teleport ? spread / ttotal : 0;
        double change = 0;
        for (int v = 0; v < n; v++) {
            double s = 0;
            for (int64_t k = ioff[v], e = ioff[v + 1]; k < e; k++)
                s += iw[k] * c[isrc[k]];
            double nv = damping * s + (teleport ? tscale * teleport[v] : base);
            change += fabs(nv - x[v]);
            nx[v] = nv;
        }
        memcpy(x, nx, (size_t)n * sizeof *x);
        if (change < limit) {
            rc = KG_OK;
            break;
        }
    }
    /* The iteration preserves total mass exactly in real arithmetic; remove
     * the rounding drift so callers can rely on "sums to 1". */
    double total = 0;
    for (int v = 0; v < n; v++)
        total += x[v];
    if (total > 0)
        for (int v = 0; v < n; v++)
            x[v] /= total;
    free(nx);
    free(c);
    free(inv);
    free(dangling);
    if (iters_out)
        *iters_out = it;
    if (rc != KG_OK)
        kg_err_set(err, KG_EBUSY,
                   "pagerank: no convergence within %d iterations (tol %g); raise max_iter "
                   "or tol",
                   max_iter, tol);
    return rc;
}

int kg_pagerank_personal(const kg_csr *g, double damping, const double *restart, const double *norm,
                         int max_iter, double tol, double *scores_out, int *iters_out, kg_err *err)
{
    if (iters_out)
        *iters_out = 0;
    if (!g || !restart)
        return kg_err_set(err, KG_EINVAL, "personalised pagerank: no graph or no seeds given");
    if (!(damping >= 0 && damping < 1) || max_iter < 1 || !(tol > 0))
        return kg_err_set(err, KG_EINVAL,
                          "personalised pagerank: damping %g must be in [0, 1), max_iter %d >= 1, "
                          "tol %g > 0",
                          damping, max_iter, tol);
    int n = g->n;
    double total = 0;
    for (int v = 0; v < n; v++) {
        if (!(restart[v] >= 0) || !isfinite(restart[v]))
            return kg_err_set(err, KG_EINVAL, "personalised pagerank: seed %d has weight %g", v,
                              restart[v]);
        total += restart[v];
    }
    if (n == 0 || !(total > 0))
        return kg_err_set(err, KG_EINVAL, "personalised pagerank: no seed has a weight");
    double *x = scores_out;
    double *c = kg_xmalloc((size_t)n * sizeof *c);
    for (int v = 0; v < n; v++)
        x[v] = restart[v] / total;
    int it = 0;
    while (it < max_iter) {
        it++;
        for (int u = 0; u < n; u++) {
            double w = g->out_w[u];
            if (norm && norm[u] > w)
                w = norm[u];
            c[u] = w > 0 ? x[u] / w : 0;
        }
        double change = 0;
        for (int v = 0; v < n; v++) {
            double sum = 0;
            for (int64_t k = g->in_off[v], e = g->in_off[v + 1]; k < e; k++)
                sum += g->in_w[k] * c[g->in_src[k]];
            double nv = (1.0 - damping) * restart[v] / total + damping * sum;
            change += fabs(nv - x[v]);
            x[v] = nv; /* in place: c holds what the previous iterate sends */
        }
        if (change < tol)
            break;
    }
    free(c);
    if (iters_out)
        *iters_out = it;
    return KG_OK;
}

/* Sort (score, index) pairs rather than indices so the comparator needs no
 * global context: kg_pagerank_rank may run on several workers at once. */
typedef struct scored {
    double s;
    int i;
} scored;

static int by_score_desc(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->s > y->s)
        return -1;
    if (x->s < y->s)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

void kg_pagerank_rank(const double *scores, int n, int64_t *rank_out, double *pct_out)
{
    if (n <= 0)
        return;
    scored *order = kg_xmalloc((size_t)n * sizeof *order);
    for (int i = 0; i < n; i++)
        order[i] = (scored){scores[i], i};
    qsort(order, (size_t)n, sizeof *order, by_score_desc);
    int64_t r = 1;
    for (int k = 0; k < n; k++) {
        if (k > 0 && order[k].s != order[k - 1].s)
            r = k + 1;
        if (rank_out)
            rank_out[order[k].i] = r;
        if (pct_out)
            pct_out[order[k].i] = 100.0 * (double)(n - r + 1) / n;
    }
    free(order);
}
