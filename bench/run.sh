#!/bin/bash
# Run the benchmarks and print one summary table.
#
# Usage: bench/run.sh [KGAS_BINARY] [NAME...]   (make bench runs them all)
# NAME is a script in bench/ without .sh: ingest_pdf papers ingest_text ingest_prose pagerank query mcp mcp_load export ner
# startup vector embed_api multihop carb.
# Each benchmark prints kgas's figure beside a reference tool's, measured on
# the same input in the same run, and the ratio; the table collects them.
# A benchmark whose input or tool is missing says "skipped" and why.
# Exit status: 1 when a benchmark script itself failed; a goal that is not
# met is a finding, shown in the table, not an error.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
KGAS=${1:-$here/../build/kgas}
[ $# -gt 0 ] && shift
case $KGAS in /*) ;; *) KGAS=$(pwd)/$KGAS ;; esac
[ -x "$KGAS" ] || { echo "run.sh: no kgas binary at $KGAS (run make first)" >&2; exit 2; }
export KGAS
BENCH_WORK=${BENCH_WORK:-$(cd "$(dirname "$KGAS")" && pwd)/bench}
export BENCH_WORK
mkdir -p "$BENCH_WORK"
BENCH_SUMMARY=$BENCH_WORK/summary.tsv
export BENCH_SUMMARY
: >"$BENCH_SUMMARY"

names=${*:-ingest_pdf papers ingest_text ingest_prose pagerank query mcp mcp_load export startup vector embed_api ner multihop carb}
failed=0
echo "kgas benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$KGAS" --version 2>/dev/null | head -1)"
for b in $names; do
    echo
    echo "== $b"
    if ! "$here/$b.sh"; then
        echo "$b: FAILED (the script exited non-zero)"
        printf '%s\t-\t-\t-\t-\tFAILED\n' "$b" >>"$BENCH_SUMMARY"
        failed=1
    fi
done

echo
echo "== summary"
{
    printf 'benchmark\tkgas\treference\tratio\tgoal\tverdict\n'
    cat "$BENCH_SUMMARY"
} | awk -F'\t' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
      if (NF > nf) nf = NF }
    END { for (r = 1; r <= NR; r++) {
            line = ""
            for (i = 1; i <= nf; i++) line = line sprintf("%-" w[i] "s  ", cell[r, i])
            sub(/ +$/, "", line); print line } }'
exit $failed
