#!/usr/bin/env python3
"""Idle MCP ping latency with a minimal client, so the figure is the server's.

Usage: ping_raw.py N -- COMMAND ARG...

Starts COMMAND (an MCP server on stdio), initializes, then sends N pings one
at a time, each timed from the write of the request to the read of its
answer's last byte (time.perf_counter), and prints key=value lines: n,
p50_ms, p99_ms, max_ms.  The SDK client of mcp_bench.mjs measures the same
round trip through Node's event loop and the SDK's own parsing and
validation, which add about a tenth of a millisecond and most of the jitter;
this client does nothing between the two system calls.
"""
import json
import math
import os
import statistics
import subprocess
import sys
import time


def main():
    n = int(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, bufsize=0)
    fin, fout = p.stdin.fileno(), p.stdout.fileno()
    pending = b""

    def roundtrip(line):
        nonlocal pending
        os.write(fin, line)
        while b"\n" not in pending:
            chunk = os.read(fout, 65536)
            if not chunk:
                sys.exit("server closed its stdout")
            pending += chunk
        msg, pending = pending.split(b"\n", 1)
        return msg

    init = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "ping_raw", "version": "0"}}}
    roundtrip(json.dumps(init).encode() + b"\n")
    os.write(fin, b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    times = []
    for i in range(n + 50):
        line = json.dumps({"jsonrpc": "2.0", "id": i + 1, "method": "ping"}).encode() + b"\n"
        t = time.perf_counter()
        msg = roundtrip(line)
        dt = (time.perf_counter() - t) * 1000
        if json.loads(msg).get("id") != i + 1:
            sys.exit(f"unexpected answer {msg[:200]!r}")
        if i >= 50:  # the first 50 warm up both processes
            times.append(dt)
    p.stdin.close()
    p.wait(timeout=10)
    times.sort()
    print(f"n={len(times)}")
    print(f"p50_ms={statistics.median(times):.3f}")
    print(f"p99_ms={times[math.ceil(0.99 * len(times)) - 1]:.3f}")
    print(f"max_ms={times[-1]:.3f}")


if __name__ == "__main__":
    main()
