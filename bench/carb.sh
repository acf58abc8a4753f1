#!/bin/bash
# carb: Open IE quality on CaRB's dev split (Bhardwaj et al., EMNLP 2019;
# ../shared/data/openie/carb, its README): `kgas triples --tsv --lines` on
# the 641 dev sentences, scored by CaRB's own scorer (score.sh: the
# default binary lenient tuple matcher, the best-F1 point of the
# precision-recall curve over confidences, and the area under it), beside
# other systems' outputs on the same sentences scored by the same scorer in
# the same run:
#   OpenIE-5       system_outputs/dev (bundled with CaRB)
#   OpenIE-4, ClausIE, PropS
#                  the dev sentences' part of the outputs CaRB keeps under
#                  system_outputs/test (bench/carb_refs.py makes them from a
#                  snapshot of github dair-iitd/CaRB; CARB_REFS names the
#                  folder, default ../data-cache/carb-dev-refs; missing ones
#                  are listed as such)
# Only the dev split is used here: the test split is what is checked, and
# is never looked at.  Goal (issue 14): kgas's F1 >= OpenIE-4's, and above
# ClausIE's and Stanford Open IE's.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=carb
CARB=$DATA_DIR/openie/carb
[ -r "$CARB/data/dev.txt" ] || skip $NAME "no CaRB data at $CARB"
$PYTHON -c 'import docopt, nltk, sklearn, numpy' 2>/dev/null ||
    skip $NAME "the CaRB scorer needs python3-docopt python3-nltk python3-sklearn python3-numpy"
kgas_has triples || skip $NAME "kgas triples not available in this build"
REFS=${CARB_REFS:-$REPO_DIR/../data-cache/carb-dev-refs}

out=$BENCH_WORK/carb_kgas_dev.tsv
t0=$(now)
"$KGAS" triples --tsv --lines "$CARB/data/dev.txt" >"$out"
secs=$(since "$t0")
score() { # FORMAT FILE -> "P R F1 AUC"
    CARB_FORMAT=$1 PYTHON=$PYTHON "$CARB/score.sh" dev "$2" 2>/dev/null | tail -1 |
        sed -E 's/.*P=([0-9.]+) R=([0-9.]+) F1=([0-9.]+) AUC=([0-9.]+).*/\1 \2 \3 \4/'
}
row() { # NAME P R F1 AUC EXTRACTIONS
    printf '| %-9s | %5s | %5s | %5s | %5s | %6s |\n' "$@"
}
echo "CaRB dev, 641 sentences; kgas triples took $(calc "$secs" "%.2f") s ($(wc -l <"$out") extractions)"
row system P R F1 AUC extr
row --------- ----- ----- ----- ----- ------
read -r kp kr kf ka <<<"$(score tabbed "$out")"
row kgas "$kp" "$kr" "$kf" "$ka" "$(wc -l <"$out")"
o4f=""
read -r p r f a <<<"$(score openiefive "$CARB/system_outputs/dev/openie5_output.txt")"
row OpenIE-5 "$p" "$r" "$f" "$a" "$(grep -c . "$CARB/system_outputs/dev/openie5_output.txt")"
for s in openie4:OpenIE-4 clausie:ClausIE props:PropS stanford:Stanford; do
    file=$REFS/${s%%:*}_dev.tsv
    if [ -s "$file" ]; then
        read -r p r f a <<<"$(score tabbed "$file")"
        row "${s#*:}" "$p" "$r" "$f" "$a" "$(wc -l <"$file")"
        [ "${s%%:*}" = openie4 ] && o4f=$f
        summary "${NAME}_${s%%:*}" "F1 $f" "-" "-" "reference" "info"
    else
        row "${s#*:}" - - - - "missing"
    fi
done
if [ -n "$o4f" ]; then
    verdict=$(awk -v a="$kf" -v b="$o4f" 'BEGIN { print (a >= b) ? "met" : "NOT met" }')
    summary "$NAME" "F1 $kf AUC $ka" "OpenIE-4 F1 $o4f" "$(calc "$kf / $o4f" "%.2f")x" \
        ">= OpenIE-4 (issue 14)" "$verdict"
    echo "kgas F1 $kf vs OpenIE-4 $o4f: $verdict"
else
    summary "$NAME" "F1 $kf AUC $ka" "-" "-" ">= OpenIE-4 (issue 14)" "info (no OpenIE-4 output: bench/carb_refs.py)"
fi
