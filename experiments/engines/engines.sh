#!/bin/bash
# Issue 14/15: every engine alone on the same problems (10 s each, verified), the data behind the
# race's schedule (symseq/solve/schedule.py) and the README's engine table.  Resumable: rerun it.
#   nohup taskset -c 0 bash experiments/engines/engines.sh > logs/engines.log 2>&1 &
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/engines}
T=${TIMEOUT:-10}
INT="benchmarks/suites/textbook.jsonl benchmarks/suites/lc-bwd"
ODE="benchmarks/suites/lc-ode1 benchmarks/suites/ode2"
$S benchmark $INT --limit ${LIMIT:-150} --engines sympy,fricas,maxima --timeout $T --out $OUT/integrate
$S benchmark $ODE --limit ${LIMIT:-150} --engines sympy,fricas,maxima --timeout $T --out $OUT/ode
