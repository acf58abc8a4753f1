#!/usr/bin/env python3
"""Assemble the POS tagger's and parser's training data from git snapshots.

Usage: treebank_data.py EWT_GIT_DIR GUM_GIT_DIR OUT_DIR

EWT_GIT_DIR and GUM_GIT_DIR are git directories (bare or not) of
UniversalDependencies/UD_English-EWT and UniversalDependencies/UD_English-GUM.
Files are read with `git show HEAD:PATH`, never from a work tree, so what is
used is exactly what the recorded commit holds.

Writes OUT_DIR/{train,dev,test}.conllu and OUT_DIR/SOURCES.tsv (repo, commit,
path, split, sentences, tokens, sha256 of the file as read).

Which files:
  EWT (CC BY-SA 4.0): the per-document files of not-to-release/sources/ in
    the order of not-to-release/file-lists/files.{train,dev,test}; the
    release's en_ewt-ud-train.conllu is 4 MiB or more and absent from the
    snapshots this project can read, the per-document files are its parts.
  GUM: only the genres whose texts are openly licensed for any use
    (LICENSE.txt of amir-zeldes/gum, checked by hand):
      academic  CC BY 4.0        bio      CC BY-SA 3.0
      court     CC BY 4.0        voyage   CC BY-SA 3.0
      interview CC BY 2.5        news     CC BY 2.5
    and never essay, fiction, letter, podcast, whow (CC BY-NC-SA), reddit,
    nor the genres that licence file does not name.  Splits as
    not-to-release/file-lists/files.{train,dev,test}.
Multi-word token lines (1-2) and empty nodes (1.1) are kept: the reader
skips them."""
import hashlib
import os
import subprocess
import sys

GUM_GENRES = ("academic", "bio", "court", "interview", "news", "voyage")


def show(git, path):
    return subprocess.run(["git", "--git-dir", git, "show", "HEAD:" + path],
                          check=True, capture_output=True).stdout


def head(git):
    return subprocess.run(["git", "--git-dir", git, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def counts(data):
    sents = toks = 0
    for line in data.decode("utf-8").split("\n"):
        if not line or line.startswith("#"):
            if not line:
                pass
            continue
        f = line.split("\t")
        if len(f) == 10 and f[0].isdigit():
            toks += 1
            if f[0] == "1":
                sents += 1
    return sents, toks


def gitdir(d):
    return os.path.join(d, ".git") if os.path.isdir(os.path.join(d, ".git")) else d


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ewt, gum, out = gitdir(sys.argv[1]), gitdir(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    rows = []
    splits = {"train": [], "dev": [], "test": []}
    for name, git in (("UniversalDependencies/UD_English-EWT", ewt),
                      ("UniversalDependencies/UD_English-GUM", gum)):
        commit = head(git)
        for split in splits:
            lst = show(git, "not-to-release/file-lists/files." + split).decode().split()
            for doc in lst:
                if "GUM" in name:
                    genre = doc.split("_")[1]
                    if genre not in GUM_GENRES:
                        continue
                    path = "not-to-release/sources/" + doc + ".conllu"
                else:
                    path = "not-to-release/sources/" + doc
                data = show(git, path)
                if not data.endswith(b"\n\n"):
                    data = data.rstrip(b"\n") + b"\n\n"
                s, t = counts(data)
                rows.append((name, commit, path, split, s, t, hashlib.sha256(data).hexdigest()))
                splits[split].append(data)
    for split, parts in splits.items():
        with open(os.path.join(out, split + ".conllu"), "wb") as f:
            for p in parts:
                f.write(p)
    with open(os.path.join(out, "SOURCES.tsv"), "w") as f:
        f.write("repo\tcommit\tpath\tsplit\tsentences\ttokens\tsha256\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    for split in splits:
        s = sum(r[4] for r in rows if r[3] == split)
        t = sum(r[5] for r in rows if r[3] == split)
        print("%s: %d files, %d sentences, %d tokens" %
              (split, sum(1 for r in rows if r[3] == split), s, t))


if __name__ == "__main__":
    main()
