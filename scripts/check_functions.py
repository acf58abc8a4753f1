#!/usr/bin/env python3
"""Function-length check for src/: fails on a function longer than
MAX_LINES lines (the project's rule: a longer function has grown several
steps; split it along them).

A function is counted from the line of its name to its closing brace.  The
code is formatted by .clang-format, so a function body opens with a `{`
alone in column 0 and closes with a `}` in column 0; the name is the
identifier before the first `(` of the lines above the `{` back to the
previous blank line, `}`, `;`, comment or preprocessor line.

    scripts/check_functions.py [root]          check (run by make check-layers)
    scripts/check_functions.py --list N [root] print every function over N lines
"""
import os
import re
import sys

MAX_LINES = 120
# Functions over MAX_LINES that another change is splitting, by
# "folder/file.c:function".  The check notes them, and notes an entry that
# is short again (remove it here then): a note, not a failure, so the change
# that splits one can land before or after the one that edits this list.
PENDING = {}
NAME = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\s*\(")


def functions(path):
    """(name, first line, length) of each function definition in path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        if lines[i] != "{":
            i += 1
            continue
        start = i
        j = i - 1
        while j >= 0 and lines[j].strip() and not lines[j].startswith(("}", "#", "//")) \
                and not lines[j].rstrip().endswith((";", "*/")):
            j -= 1
        head = " ".join(lines[j + 1:i])
        end = i + 1
        while end < len(lines) and not lines[end].startswith("}"):
            end += 1
        m = NAME.search(head)
        if m and "=" not in head.split("(")[0]:  # not an initialiser
            out.append((m.group(1), j + 2, end - j))
        i = end + 1 if end > start else start + 1
    return out


def scan(root):
    src = os.path.join(root, "src")
    for dirpath, _, files in os.walk(src):
        for fn in sorted(files):
            if fn.endswith(".c"):
                p = os.path.join(dirpath, fn)
                rel = os.path.relpath(p, src).replace(os.sep, "/")
                for name, line, n in functions(p):
                    yield rel, name, line, n


def main(argv):
    if argv and argv[0] == "--list":
        limit = int(argv[1])
        root = argv[2] if len(argv) > 2 else "."
        rows = sorted((n, f"{rel}:{line} {name}") for rel, name, line, n in scan(root) if n > limit)
        for n, where in reversed(rows):
            print(f"{n:5d} {where}")
        return 0
    root = argv[0] if argv else "."
    problems, notes, seen = [], [], set()
    for rel, name, line, n in scan(root):
        key = f"{rel}:{name}"
        if n <= MAX_LINES:
            continue
        seen.add(key)
        if key in PENDING:
            notes.append(f"{key} has {n} lines (over {MAX_LINES}; pending: {PENDING[key]})")
        else:
            problems.append(f"src/{rel}:{line}: {name} has {n} lines, over {MAX_LINES}:"
                            " split it along its steps")
    for key in sorted(set(PENDING) - seen):
        notes.append(f"{key} is no longer over {MAX_LINES} lines (or is gone):"
                     " remove it from PENDING in scripts/check_functions.py")
    for n in notes:
        print("check_functions: note:", n)
    for p in problems:
        print("check_functions:", p, file=sys.stderr)
    if problems:
        return 1
    print(f"check_functions: no function over {MAX_LINES} lines (pending: {len(notes)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
