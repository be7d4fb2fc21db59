#!/bin/bash
# How checkpoints/default was made (sessions 6-7, 2026-11-26), from the repository root:
#   bash experiments/training/ship_model.sh
# Every step resumes if interrupted (rerun the script).  Needs `make venv`.
#
# The fair race's winner (experiments/training/arch_race.py: LSTM + Bahdanau attention, width 128, lr 2e-3,
# bf16), trained from scratch on one thread on the issue-13 mix, which grew twice during the run
# (a --resume with more --data keeps the weights, optimizer, schedule and step):
#   minutes   0-66  the mix of experiments/training/train_generalize.sh (the race's run, continued)
#   minutes  66-96  + 150,000 more bwd of the reference distribution (seed 107)
#   minutes 96-140  + 30,000 more ode1 of the reference distribution (seed 108)
# Stage ends are wall-clock minutes, so a rerun is close to the shipped weights, not identical.
# Seeds below 1000, disjoint from every suite's; every suite is excluded by question.
#
# Beyond the shipped 140 minutes (session 8, not shipped unless measurably better):
#   UNTIL=240 EXPORT=runs/ship-export bash experiments/training/ship_model.sh
# continues the run on the same mix as minutes 96-140, to test the learning curve's
# extrapolation (experiments/training/ship_curve.py) on the data it was fitted on; training stops at UNTIL
# minutes (snapshots every 20).  The inverse-square-root schedule needs no run length, so a
# continuation is seamless.
set -e
S=.venv/bin/symseq
W=${WORKERS:-2}
UNTIL=${UNTIL:-140}
EXPORT=${EXPORT:-checkpoints/default}
export OMP_WAIT_POLICY=PASSIVE
# The data excludes the suites that existed when it was made (a dataset resumes only with the
# same settings, so this list is fixed); training excludes every suite there is now.
EX=""
for s in bwd-7to9 bwd-bigint bwd-coef bwd-longer bwd-sum bwd bwd6 fwd ibp lc-bwd lc-ode1 ode1 ode2; do
    EX="$EX --exclude benchmarks/suites/$s"
done
EX="$EX --exclude benchmarks/suites/textbook.jsonl"
EXTRAIN=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EXTRAIN="$EXTRAIN --exclude ${s%/}"; done

$S generate --task bwd --n 60000 --seed 102 --style lc --simplify-prob 0 --workers $W $EX --out data/gen/bwd-lc
$S generate --task ode1 --n 40000 --seed 103 --style lc --workers $W $EX --out data/gen/ode1-lc
$S generate --task ibp --n 6000 --seed 105 --style lc --workers $W $EX --out data/gen/ibp-lc
$S generate --task ode2 --n 2000 --seed 104 --style lc --workers $W $EX --out data/gen/ode2-lc
$S generate --task nat --n 3000 --seed 106 --style lc --workers $W $EX --out data/gen/nat
$S generate --task bwd --n 4000 --seed 101 --style lc --simplify-prob 1 --workers $W $EX --out data/gen/bwd-simple
$S generate --task bwd --n 400 --seed 121 --style lc --workers $W $EX --exclude data/gen/bwd-lc --exclude data/gen/bwd-simple --out data/gen-valid/bwd-lc
$S generate --task ode1 --n 300 --seed 123 --style lc --workers $W $EX --exclude data/gen/ode1-lc --out data/gen-valid/ode1-lc
$S generate --task bwd --n 150000 --seed 107 --style lc --simplify-prob 0 --workers $W $EX --exclude data/gen/bwd-lc --exclude data/gen-valid/bwd-lc --out data/gen/bwd-lc2
$S generate --task ode1 --n 30000 --seed 108 --style lc --workers $W $EX --exclude data/gen/ode1-lc --exclude data/gen-valid/ode1-lc --out data/gen/ode1-lc2

stage() {  # stage MINUTES DATA...: train (or continue) runs/ship up to MINUTES of training in all
    local minutes=$1
    shift
    local resume=""
    if [ -f runs/ship/resume.json ]; then resume=--resume; fi
    taskset -c 0 $S train "$@" --valid data/gen-valid/bwd-lc --valid data/gen-valid/ode1-lc \
        --arch lstm --attention bahdanau --d-model 128 --layers 2 --max-tokens 4000 --warmup 300 \
        --label-smoothing 0 --lr 0.002 --bf16 --threads 1 --eval-every 2000 --log-every 100 \
        --checkpoint-minutes 4 --no-progress $EXTRAIN --minutes "$minutes" $resume --out runs/ship \
        --snapshot-at 8 --snapshot-at 20 --snapshot-at 40 --snapshot-at 60 --snapshot-at 80 \
        --snapshot-at 100 --snapshot-at 120 --snapshot-at 140 --snapshot-at 160 --snapshot-at 180 \
        --snapshot-at 200 --snapshot-at 220 --snapshot-at 240
}
stage 66.4 --data data/gen/bwd-lc --data data/gen/bwd-simple --data data/gen/nat --data data/gen/ode1-lc \
    --data data/gen/ibp-lc --data data/gen/ode2-lc
stage 95.5 --data data/gen/bwd-lc --data data/gen/bwd-lc2 --data data/gen/bwd-simple --data data/gen/nat \
    --data data/gen/ode1-lc --data data/gen/ibp-lc --data data/gen/ode2-lc
MIX="--data data/gen/bwd-lc --data data/gen/bwd-lc2 --data data/gen/bwd-simple --data data/gen/nat
    --data data/gen/ode1-lc --data data/gen/ode1-lc2 --data data/gen/ibp-lc --data data/gen/ode2-lc"
stage 140 $MIX
if [ "$UNTIL" != 140 ]; then stage "$UNTIL" $MIX; fi  # the continuation: the same mix
$S export runs/ship --out "$EXPORT" --fp32
