#!/bin/bash
# Issue 28, a CPU round (session 26): the shipped model fine-tuned on integrals as textbooks write
# them, answered by FriCAS and Maxima (`symseq distill`), with replay of its own mix so that it does
# not forget the reference distributions.  From the repository root, after `make venv`:
#   bash experiments/training/round_distill.sh            # data, then MINUTES of training
#   bash experiments/training/round_distill.sh eval       # shipped vs fine-tuned, model alone (runs/eval26)
# Every step resumes if interrupted (rerun it).  Seeds differ from every suite's; every suite
# (public collections and hand-written ones included) is excluded by question, in the data and
# again in training.
set -e
S=.venv/bin/symseq
W=${WORKERS:-2}
MINUTES=${MINUTES:-45}
DRAWS=${DRAWS:-2400}
OUT=${OUT:-runs/distill1}
export OMP_WAIT_POLICY=PASSIVE
EX=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EX="$EX --exclude ${s%/}"; done

if [ "$1" = eval ]; then  # as measured: one model after the other, each pinned to core 1
    mkdir -p runs/eval26
    for pair in checkpoints/default:shipped "$OUT/model":distill1; do
        model=${pair%:*}
        name=${pair#*:}
        for suite in lc-bwd lc-ode1 nat; do
            taskset -c 1 $S eval "$model" benchmarks/suites/$suite --limit 200 --beam 10 > runs/eval26/$name-$suite.txt 2>&1
        done
        for suite in textbook public-textbook; do
            taskset -c 1 $S benchmark benchmarks/suites/$suite.jsonl --engines model --checkpoint "$model" --beam 10 \
                --timeout 10 --without widen --out runs/eval26/$name-$suite > runs/eval26/$name-$suite.log 2>&1
        done
    done
    exit 0
fi

$S distill --draws "$DRAWS" --seed 31 $EX --out data/r1/written
$S generate --task nat --n 3000 --seed 131 --style lc --workers $W $EX --out data/r1/nat
# replay: the shipped model's own recipe and seeds (experiments/training/ship_model.sh), fewer of each
$S generate --task bwd --n 40000 --seed 102 --style lc --simplify-prob 0 --workers $W $EX --out data/r1/bwd-lc
$S generate --task bwd --n 1000 --seed 101 --style lc --simplify-prob 1 --workers $W $EX --out data/r1/bwd-simple
$S generate --task ode1 --n 8000 --seed 103 --style lc --workers $W $EX --out data/r1/ode1-lc
$S generate --task ibp --n 2000 --seed 105 --style lc --workers $W $EX --out data/r1/ibp-lc
$S generate --task bwd --n 400 --seed 121 --style lc --workers $W $EX --exclude data/r1/bwd-lc \
    --exclude data/r1/bwd-simple --out data/r1-valid/bwd-lc
$S distill --draws 200 --seed 32 $EX --exclude data/r1/written --out data/r1-valid/written

# one thread on one core: --threads 2 ran this LSTM at 5,500 tokens/s with half the time in the kernel,
# one thread at 9,200
resume=""
if [ -f "$OUT/resume.json" ]; then resume=--resume; else resume="--init-from checkpoints/default"; fi
taskset -c 0 $S train --data data/r1/written --data data/r1/nat --data data/r1/bwd-lc --data data/r1/bwd-simple \
    --data data/r1/ode1-lc --data data/r1/ibp-lc --valid data/r1-valid/bwd-lc --valid data/r1-valid/written \
    --arch lstm --attention bahdanau --d-model 128 --layers 2 --max-tokens 4000 --warmup 300 \
    --label-smoothing 0 --lr 0.0005 --bf16 --threads 1 --eval-every 1000 --log-every 100 \
    --checkpoint-minutes 4 --no-progress $EX --minutes "$MINUTES" $resume --out "$OUT" \
    --snapshot-at 20 --snapshot-at 40
$S export "$OUT" --out "$OUT/model" --fp32
