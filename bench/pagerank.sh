#!/bin/bash
# pagerank: time of kgas's PageRank (kg_pagerank over a kg_csr) on a
# deterministic directed weighted graph of 100k nodes and 1M edges, through
# the small driver bench/pagerank_bench.c (there is no CLI for raw edge lists).
#
# References, same graph, same run, same parameters (damping 0.85, tol 1e-6,
# max 100 iterations, weighted edges):
#   - networkx.pagerank: the definition kgas follows (its tests check against
#     it), so it is also the correctness check: max |kgas - networkx| must be
#     tiny when both stop at the same tolerance.
#   - igraph's PRPACK (python3-igraph): a fast C++ solver, the speed bar.
# Only the PageRank call is timed on every side; reading the file and building
# each library's graph are not.  Each side is timed REPEAT times; medians.
# Goal: kgas at least as fast as igraph.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_kgas
NAME=pagerank
NODES=100000
EDGES=1000000
SEED=42
REPEAT=${REPEAT:-5}
LIB=$BUILD_DIR/libkgas_core.a
[ -f "$LIB" ] || skip $NAME "no $LIB (build kgas first)"
"$PYTHON" -c 'import networkx, numpy, scipy' 2>/dev/null ||
    skip $NAME "$PYTHON lacks networkx/numpy/scipy (python3-networkx, python3-scipy)"

driver=$BENCH_WORK/pagerank_bench
if [ ! -x "$driver" ] || [ "$BENCH_DIR/pagerank_bench.c" -nt "$driver" ] || [ "$LIB" -nt "$driver" ]; then
    # shellcheck disable=SC2046
    cc -std=c17 -O2 -Wall -Wextra -I"$REPO_DIR/src" -I"$BUILD_DIR/generated" -o "$driver" \
        "$BENCH_DIR/pagerank_bench.c" "$LIB" \
        $(pkg-config --libs libuv jansson sqlite3 libutf8proc libsodium) -lstemmer \
        -lpthread -lm
fi

graph=$BENCH_WORK/graph_${NODES}_${EDGES}_${SEED}.txt
if [ ! -s "$graph" ] || [ "$driver" -nt "$graph" ]; then
    echo "generating $graph"
    "$driver" gen $NODES $EDGES $SEED "$graph"
fi

# Two kgas runs: kgas's defaults (tol 1e-6, the networkx definition: stop when
# the L1 change < n*tol = 0.1 here, a coarse answer on 100k nodes) for the
# networkx comparison, and tol 1e-15 (L1 change < 1e-10, about PRPACK's own
# stopping precision) for the igraph comparison, so neither side is timed
# doing less work than the other.
CONV_TOL=1e-15
scores=$BENCH_WORK/pagerank_kgas_scores.txt
conv=$BENCH_WORK/pagerank_kgas_converged.txt
"$driver" run "$graph" "$scores" "$REPEAT" >"$BENCH_WORK/pagerank_kgas.out"
"$driver" run "$graph" "$conv" "$REPEAT" $CONV_TOL 1000 >"$BENCH_WORK/pagerank_kgas_conv.out"
"$PYTHON" "$BENCH_DIR/pagerank_ref.py" "$graph" "$scores" "$conv" "$REPEAT" >"$BENCH_WORK/pagerank_ref.out"
for f in pagerank_kgas pagerank_kgas_conv pagerank_ref; do sed 's/^/  /' "$BENCH_WORK/$f.out"; done

# get KEY [FILE]: a key=value figure from the driver's or the reference's output.
get() {
    sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" "$BENCH_WORK/${2:-pagerank_kgas}.out"
}
k=$(get pagerank_s)
nxs=$(get networkx_pagerank_s pagerank_ref)
diff=$(get maxdiff_networkx pagerank_ref)
echo "kgas PageRank, tol 1e-6: $(calc "$k * 1000" "%.1f") ms ($(get iterations) iterations; CSR build $(calc "$(get csr_build_s) * 1000" "%.0f") ms, not timed)"
echo "networkx $(get networkx_version pagerank_ref), tol 1e-6: $(calc "$nxs * 1000" "%.1f") ms per call" \
    "(of which its graph->matrix conversion, timed alone: $(calc "$(get networkx_convert_s pagerank_ref) * 1000" "%.0f") ms)"
echo "ratio kgas/networkx time: $(calc "$k / $nxs" "%.4f")x"
# Both start from the uniform vector and stop at the same test, so they do the
# same iterations: any difference is rounding, far below 1/n = 1e-5.
agree=$(awk -v d="$diff" 'BEGIN { print (d < 1e-12) ? "agree" : "DISAGREE" }')
echo "max |kgas - networkx| = $diff (max relative $(get maxrel_networkx pagerank_ref)): $agree (threshold 1e-12)"
summary "${NAME}_vs_networkx" "$(calc "$k * 1000" "%.1f") ms (tol 1e-6)" "networkx $(calc "$nxs * 1000" "%.0f") ms" \
    "$(calc "$k / $nxs" "%.4f")x time" "scores agree < 1e-12" "$agree (maxdiff $diff)"

kc=$(get pagerank_s pagerank_kgas_conv)
if [ "$(get igraph_version pagerank_ref)" = none ]; then
    echo "igraph: not installed (python3-igraph); no speed goal checked"
    summary "${NAME}_vs_igraph" "$(calc "$kc * 1000" "%.1f") ms" "-" "-" "<= 1.0x" "skipped: python3-igraph not installed"
    exit 0
fi
ig=$(get igraph_pagerank_s pagerank_ref)
igdiff=$(get maxdiff_igraph pagerank_ref)
ratio=$(calc "$kc / $ig" "%.3f")
met=$(awk -v r="$ratio" -v d="$igdiff" 'BEGIN { print (r <= 1.0 && d < 1e-12) ? "met" : "NOT met" }')
echo "kgas PageRank, tol $CONV_TOL: $(calc "$kc * 1000" "%.1f") ms ($(get iterations pagerank_kgas_conv) iterations)"
echo "igraph $(get igraph_version pagerank_ref) PRPACK: $(calc "$ig * 1000" "%.1f") ms;" \
    "max |kgas - igraph| = $igdiff (kgas at tol 1e-6: $(get maxdiff_default_igraph pagerank_ref))"
echo "ratio kgas/igraph time: ${ratio}x; goal <= 1.0x (with scores within 1e-12): $met"
summary "${NAME}_vs_igraph" "$(calc "$kc * 1000" "%.1f") ms (tol $CONV_TOL)" "igraph $(calc "$ig * 1000" "%.1f") ms" \
    "${ratio}x time" "<= 1.0x" "$met (maxdiff $igdiff)"
