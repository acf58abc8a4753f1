/* csr: a directed weighted graph in compressed sparse row form.
 *
 * Graph algorithms (PageRank, path search, communities) want contiguous
 * arrays, not linked structures, so we collect an edge list first and then
 * compress it once.  Parallel edges (same src and dst) are merged by adding
 * their weights, which is how repeated evidence for one relation strengthens
 * an edge.  Both directions are kept: out-edges (off/dst/w) for push-style
 * walks and the transpose (in_off/in_src/in_w) so PageRank can pull without
 * any write contention or scatter.
 *
 * Memory: the caller owns a kg_edge_list (kg_edge_list_free) and the kg_csr
 * returned by kg_csr_build (kg_csr_free).  The kg_csr fields are public for
 * reading by graph/ algorithms; treat them as read-only. */
#ifndef KG_GRAPH_CSR_H
#define KG_GRAPH_CSR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct kg_edge_list {
    int n; /* node count; indices are 0..n-1 */
    size_t len, cap;
    int *src, *dst;
    double *w;
} kg_edge_list;

/* Start an empty edge list over n nodes (n >= 0). */
void kg_edge_list_init(kg_edge_list *el, int n);
void kg_edge_list_free(kg_edge_list *el);
/* Append src->dst with weight w.  Validation happens in kg_csr_build so that
 * appending stays branch-free in hot loops. */
void kg_edge_list_add(kg_edge_list *el, int src, int dst, double w);
/* Append both a->b and b->a: co-occurrence relations have no direction.
 * A self-pair (a == b) is added once. */
void kg_edge_list_add_undirected(kg_edge_list *el, int a, int b, double w);

typedef struct kg_csr {
    int n;
    int64_t m;    /* distinct (src, dst) pairs after merging */
    int64_t *off; /* n+1; out-edges of u are [off[u], off[u+1]) */
    int *dst;     /* sorted ascending within a row */
    double *w;
    int64_t *in_off; /* n+1; in-edges of v are [in_off[v], in_off[v+1]) */
    int *in_src;     /* sorted ascending within a row */
    double *in_w;
    double *out_w; /* n; total out-weight of each node */
} kg_csr;

/* Compress el into *out.  Fails with KG_EINVAL on a node index outside
 * 0..n-1 or a weight that is negative or not finite. */
int kg_csr_build(const kg_edge_list *el, kg_csr **out, kg_err *err);
void kg_csr_free(kg_csr *g);

/* Weight of the edge src->dst, 0 when absent (binary search in the row). */
double kg_csr_weight(const kg_csr *g, int src, int dst);

#endif
