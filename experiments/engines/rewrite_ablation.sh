#!/bin/bash
# Issue 14, equivalent forms: the hybrid with and without the rewritten integrands, on the same
# problems, one problem at a time on both cores (nothing else running).  Resumable: rerun it.
#   nohup bash experiments/engines/rewrite_ablation.sh > logs/rewrite.log 2>&1 &
#   python experiments/engines/engine_table.py results/rewrite
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/rewrite}
SUITES="benchmarks/suites/public-hard.jsonl benchmarks/suites/lc-bwd benchmarks/suites/public-textbook.jsonl"
$S benchmark $SUITES --limit ${LIMIT:-100} --engines hybrid --beam 10 --timeout 10 --out $OUT
$S benchmark $SUITES --limit ${LIMIT:-100} --engines hybrid --without rewrite --beam 10 --timeout 10 --out $OUT
