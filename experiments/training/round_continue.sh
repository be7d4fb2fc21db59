#!/bin/bash
# Issue 28, round 3 (session 28): more compute on the base recipe.  Rounds 1 and 2 fine-tuned 45
# minutes on new kinds of data; this round asks what the shipped model gains from a longer run on
# fresh problems of its own mix (new seeds, nothing repeated): the base run's curve gave +8.6 points
# of lc-bwd per doubling of training time.  A small distillation keeps round 1's textbook forms.
# From the repository root, after `make venv`:
#   bash experiments/training/round_continue.sh            # data, then MINUTES of training on core 0
#   bash experiments/training/round_continue.sh eval       # shipped vs continued, model alone (runs/eval28)
# Every step resumes if interrupted (rerun it); every suite is excluded by question.
set -e
S=.venv/bin/symseq
W=${WORKERS:-2}
MINUTES=${MINUTES:-90}
OUT=${OUT:-runs/continue3}
BASE=${BASE:-checkpoints/default}
export OMP_WAIT_POLICY=PASSIVE
EX=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EX="$EX --exclude ${s%/}"; done

if [ "$1" = eval ]; then  # one model per core, each pinned
    bash experiments/training/eval_pair.sh runs/eval28 "$BASE" shipped "$OUT/model" continue3
    exit 0
fi

D=data/r3
$S generate --task bwd --n 60000 --seed 172 --style lc --simplify-prob 0 --workers $W $EX --out $D/bwd-lc
$S generate --task ode1 --n 16000 --seed 173 --style lc --workers $W $EX --out $D/ode1-lc
$S generate --task nat --n 2000 --seed 171 --style lc --workers $W $EX --out $D/nat
$S generate --task ibp --n 2000 --seed 175 --style lc --workers $W $EX --out $D/ibp-lc
$S generate --task ode2 --n 1000 --seed 174 --style lc --workers $W $EX --out $D/ode2-lc
$S generate --task bwd --n 1000 --seed 176 --style lc --simplify-prob 1 --workers $W $EX --out $D/bwd-simple
$S distill --draws 600 --seed 33 $EX --out $D/written
$S generate --task bwd --n 400 --seed 121 --style lc --workers $W $EX --exclude $D/bwd-lc \
    --exclude $D/bwd-simple --out $D-valid/bwd-lc

resume=""
if [ -f "$OUT/resume.json" ]; then resume=--resume; else resume="--init-from $BASE"; fi
taskset -c 0 $S train --data $D/bwd-lc --data $D/ode1-lc --data $D/nat --data $D/ibp-lc --data $D/ode2-lc \
    --data $D/bwd-simple --data $D/written --valid $D-valid/bwd-lc \
    --arch lstm --attention bahdanau --d-model 128 --layers 2 --max-tokens 4000 --warmup 300 \
    --label-smoothing 0 --lr 0.0005 --bf16 --threads 1 --eval-every 2000 --log-every 100 \
    --checkpoint-minutes 4 --no-progress $EX --minutes "$MINUTES" $resume --out "$OUT" \
    --snapshot-at 30 --snapshot-at 60
$S export "$OUT" --out "$OUT/model" --fp32
