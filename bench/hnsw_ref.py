#!/usr/bin/env python3
"""hnswlib reference for bench/vector.sh: the same HNSW on the same vectors.

Usage: hnsw_ref.py DIR DIM M EF_CONSTRUCTION EF

Reads DIR/matrix.f32, DIR/queries.f32 and DIR/exact.txt (written by
vector_bench: the vectors, the queries and kgas's exact top-10 of each),
builds an hnswlib index (inner product, one thread, the same M and
ef_construction as kgas) and searches every query at EF.  Prints key=value
lines: build_s, p50_ms, p99_ms and recall_at_10 against the exact top-10.
It tells whether a recall figure is kgas's HNSW or the data: hnswlib is the
implementation of the paper's authors.  Needs python3-hnswlib.
"""
import sys
import time

import hnswlib
import numpy as np


def main():
    d, dim, m, efc, ef = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
        int(sys.argv[5])
    x = np.fromfile(f"{d}/matrix.f32", dtype="<f4").reshape(-1, dim)
    q = np.fromfile(f"{d}/queries.f32", dtype="<f4").reshape(-1, dim)
    exact = [set(map(int, line.split())) for line in open(f"{d}/exact.txt")]
    t0 = time.perf_counter()
    idx = hnswlib.Index(space="ip", dim=dim)
    idx.init_index(max_elements=len(x), ef_construction=efc, M=m, random_seed=1)
    idx.set_num_threads(1)
    idx.add_items(x, np.arange(len(x)))
    build = time.perf_counter() - t0
    idx.set_ef(ef)
    lat, hit = [], 0
    for i, v in enumerate(q):
        t = time.perf_counter()
        labels, _ = idx.knn_query(v.reshape(1, -1), k=10)
        lat.append((time.perf_counter() - t) * 1000)
        hit += len(set(labels[0].tolist()) & exact[i])
    lat.sort()
    n = len(lat)
    print(f"build_s={build:.1f} p50_ms={lat[int(0.5 * (n - 1) + 0.5)]:.3f} "
          f"p99_ms={lat[int(0.99 * (n - 1) + 0.5)]:.3f} recall_at_10={hit / (10 * n):.4f}")


if __name__ == "__main__":
    main()
