#!/usr/bin/env python3
"""Reference PageRank for tests/unit/test_graph_pagerank.c.

Usage: pagerank_nx.py EDGES OUT TOL [TELEPORT]
EDGES: first line n, then "src dst weight" lines (parallel edges allowed).
TELEPORT: one weight per line (node order), networkx's personalization
(and so, by its default, where dangling nodes' scores go).
Writes one score per line (node order 0..n-1) to OUT.
Exits 77 when networkx is not installed so the caller can skip.
"""
import sys

try:
    import networkx as nx
except ImportError:
    sys.exit(77)


def main():
    edges, out, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pers = None
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            pers = {v: float(w) for v, w in enumerate(f.read().split())}
    with open(edges) as f:
        n = int(f.readline())
        # A MultiDiGraph: networkx's pagerank builds its matrix with
        # to_scipy_sparse_array, which sums the weights of parallel edges,
        # exactly what kg_csr_build does.  (A DiGraph would keep only the last.)
        g = nx.MultiDiGraph()
        g.add_nodes_from(range(n))
        for line in f:
            s, d, w = line.split()
            g.add_edge(int(s), int(d), weight=float(w))
    try:
        import numpy  # noqa: F401  (networkx's default pagerank needs it)
        pr = nx.pagerank(g, alpha=0.85, weight="weight", tol=tol, max_iter=1000,
                         personalization=pers)
    except ImportError:
        # networkx without numpy: its pure-Python variant has the same
        # definition and stopping rule and also sums parallel edges.
        alg = nx.algorithms.link_analysis.pagerank_alg
        if not hasattr(alg, "_pagerank_python"):
            sys.exit(77)
        pr = alg._pagerank_python(g, alpha=0.85, weight="weight", tol=tol, max_iter=1000,
                                  personalization=pers)
    with open(out, "w") as f:
        for v in range(n):
            f.write(repr(pr[v]) + "\n")


if __name__ == "__main__":
    main()
