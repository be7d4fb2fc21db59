#!/bin/bash
# Issue 15's time target: SymPy, FriCAS, Maxima alone and the hybrid on the same problems, one
# problem at a time on both cores (interleaved per problem, nothing else running), sandbox
# workers and CAS sessions warm as in every benchmark.  Resumable: rerun it.  Then
#   python experiments/engines/engine_table.py results/race
#   nohup bash experiments/engines/race_speed.sh > logs/race.log 2>&1 &
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/race}
ALL="benchmarks/suites/textbook.jsonl benchmarks/suites/public-textbook.jsonl benchmarks/suites/public-hard.jsonl
     benchmarks/suites/lc-bwd benchmarks/suites/lc-ode1"
$S benchmark $ALL --limit ${LIMIT:-100} --engines sympy,fricas,maxima,hybrid --beam 10 --timeout 10 --out $OUT
