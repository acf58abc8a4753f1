#!/usr/bin/env python3
"""Latency percentiles of a command run once per query, process start included.

Usage: latency.py QUERIES_FILE [--sql] -- COMMAND ARG... (one ARG is "{}")

Runs COMMAND once per line of QUERIES_FILE, with "{}" replaced by the line
(with --sql, single quotes doubled, for a string literal inside SQL), after
three untimed warm-up runs.  The clock covers fork, exec, the work and exit,
which is what a person or a script calling the CLI waits for.  Prints
key=value lines: n, failed (non-zero exits), p50_ms, p99_ms, mean_ms.
"""
import math
import statistics
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    opts, cmd = args[:sep], args[sep + 1:]
    sql = "--sql" in opts
    with open(opts[0], encoding="utf-8") as f:
        queries = [q for q in f.read().split("\n") if q]

    def argv(q):
        if sql:
            q = q.replace("'", "''")
        return [a.replace("{}", q) for a in cmd]

    for q in queries[:3]:
        subprocess.run(argv(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times, failed = [], 0
    for q in queries:
        t = time.perf_counter()
        r = subprocess.run(argv(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
        failed += r.returncode != 0
    times.sort()
    p99 = times[math.ceil(0.99 * len(times)) - 1]  # nearest rank
    print(f"n={len(times)}")
    print(f"failed={failed}")
    print(f"p50_ms={statistics.median(times):.2f}")
    print(f"p99_ms={p99:.2f}")
    print(f"mean_ms={statistics.fmean(times):.2f}")


if __name__ == "__main__":
    main()
