#!/bin/bash
# ner: speed and accuracy of the entity recogniser, the trained model built
# into kgas beside the rules recogniser it replaced (`--model rules`), on the
# same gold file in the same run: `kgas eval ner --json` on wikigold
# (39,007 tokens, 1,696 sentences; never trained on).  words/s is CPU time per
# core inside kg_ner_run (what `kgas eval ner` reports), so a busy machine
# distorts it less than wall time would.  Each side runs REPEAT times;
# medians.  Goal (issue 12): the model at >= 500,000 words/s per core, and
# wikigold F1 >= 0.75 over PER/ORG/LOC.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=ner
REPEAT=${REPEAT:-5}
GOLD=$DATA_DIR/ner/wikigold.conll
[ -f "$GOLD" ] || skip $NAME "$GOLD is absent"
kgas_has train || skip $NAME "this kgas has no trained recogniser"

field() { "$PYTHON" -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

run_side() { # $1: model argument ("" = the built-in model); prints "wps f1"
    local wps=() f1=""
    for _ in $(seq "$REPEAT"); do
        out=$("$KGAS" eval ner --json ${1:+--model "$1"} "$GOLD")
        wps+=("$(printf '%s' "$out" | field '["words_per_second"]')")
        f1=$(printf '%s' "$out" | field '["overall"]["f1"]')
    done
    echo "$(median "${wps[@]}") $f1"
}

read -r m_wps m_f1 <<<"$(run_side "")"
read -r r_wps r_f1 <<<"$(run_side rules)"
echo "wikigold, $REPEAT runs each, median words/s per core (CPU time inside kg_ner_run):"
printf '  %-22s %12.0f words/s   F1 %.3f (PER/ORG/LOC)\n' "model (built in)" "$m_wps" "$m_f1"
printf '  %-22s %12.0f words/s   F1 %.3f\n' "rules (--model rules)" "$r_wps" "$r_f1"
ratio=$(calc "$m_wps / $r_wps" "%.2f")
verdict="NOT met"
if awk -v w="$m_wps" -v f="$m_f1" 'BEGIN { exit !(w >= 500000 && f >= 0.75) }'; then
    verdict=met
fi
echo "model/rules speed: $ratio; goal: >= 500k words/s and F1 >= 0.75: $verdict"
summary "$NAME (words/s, wikigold F1)" "$(calc "$m_wps" "%.0f") F1 $(calc "$m_f1")" \
    "rules $(calc "$r_wps" "%.0f") F1 $(calc "$r_f1")" "$ratio" ">=500k w/s, F1>=0.75" "$verdict"
