#!/bin/bash
# Session 3's warm-start run (runs/generalize), not shipped: superseded by experiments/training/ship_model.sh,
# which trains the fair race's winner from scratch on this data plus more.
# Issue 13: a model that generalizes.  The data mix moves toward Lample & Charton's
# distribution (--style lc: positive integers, ODEs as expanded numerators) and toward
# integrands as people write them (--simplify-prob 1: SymPy's simplify() of F'; task nat:
# textbook kinds of antiderivative, differentiated and simplified), then the
# shipped LSTM is trained further on it (warm start), resumably.  From the repository root:
#   nohup bash experiments/training/train_generalize.sh > logs/generalize.log 2>&1 &
# Sizes: N_NAT, N_SIMPLE, N_IBP, N_ODE2 (a rerun with larger values extends those datasets).
# Every step resumes if interrupted: rerun the script (a later session continues the training
# up to MINUTES of training in all).  Seeds 101-125: disjoint from the shipped model's (11-23)
# and from the suites' (>= 1000); every suite is excluded by question.
set -e
S=.venv/bin/symseq
W=${WORKERS:-2}
MINUTES=${MINUTES:-240}
THREADS=${THREADS:-2}
EX=""
for s in benchmarks/suites/*/; do EX="$EX --exclude ${s%/}"; done
EX="$EX --exclude benchmarks/suites/textbook.jsonl"  # the datasets were made with these excluded
EXTRAIN="$EX"  # training also drops the questions of every later suite (public-*) at load time
for s in benchmarks/suites/*.jsonl; do EXTRAIN="$EXTRAIN --exclude $s"; done

$S generate --task bwd --n 60000 --seed 102 --style lc --simplify-prob 0 --workers $W $EX --out data/gen/bwd-lc
$S generate --task ode1 --n 40000 --seed 103 --style lc --workers $W $EX --out data/gen/ode1-lc
$S generate --task ibp --n ${N_IBP:-6000} --seed 105 --style lc --workers $W $EX --out data/gen/ibp-lc
$S generate --task ode2 --n ${N_ODE2:-2000} --seed 104 --style lc --workers $W $EX --out data/gen/ode2-lc
$S generate --task nat --n ${N_NAT:-3000} --seed 106 --style lc --workers $W $EX --out data/gen/nat
$S generate --task bwd --n ${N_SIMPLE:-4000} --seed 101 --style lc --simplify-prob 1 --workers $W $EX --out data/gen/bwd-simple
$S generate --task bwd --n 400 --seed 121 --style lc --workers $W $EX --exclude data/gen/bwd-lc --exclude data/gen/bwd-simple --out data/gen-valid/bwd-lc
$S generate --task ode1 --n 300 --seed 123 --style lc --workers $W $EX --exclude data/gen/ode1-lc --out data/gen-valid/ode1-lc

RESUME=$([ -f runs/generalize/resume.json ] && echo --resume || echo "--init-from checkpoints/default")
$S train --data data/gen/bwd-lc --data data/gen/bwd-simple --data data/gen/nat --data data/gen/ode1-lc \
  --data data/gen/ibp-lc --data data/gen/ode2-lc --valid data/gen-valid/bwd-lc --valid data/gen-valid/ode1-lc $RESUME \
  --minutes $MINUTES --max-tokens 4000 --lr 5e-4 --warmup 300 --bf16 --label-smoothing 0 \
  --eval-every 1000 --log-every 100 --checkpoint-minutes 5 --threads $THREADS --no-progress $EXTRAIN --out runs/generalize
