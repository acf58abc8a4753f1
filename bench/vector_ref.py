#!/usr/bin/env python3
"""numpy brute-force reference for bench/vector.sh.

Usage: vector_ref.py DIR DIM

Reads DIR/matrix.f32 (n x DIM float32), DIR/queries.f32 and DIR/exact.txt
(kgas's exact top-10 per query, as row indices) written by vector_bench, and
times per query what kgas's exact search does: all inner products
(matrix @ q, BLAS sgemv) and the top 10 (argpartition, then a sort of those
10).  Prints key=value lines: p50_ms, p99_ms and agree_at_10, the fraction
of kgas's exact top-10 that numpy's top-10 contains (ties aside, 1.0).
"""
import sys
import time

import numpy as np


def main():
    d, dim = sys.argv[1], int(sys.argv[2])
    m = np.fromfile(f"{d}/matrix.f32", dtype="<f4").reshape(-1, dim)
    q = np.fromfile(f"{d}/queries.f32", dtype="<f4").reshape(-1, dim)
    exact = [list(map(int, line.split())) for line in open(f"{d}/exact.txt")]
    lat, agree = [], 0
    for i in range(3):  # warm-up: page the matrix in, load BLAS
        np.argpartition(-(m @ q[i % len(q)]), 10)
    for i, x in enumerate(q):
        t0 = time.perf_counter()
        s = m @ x
        top = np.argpartition(-s, 10)[:10]
        top = top[np.argsort(-s[top], kind="stable")]
        lat.append((time.perf_counter() - t0) * 1000)
        agree += len(set(top.tolist()) & set(exact[i]))
    lat.sort()
    n = len(lat)
    print(f"n={n} p50_ms={lat[int(0.5 * (n - 1) + 0.5)]:.3f} "
          f"p99_ms={lat[int(0.99 * (n - 1) + 0.5)]:.3f} agree_at_10={agree / (10 * n):.4f}")


if __name__ == "__main__":
    main()
