#!/bin/bash
# Two models alone, side by side, the same day: each pinned to its own core, beam 10, verified,
# 10 s per problem; lc-bwd, lc-ode1, nat, bwd, ode1 (first 200, `symseq eval`) and the textbook
# suites (`symseq benchmark --engines model --without widen`).  The rounds' `eval` steps call it:
#   bash experiments/training/eval_pair.sh OUT MODEL_A NAME_A MODEL_B NAME_B
set -e
S=.venv/bin/symseq
OUT=$1
mkdir -p "$OUT"
run_eval() {
    local core=$1 model=$2 name=$3
    for suite in lc-bwd lc-ode1 nat bwd ode1; do
        taskset -c "$core" $S eval "$model" benchmarks/suites/$suite --limit 200 --beam 10 \
            > "$OUT/$name-$suite.txt" 2>&1
    done
    for suite in textbook public-textbook; do
        taskset -c "$core" $S benchmark benchmarks/suites/$suite.jsonl --engines model --checkpoint "$model" \
            --beam 10 --timeout 10 --without widen --out "$OUT/$name-$suite" > "$OUT/$name-$suite.log" 2>&1
    done
}
run_eval 0 "$2" "$3" &
run_eval 1 "$4" "$5" &
wait
