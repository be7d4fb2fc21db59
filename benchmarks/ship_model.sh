#!/bin/bash
# How checkpoints/default was made (session 2, 2026-11-25), from the repository root:
#   bash benchmarks/ship_model.sh
# Every step resumes if interrupted (rerun the script).  Needs `make venv`.
set -e
S=.venv/bin/symseq
export OMP_WAIT_POLICY=PASSIVE

# Stage 1 (8 min, 1 thread): the architecture comparison's LSTM + Bahdanau run on bwd <= 6 ops.
.venv/bin/python benchmarks/architectures.py --minutes 8 --threads 1 --only "LSTM + Bahdanau attention" --out runs/arch

# Stage 2 data: Lample & Charton's settings, seeds < 1000, no shipped suite question.
EX="--exclude benchmarks/suites/bwd --exclude benchmarks/suites/bwd-coef --exclude benchmarks/suites/bwd-sum --exclude benchmarks/suites/bwd-longer --exclude data/learn-bwd6/test"
$S generate --task bwd --n 80000 --seed 11 --workers 2 $EX --out data/mix/bwd
$S generate --task ode1 --n 40000 --seed 13 --workers 2 --exclude benchmarks/suites/ode1 --out data/mix/ode1
$S generate --task ibp --n 20000 --seed 12 --workers 2 --exclude benchmarks/suites/ibp --out data/mix/ibp
$S generate --task ode2 --n 4000 --seed 14 --workers 2 --exclude benchmarks/suites/ode2 --out data/mix/ode2
$S generate --task bwd --n 500 --seed 21 --workers 2 $EX --exclude data/mix/bwd --out data/mix-valid/bwd
$S generate --task ode1 --n 300 --seed 23 --workers 2 --exclude benchmarks/suites/ode1 --exclude data/mix/ode1 --out data/mix-valid/ode1

# Stage 2 (50 min, 1 thread): warm start from stage 1 on the mix plus 60 chunks of the bwd <= 6 data.
B6=$(ls data/learn-bwd6/train/part-* | head -60 | sed 's/^/--data /' | tr '\n' ' ')
RESUME=$([ -f runs/mix-lstm/resume.json ] && echo --resume || echo "--init-from runs/arch/lstm--bahdanau-attention")
$S train --data data/mix/bwd --data data/mix/ibp --data data/mix/ode1 --data data/mix/ode2 $B6 \
  --valid data/mix-valid/bwd --valid data/mix-valid/ode1 $RESUME \
  --minutes 50 --max-tokens 4000 --lr 1e-3 --warmup 300 --bf16 --label-smoothing 0 \
  --eval-every 500 --log-every 100 --checkpoint-minutes 5 --threads 1 --no-progress --out runs/mix-lstm
$S export runs/mix-lstm --out checkpoints/default --fp32
