#!/bin/bash
# Issue 13, "the perturbation suites get the same treatment" (session 8): the robustness families
# (coefficients redrawn, sums of two, longer) for natural-form integrals and for Lample & Charton's
# distribution (benchmarks/make_suites.py --only natural --only lc; every training folder under
# data/gen excluded by question), then SymPy alone and the model alone (two problems at a time,
# one core each: accuracy only) and the hybrid (one problem at a time on both cores), first LIMIT
# problems of each.  Resumable: rerun it.
#   bash experiments/data/robustness.sh
#   python experiments/engines/engine_table.py results/robust-s8
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/robust-s8}
LIMIT=${LIMIT:-100}
export OMP_WAIT_POLICY=PASSIVE
EX=""
for d in data/gen/*/ data/gen-valid/*/; do [ -d "$d" ] && EX="$EX --exclude ${d%/}"; done
.venv/bin/python benchmarks/make_suites.py --only natural --only lc $EX --workers ${WORKERS:-2}
SUITES=""
for s in nat-coef nat-sum nat-longer lc-bwd-coef lc-bwd-sum; do SUITES="$SUITES benchmarks/suites/$s"; done
$S benchmark $SUITES --limit $LIMIT --engines sympy,model --beam 10 --timeout 10 --workers 2 --out $OUT
$S benchmark $SUITES --limit $LIMIT --engines hybrid --beam 10 --timeout 10 --out $OUT
