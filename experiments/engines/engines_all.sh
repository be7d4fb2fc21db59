#!/bin/bash
# Issue 15: SymPy, Maxima, FriCAS, the model and the hybrid on every shipped suite that
# experiments/engines/race_speed.sh does not cover (first LIMIT problems; two problems at a time, so for
# accuracy only: times are not comparable with race_speed.sh's).  Resumable: rerun it.
#   nohup bash experiments/engines/engines_all.sh > logs/engines-all.log 2>&1 &
#   python experiments/engines/engine_table.py results/engines-all
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/engines-all}
SUITES=""
for s in bwd bwd6 bwd-7to9 bwd-bigint bwd-coef bwd-longer bwd-sum fwd ibp ode1 ode2; do SUITES="$SUITES benchmarks/suites/$s"; done
$S benchmark $SUITES --limit ${LIMIT:-30} --engines sympy,maxima,fricas,model,hybrid --beam 10 --timeout 10 \
  --workers ${WORKERS:-2} --out $OUT
