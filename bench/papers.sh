#!/bin/bash
# papers: how well `kgas paper` reads the ten sample papers
# (../shared/data/pdf/papers): titles, author lists and bibliographies
# against the gold file tests/data/papers/gold.json (made by reading the
# papers; its README says how), scored by bench/papers_score.py.
#
# Reference, same run: what kgas did before issue 13, rebuilt from poppler's
# own tools on the same files (pdfinfo metadata title, else the first line of
# pdftotext; the metadata Author field; "[n]" lines of pdftotext).  Published
# reference, another corpus: GROBID 0.5.2 on 1,943 PubMed Central PDFs,
# title F1 0.86 and authors F1 0.87 (soft matching; grobid-trainer/doc/
# PMC_sample_1943.results.grobid-0.5.2-22.09.2018), references ~0.87 F1.
# Goals (issue 13): titles >= 9/10, author F1 >= 0.9 (no initials, no case),
# >= 7 papers with 5 or more parsed references, and TAMReview's unreadable
# bibliography reported as such.
#
# Also timed, for information: `kgas paper` (layout, header, references,
# citations; no database) over the ten files beside `pdftotext`, median of 3.
# The ingest speed goal (<= 1.5x pdftotext with the graph) is ingest_pdf.sh's.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=papers
PAPERS=$DATA_DIR/pdf/papers
GOLD=$REPO_DIR/tests/data/papers/gold.json
[ -d "$PAPERS" ] || skip $NAME "no $PAPERS (../shared/data absent)"
command -v pdftotext >/dev/null || skip $NAME "pdftotext not installed (poppler-utils)"
kgas_has paper || skip $NAME "this kgas has no paper command"

rc=0
"$PYTHON" "$BENCH_DIR/papers_score.py" "$KGAS" "$PAPERS" "$GOLD" \
    --json "$BENCH_WORK/papers_score.json" || rc=$?

kt=""
pt=""
for _ in 1 2 3; do
    t0=$(now)
    for f in "$PAPERS"/*.pdf; do "$KGAS" paper --json "$f" >/dev/null; done
    kt="$kt $(since "$t0")"
    t0=$(now)
    for f in "$PAPERS"/*.pdf; do pdftotext "$f" /dev/null 2>/dev/null || true; done
    pt="$pt $(since "$t0")"
done
# shellcheck disable=SC2086
k=$(median $kt)
# shellcheck disable=SC2086
p=$(median $pt)
echo "kgas paper over the ten (runs$kt s): median $k s; pdftotext (runs$pt s): median $p s;" \
    "ratio $(calc "$k / $p" "%.2f")x (information)"

read -r titles f1 five < <("$PYTHON" -c "import json,sys; s=json.load(open(sys.argv[1]))
print(s['titles']['kgas'], '%.3f' % s['authors_f1']['kgas'], s['five_refs']['kgas'])" \
    "$BENCH_WORK/papers_score.json")
read -r btitles bf1 bfive < <("$PYTHON" -c "import json,sys; s=json.load(open(sys.argv[1]))
print(s['titles']['base'], '%.3f' % s['authors_f1']['baseline'], s['five_refs']['base'])" \
    "$BENCH_WORK/papers_score.json")
met=$([ $rc -eq 0 ] && echo met || echo "NOT met")
summary $NAME "titles $titles/10, authors F1 $f1, $five papers with 5+ refs" \
    "before: titles $btitles/10, F1 $bf1, $bfive with 5+ refs; GROBID (PMC): title 0.86, authors 0.87" \
    "-" ">= 9/10, >= 0.9, >= 7" "$met"
