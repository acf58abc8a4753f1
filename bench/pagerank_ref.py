#!/usr/bin/env python3
"""Reference PageRank timings for bench/pagerank.sh: networkx and igraph.

Usage: pagerank_ref.py EDGES KGAS_SCORES KGAS_CONVERGED_SCORES REPEAT

Reads the edge list written by `pagerank_bench gen`, builds each library's
graph once (not timed), then times only the PageRank call, REPEAT times, and
prints the medians as key=value lines.  Damping 0.85, edge weights, uniform
teleport, as kgas.

networkx.pagerank runs with kgas's defaults (tol 1e-6, max_iter 100), which
are networkx's own; both stop when the L1 change falls below n*tol, so the
scores must match kgas's default run (KGAS_SCORES) to rounding.  The call
converts the graph to a scipy sparse matrix inside; that cannot be split off,
so the conversion is also timed once on its own, for information.

igraph's PRPACK solves the linear system to its own precision (no tolerance
knob) and converts to its own layout inside the call.  It is compared with
kgas run to a similar precision (KGAS_CONVERGED_SCORES).
"""
import statistics
import sys
import time

import networkx as nx
import numpy as np


def timed(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    edges_path, kgas_path, kgas_conv_path = sys.argv[1:4]
    repeat = int(sys.argv[4])
    with open(edges_path) as f:
        n = int(f.readline().split()[2])
    e = np.loadtxt(edges_path, dtype=np.int64, comments="#")
    src, dst, w = e[:, 0], e[:, 1], e[:, 2].astype(float)
    kgas = np.loadtxt(kgas_path)
    kgas_conv = np.loadtxt(kgas_conv_path)

    g = nx.DiGraph()
    g.add_nodes_from(range(n))  # node order 0..n-1, isolated nodes included
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
    nodes = list(g)
    nx_s, pr = timed(lambda: nx.pagerank(g, alpha=0.85, tol=1e-6, max_iter=100,
                                         weight="weight"), repeat)
    # Timed after the PageRank calls, so both see a warm allocator.
    conv_s, _ = timed(lambda: nx.to_scipy_sparse_array(g, nodelist=nodes, weight="weight",
                                                        dtype=float), 1)
    nxv = np.array([pr[v] for v in range(n)])
    print(f"networkx_version={nx.__version__}")
    print(f"networkx_pagerank_s={nx_s:.6f}")
    print(f"networkx_convert_s={conv_s:.6f}")
    print(f"maxdiff_networkx={np.max(np.abs(kgas - nxv)):.3e}")
    print(f"maxrel_networkx={np.max(np.abs(kgas - nxv) / nxv):.3e}")

    try:
        import igraph
    except ImportError:
        print("igraph_version=none")
        return
    ig = igraph.Graph(n=n, edges=np.column_stack((src, dst)).tolist(), directed=True)
    ig.es["weight"] = w.tolist()
    ig_s, igv = timed(lambda: ig.pagerank(directed=True, damping=0.85, weights="weight",
                                          implementation="prpack"), repeat)
    igv = np.array(igv)
    print(f"igraph_version={igraph.__version__}")
    print(f"igraph_pagerank_s={ig_s:.6f}")
    print(f"maxdiff_igraph={np.max(np.abs(kgas_conv - igv)):.3e}")
    print(f"maxdiff_default_igraph={np.max(np.abs(kgas - igv)):.3e}")


if __name__ == "__main__":
    main()
