#!/usr/bin/env python3
"""Reference Open IE outputs on CaRB's dev split, for bench/carb.sh.

Usage: carb_refs.py CARB_GIT_DIR CARB_DIR OUT_DIR

CaRB (github dair-iitd/CaRB, MIT) bundles dev-split output only for OpenIE-5
(CARB_DIR/system_outputs/dev, the copy in ../shared/data).  The outputs of
OpenIE-4, ClausIE, PropS and ReVerb that the repository keeps under
system_outputs/test/ were made by running each system over all the sentences
of the corpus CaRB was built from, so they also hold the dev sentences.  This
script reads each of those files from the git snapshot CARB_GIT_DIR (`git
show HEAD:PATH`), parses it with the scorer's own reader for that system's
format, keeps the extractions of the sentences that are in the dev split
(CARB_DIR/data/dev.txt, matched the way the scorer matches sentences), and
writes them in the tabbed format to OUT_DIR/NAME_dev.tsv.  Nothing of the
test split is written or printed: sentences outside dev are dropped unread.
OUT_DIR/SOURCES.tsv records repo, commit, path, sha256 of the file read, and
the sentences and extractions kept.
ReVerb's reader needs a raw-sentence file CaRB does not ship, so ReVerb is
skipped.  Stanford Open IE's output (system_outputs/test/stanford_output.txt) is 4 MiB
or more and absent from the snapshots this project can read."""
import hashlib
import os
import subprocess
import sys
import tempfile

SYSTEMS = [  # name, path in the CaRB repo, reader module, reader class
    ("openie4", "system_outputs/test/openie4_output.txt", "openieFourReader", "OpenieFourReader"),
    ("clausie", "system_outputs/test/clausie_output.txt", "clausieReader", "ClausieReader"),
    ("props", "system_outputs/test/props_output.txt", "propsReader", "PropSReader"),
    ("reverb", "system_outputs/test/reverb_output.txt", "reVerbReader", "ReVerbReader"),
    ("stanford", "system_outputs/test/stanford_output.txt", "stanfordReader", "StanfordReader"),
]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    git, carb, out = sys.argv[1:]
    if os.path.isdir(os.path.join(git, ".git")):
        git = os.path.join(git, ".git")
    sys.path.insert(0, os.path.join(carb, "scorer"))
    import carb as carb_mod  # noqa: E402  (the scorer's normaliser)
    norm = carb_mod.Benchmark.normalizeKey
    dev = {norm(l.strip()) for l in open(os.path.join(carb, "data", "dev.txt")) if l.strip()}
    commit = subprocess.run(["git", "--git-dir", git, "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    os.makedirs(out, exist_ok=True)
    rows = []
    for name, path, module, cls in SYSTEMS:
        got = subprocess.run(["git", "--git-dir", git, "show", "HEAD:" + path],
                             capture_output=True)
        if got.returncode != 0 or not got.stdout:
            print("%s: %s not in the snapshot (skipped)" % (name, path))
            continue
        data = got.stdout
        with tempfile.NamedTemporaryFile(suffix=".txt") as tmp:
            tmp.write(data)
            tmp.flush()
            try:
                reader = getattr(__import__("oie_readers." + module, fromlist=[cls]), cls)()
                reader.read(tmp.name)
            except (OSError, ValueError, IndexError) as e:
                # ReVerb's reader needs the corpus's raw sentence file, which
                # CaRB does not ship.
                print("%s: the scorer's reader cannot read it here (%s: %s); skipped"
                      % (name, type(e).__name__, e))
                continue
        kept_s = kept_e = 0
        with open(os.path.join(out, name + "_dev.tsv"), "w") as f:
            for sent, exs in reader.oie.items():
                if norm(sent) not in dev:
                    continue
                kept_s += 1
                for ex in exs:
                    fields = [sent, "%r" % float(ex.confidence), ex.pred] + list(ex.args)
                    f.write("\t".join(x.replace("\t", " ").replace("\n", " ")
                                      for x in fields) + "\n")
                    kept_e += 1
        rows.append((name, "dair-iitd/CaRB", commit, path,
                     hashlib.sha256(data).hexdigest(), kept_s, kept_e))
        print("%s: %d dev sentences, %d extractions" % (name, kept_s, kept_e))
    with open(os.path.join(out, "SOURCES.tsv"), "w") as f:
        f.write("system\trepo\tcommit\tpath\tsha256\tdev_sentences\textractions\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


if __name__ == "__main__":
    main()
