#!/bin/bash
# The shipped model's learning curve on the other two suites of issue 13's targets (session 8):
# lc-ode1 (first 100, as the race's curve points) and the textbook suite (all 160), each snapshot
# beam 10, every candidate verified; one core.  Then: python experiments/training/ship_curve.py --suites
# lc-bwd bwd lc-ode1 textbook --target lc-bwd=85 --target lc-ode1=50 --target textbook=50
set -e
export OMP_WAIT_POLICY=PASSIVE
CPU=${CPU:-1}
snapshot() {  # the run folder of the snapshot at minute $1
    if [ "$1" -le 40 ]; then echo runs/race/lstm-bahdanau-lr0.002/at-$1min; else echo runs/ship/at-$1min; fi
}
for m in 8 20 40 60 80 100 120 140; do
    s=$(snapshot $m)
    out=results/ship-eval/curve/ship-${m}min-lc-ode1.json
    [ -f "$out" ] || taskset -c $CPU .venv/bin/python experiments/training/arch_race.py --evaluate "$s" benchmarks/suites/lc-ode1 100 "$out"
    taskset -c $CPU .venv/bin/symseq benchmark benchmarks/suites/textbook.jsonl --engines model --beam 10 \
        --checkpoint "$s" --out results/ship-eval/curve-bench/ship-${m}min-textbook > /dev/null 2>&1
    echo "minute $m done"
done
