#!/bin/bash
# Issues 14/15: the hybrid (model + every engine, raced; repair) on every suite, and the
# ablations (each part switched off), 10 s per problem, verified, one problem at a time so the
# race has both cores.  Resumable: rerun it.  The engines alone: experiments/engines/engines.sh and
# experiments/engines/engines_public.sh.
#   nohup bash experiments/engines/hybrid.sh > logs/hybrid.log 2>&1 &
set -e
S=.venv/bin/symseq
OUT=${OUT:-results/hybrid}
ALL="benchmarks/suites/textbook.jsonl benchmarks/suites/public-textbook.jsonl benchmarks/suites/public-hard.jsonl
     benchmarks/suites/lc-bwd benchmarks/suites/lc-ode1"
$S benchmark $ALL --limit ${LIMIT:-100} --engines hybrid --beam 10 --timeout 10 --out $OUT
# the model alone where experiments/engines/engines_public.sh did not run it
$S benchmark benchmarks/suites/textbook.jsonl benchmarks/suites/lc-bwd benchmarks/suites/lc-ode1 \
  --limit ${LIMIT:-100} --engines model --beam 10 --timeout 10 --out $OUT
ABL="benchmarks/suites/public-hard.jsonl benchmarks/suites/lc-bwd"
for part in ${ABLATIONS:-repair strategies cas}; do
  $S benchmark $ABL --limit ${ABLATION_LIMIT:-40} --engines hybrid --without $part --beam 10 --timeout 10 --out $OUT
done
