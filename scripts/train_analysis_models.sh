#!/bin/bash
# train_analysis_models.sh [KGAS] [TREEBANK_DIR]
#   Train the shipped sentence-analysis models of relations, models/pos.kgm
#   (tagger) and models/parse.kgm (parser), with `kgas train`, then score them
#   on the held-out dev and test splits.  Deterministic: the same treebanks and
#   seeds give the same model bytes.  `make analysis-models` runs it and
#   rebuilds kgas with the new models inside.
#
#   TREEBANK_DIR (default ../data-cache/treebanks) holds train/dev/test.conllu
#   as scripts/treebank_data.py assembles them from git snapshots of
#   UniversalDependencies/UD_English-EWT and UD_English-GUM (the openly
#   licensed genres only); models/analysis_sources.tsv lists every file used,
#   with its commit and sha256, and docs/relations.md the licences.
set -eu
KGAS=${1:-build/kgas}
TB=${2:-${TREEBANK_DIR:-../data-cache/treebanks}}
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE"
if [ ! -r "$TB/train.conllu" ]; then
    echo "no treebanks at $TB: assemble them with" >&2
    echo "  scripts/treebank_data.py EWT_GIT_DIR GUM_GIT_DIR $TB" >&2
    echo "from git snapshots of UniversalDependencies/UD_English-EWT and UD_English-GUM" >&2
    echo "(docs/relations.md, 'Training data')" >&2
    exit 2
fi
mkdir -p models
nice "$KGAS" train pos --train "$TB/train.conllu" --dev "$TB/dev.conllu" --out models/pos.kgm \
    --epochs 10 --seed 1 --max-rows 40000
nice "$KGAS" train parse --train "$TB/train.conllu" --dev "$TB/dev.conllu" \
    --tagger models/pos.kgm --out models/parse.kgm --epochs 10 --seed 1 --folds 4 \
    --max-rows 90000 --max-label-rows 22000
cp "$TB/SOURCES.tsv" models/analysis_sources.tsv
for split in dev test; do
    "$KGAS" eval pos --model models/pos.kgm "$TB/$split.conllu"
    "$KGAS" eval parse --model models/parse.kgm --tagger models/pos.kgm "$TB/$split.conllu"
done
sha256sum models/pos.kgm models/parse.kgm
