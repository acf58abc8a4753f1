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
#
# Memory (issue 13: bounded structures): peak RSS (/usr/bin/time -v) of
# `kgas paper` on a 2,002-page PDF (tracemonkey.pdf 143 times, pdfunite),
# beside pdftotext on the same file and kgas on the 14-page original; and on
# a generated 50 MB Markdown bibliography (431,484 entries; the first 20,000
# are kept, the rest counted).  Goals: the 2,002-page run within the file's
# size + 64 MB (the loader holds the file's bytes for poppler, as it did
# before), the 50 MB bibliography under 200 MB.  BIG=0 skips this part.
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

big=""
if [ "${BIG:-1}" != 0 ] && command -v pdfunite >/dev/null && [ -x /usr/bin/time ]; then
    pdf=$BENCH_WORK/papers_2002.pdf
    if [ ! -s "$pdf" ]; then
        set --
        for _ in $(seq 143); do set -- "$@" "$PAPERS/tracemonkey.pdf"; done
        pdfunite "$@" "$pdf" 2>/dev/null
    fi
    md=$BENCH_WORK/papers_refs50.md
    [ -s "$md" ] || "$PYTHON" - "$md" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("# A Paper With a Long Bibliography\n\nSee Author1 (1901) and [2].\n\n## References\n\n")
    i = n = 0
    while n < 50 * 1024 * 1024:
        i += 1
        s = (f"{i}. Author{i % 97}, A., Writer, B. {1900 + i % 120}. A title for entry number {i} "
             f"of a very long list. Journal of Lists, {i % 50}, {i % 300}-{i % 300 + 9}.\n")
        f.write(s)
        n += len(s)
PY
    rss() { /usr/bin/time -v -o "$BENCH_WORK/papers_time.txt" "$@" >/dev/null 2>&1 || true; peak_rss_mb "$BENCH_WORK/papers_time.txt"; }
    k2002=$(rss "$KGAS" paper --json "$pdf")
    p2002=$(rss pdftotext "$pdf" /dev/null)
    k14=$(rss "$KGAS" paper --json "$PAPERS/tracemonkey.pdf")
    kmd=$(rss "$KGAS" paper --json "$md")
    fmb=$(calc "$(wc -c <"$pdf") / 1048576" "%.0f")
    echo "peak RSS, 2,002-page PDF ($fmb MB): kgas paper $k2002 MB, pdftotext $p2002 MB; kgas on the 14-page original $k14 MB"
    echo "peak RSS, 50 MB Markdown bibliography: kgas paper $kmd MB"
    bmet=$(awk -v k="$k2002" -v f="$fmb" -v m="$kmd" 'BEGIN { print (k <= f + 64 && m < 200) ? "met" : "NOT met" }')
    echo "memory goals (2,002 pages <= file + 64 MB; 50 MB bibliography < 200 MB): $bmet"
    big="; memory: 2,002 pages $k2002 MB (file $fmb MB), 50 MB bibliography $kmd MB: $bmet"
fi

read -r titles f1 five < <("$PYTHON" -c "import json,sys; s=json.load(open(sys.argv[1]))
print(s['titles']['kgas'], '%.3f' % s['authors_f1']['kgas'], s['five_refs']['kgas'])" \
    "$BENCH_WORK/papers_score.json")
read -r btitles bf1 bfive < <("$PYTHON" -c "import json,sys; s=json.load(open(sys.argv[1]))
print(s['titles']['base'], '%.3f' % s['authors_f1']['baseline'], s['five_refs']['base'])" \
    "$BENCH_WORK/papers_score.json")
met=$([ $rc -eq 0 ] && echo met || echo "NOT met")
summary $NAME "titles $titles/10, authors F1 $f1, $five papers with 5+ refs$big" \
    "before: titles $btitles/10, F1 $bf1, $bfive with 5+ refs; GROBID (PMC): title 0.86, authors 0.87" \
    "-" ">= 9/10, >= 0.9, >= 7" "$met"
