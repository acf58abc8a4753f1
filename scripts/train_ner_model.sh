#!/bin/sh
# train_ner_model.sh: `make model`: train the NER model kgas ships
# (models/ner.kgm) from ../shared/data/ner-train, reproducibly: the same
# data and this script give the same bytes.  models/README.md records what
# it was trained on and how it scores.
#
# Usage: train_ner_model.sh KGAS NER_TRAIN_DIR WORK_DIR OUT [extra kgas train options]
set -eu
kgas=$1 src=$2 work=$3 out=$4
shift 4
here=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$src/crossner" ] || { echo "train_ner_model: $src/crossner is missing (../shared/data/ner-train)" >&2; exit 1; }
python3 "$here/scripts/ner_data.py" "$src" "$here/models/ner-scirex-dev.txt" "$work"
# Running text for the word classes (labels are not read): the 6,119
# Wikipedia passages of HippoRAG's 2WikiMultihopQA corpus, one per line.
wiki="$src/../text/hipporag/2wikimultihopqa_corpus.json"
[ -f "$wiki" ] || { echo "train_ner_model: $wiki is missing (../shared/data/text)" >&2; exit 1; }
python3 -c 'import json,sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for p in json.load(open(sys.argv[1], encoding="utf-8")):
        out.write(" ".join(p["text"].split()) + "\n")' "$wiki" "$work/2wiki.txt"
set --  "$@" \
  --train "$src/crossner/politics.train.tsv" --train "$src/crossner/politics.test.tsv" \
  --train "$src/crossner/science.train.tsv" --train "$src/crossner/science.test.tsv" \
  --train "$src/crossner/music.train.tsv" --train "$src/crossner/music.test.tsv" \
  --train "$src/crossner/literature.train.tsv" --train "$src/crossner/literature.test.tsv" \
  --train "$src/crossner/ai.train.sci.tsv" --train "$src/crossner/ai.test.sci.tsv" \
  --train "$work/crossner.dev-train.conll" --train "$work/crossner-ai.dev-train.conll" \
  --train-text "$src/litbank/all.tsv" \
  --train "$src/uner_en_ewt/dev.tsv" --train "$src/uner_en_ewt/test.tsv" \
  --train "$src/re3d_open/Australian_Department_of_Foreign_Affairs.tsv" \
  --train "$src/re3d_open/CENTCOM.tsv" \
  --train "$src/re3d_open/Delegation_of_the_European_Union_to_Syria.tsv" \
  --train "$src/re3d_open/UK_Government.tsv" --train "$src/re3d_open/US_State_Department.tsv" \
  --train "$src/re3d_open/Wikipedia.tsv" \
  --train "$src/btc/section_a.tsv" --train "$src/btc/section_b.tsv" \
  --train "$src/btc/section_e.tsv" --train "$src/btc/section_f.tsv" \
  --train "$src/btc/section_g.tsv" --train "$src/btc/section_h.tsv" \
  --train "$work/scirex.train.conll" \
  --dev "$work/crossner.dev-held.conll" --dev "$work/crossner-ai.dev-held.conll" \
  --dev "$work/scirex.dev.conll" \
  --unlabeled "$work/2wiki.txt"
nice "$kgas" train ner --out "$out" --scheme bilou --epochs 12 --seed 1 --max-rows 200000 "$@"
