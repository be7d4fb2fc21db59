#!/bin/bash
# Issue 14/15: every engine alone and the model alone on the public suites (Rubi's tests;
# measurement only), 10 s per problem, verified.  Resumable: rerun it.
#   nohup taskset -c 1 bash experiments/engines/engines_public.sh > logs/engines-public.log 2>&1 &
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/engines}
P="benchmarks/suites/public-textbook.jsonl benchmarks/suites/public-hard.jsonl"
$S benchmark $P --engines sympy,fricas,maxima --timeout 10 --out $OUT/public
$S benchmark $P --engines model --beam 10 --timeout 10 --out $OUT/public
