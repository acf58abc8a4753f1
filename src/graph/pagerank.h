/* pagerank: importance scores for the entities of the graph.
 *
 * Power iteration over the weighted graph, matching networkx.pagerank's
 * definition so results can be checked against it: each node passes its
 * score along out-edges in proportion to edge weight; dangling nodes (no
 * out-weight) spread theirs uniformly; the teleport (personalisation) vector
 * is uniform, or given (kg_pagerank_teleport).  Scores sum to 1.
 *
 * When to stop: by default when the L1 change between two iterates drops
 * below tol.  The iteration contracts by the damping factor d, so the
 * scores are then within tol * d / (1 - d) (L1) of the fixed point: tol
 * 1e-10 puts every score within 6e-10 of the converged one.  networkx's
 * rule is kept (KG_PAGERANK_STOP_NETWORKX): stop when the change drops below
 * n * tol, a bound that grows with the graph; at its default 1e-6 on 1,705
 * entities the scores stop ~6e-5 short of the fixed point while the mean
 * score is ~6e-4.
 *
 * Memory: every output array is caller-provided (n elements); the function
 * allocates its work vectors once, before iterating, and frees them. */
#ifndef KG_GRAPH_PAGERANK_H
#define KG_GRAPH_PAGERANK_H

#include <stdint.h>

#include "base/err.h"
#include "graph/csr.h"

#define KG_PAGERANK_DAMPING 0.85
#define KG_PAGERANK_MAX_ITER 1000
#define KG_PAGERANK_TOL 1e-10

typedef enum kg_pagerank_stop {
    KG_PAGERANK_STOP_CONVERGED = 0, /* L1 change < tol (see above) */
    KG_PAGERANK_STOP_NETWORKX = 1,  /* L1 change < n * tol, as networkx.pagerank */
} kg_pagerank_stop;

/* "converged" / "networkx" (setting pagerank.stopping); -1 for anything else. */
int kg_pagerank_stop_parse(const char *name);

/* scores_out: n doubles.  iters_out (may be NULL): iterations used.
 * Returns KG_EINVAL on bad parameters (damping outside [0,1), max_iter < 1,
 * tol <= 0) and KG_EBUSY when it did not converge within max_iter (the last
 * iterate is still written, normalised, so callers may choose to use it). */
int kg_pagerank(const kg_csr *g, double damping, int max_iter, double tol, kg_pagerank_stop stop,
                double *scores_out, int *iters_out, kg_err *err);

/* The same with a teleport (personalisation) vector: n non-negative
 * weights, normalised here (NULL: uniform, which is kg_pagerank).  The walk
 * jumps to a node in proportion to its weight, and a dangling node's score
 * is spread the same way: networkx.pagerank(personalization=teleport) with
 * its default dangling=None.  Scores still sum to 1.  KG_EINVAL for a
 * negative or non-finite weight or when every weight is zero. */
int kg_pagerank_teleport(const kg_csr *g, const double *teleport, double damping, int max_iter,
                         double tol, kg_pagerank_stop stop, double *scores_out, int *iters_out,
                         kg_err *err);

/* Personalised PageRank (a random walk that restarts at the seeds):
 *
 *     x = (1 - d) * r + d * sum_{u -> v} x[u] * w(u, v) / W(u)
 *
 * r is restart (n non-negative weights, normalised here; all zero is
 * KG_EINVAL).  W(u) is u's out-weight in g, or norm[u] when norm is given
 * and larger: a walk over part of a graph (the neighbourhood of a question)
 * normalises by a node's whole degree, and the weight of the edges it does
 * not hold leaves the walk, as does the mass of a node with no out-edge.
 * So scores sum to at most 1 and are comparable within one call; they are
 * not renormalised.  Stops when the L1 change drops below tol, or after
 * max_iter iterations (not an error: the walk's mass decays as d^k).
 * Allocates its work vector once. */
int kg_pagerank_personal(const kg_csr *g, double damping, const double *restart, const double *norm,
                         int max_iter, double tol, double *scores_out, int *iters_out, kg_err *err);

/* Competition ranks (1 = highest; ties share the better rank, "1224") and
 * percentiles: the percentage of nodes whose score is <= this node's
 * (top node 100, a lone bottom node 100/n).  Either output may be NULL. */
void kg_pagerank_rank(const double *scores, int n, int64_t *rank_out, double *pct_out);

#endif
