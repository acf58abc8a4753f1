"""A small test harness for the integration tests: no third-party runner.

Tests are functions named test_*; each gets a fresh temporary directory as
its working directory.  Skip() explains why a case cannot run here (missing
../shared/data, say).  The last line is "N passed, N failed, N skipped".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

KGAS = None
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TEST_SHARED_DATA", os.path.join(SRC, "..", "shared", "data"))


class Skip(Exception):
    pass


def shared(rel):
    p = os.path.join(SHARED, rel)
    if not os.path.exists(p):
        raise Skip(f"{p} is absent (../shared/data not present)")
    return p


def run(*args, env=None, cwd=None, check=None, input=None, timeout=300):
    """Run kgas; returns CompletedProcess. check=N asserts the exit code."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KGAS_")}
    full_env.update(env or {})
    p = subprocess.run([KGAS, *args], capture_output=True, text=True, env=full_env,
                       cwd=cwd, input=input, timeout=timeout)
    if check is not None and p.returncode != check:
        raise AssertionError(
            f"kgas {' '.join(args)}: exit {p.returncode}, expected {check}\n"
            f"stdout: {p.stdout[-2000:]}\nstderr: {p.stderr[-2000:]}")
    return p


def run_json(*args, **kw):
    p = run(*args, **kw)
    try:
        return json.loads(p.stdout), p
    except json.JSONDecodeError as e:
        raise AssertionError(f"kgas {' '.join(args)}: not JSON ({e}): {p.stdout[:500]!r}"
                             f"\nstderr: {p.stderr[-1000:]}")


def eq(a, b, what=""):
    if a != b:
        raise AssertionError(f"{what}: {a!r} != {b!r}")


def ok(cond, what):
    if not cond:
        raise AssertionError(what)


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def sql(db, query):
    """Query a database with the sqlite3 CLI (read-only), rows as lists."""
    p = subprocess.run(["sqlite3", "-readonly", "-json", db, query], capture_output=True,
                       text=True, check=True)
    return json.loads(p.stdout) if p.stdout.strip() else []


def main(tests):
    global KGAS
    if len(sys.argv) < 2:
        print("usage: run.py path/to/kgas [filter]")
        return 2
    KGAS = os.path.abspath(sys.argv[1])
    flt = sys.argv[2] if len(sys.argv) > 2 else ""
    passed = failed = skipped = 0
    quiet = os.environ.get("KGAS_QUIET")
    for name, fn in tests:
        if flt and flt not in name:
            continue
        tmp = tempfile.mkdtemp(prefix="kgas-it-")
        old = os.getcwd()
        os.chdir(tmp)
        t0 = time.time()
        try:
            fn()
            passed += 1
            if not quiet:
                print(f"PASS {name} ({time.time() - t0:.1f}s)", flush=True)
        except Skip as s:
            skipped += 1
            print(f"SKIP {name}: {s}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
        finally:
            os.chdir(old)
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"integration: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0
