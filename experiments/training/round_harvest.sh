#!/bin/bash
# Issue 28, round 2 (session 27): expert iteration.  Fresh problems of our generators (never trained
# on, every suite and every earlier training set excluded) go to the shipped model alone; those it
# misses go to the whole race (`symseq harvest`), and the race's verified answers become training
# pairs.  The shipped model is then fine-tuned on those pairs, fresh replay of its mix and the
# round-1 distilled pairs.  From the repository root, after `make venv`:
#   bash experiments/training/round_harvest.sh            # probes, harvest, data, MINUTES of training
#   bash experiments/training/round_harvest.sh eval       # shipped vs fine-tuned, model alone (runs/eval27)
# Every step resumes if interrupted (rerun it).  Needs round 1's data (round_distill.sh) for the
# distilled pairs and the exclusions.
set -e
S=.venv/bin/symseq
W=${WORKERS:-2}
MINUTES=${MINUTES:-45}
OUT=${OUT:-runs/harvest2}
BASE=${BASE:-checkpoints/default}  # the model harvested and fine-tuned (round 1's, shipped in session 26)
export OMP_WAIT_POLICY=PASSIVE
EX=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EX="$EX --exclude ${s%/}"; done

if [ "$1" = eval ]; then  # one model per core, each pinned
    bash experiments/training/eval_pair.sh runs/eval27 "$BASE" shipped "$OUT/model" harvest2
    exit 0
fi

R1=""
for d in data/r1/*; do R1="$R1 --exclude $d"; done
# the probes: what the shipped model is asked (600 + 600 + 400 problems)
$S generate --task bwd --n 600 --seed 152 --style lc --simplify-prob 0 --workers $W $EX $R1 --out data/r2/probe-bwd-lc
$S generate --task ode1 --n 600 --seed 153 --style lc --workers $W $EX $R1 --out data/r2/probe-ode1-lc
$S generate --task nat --n 400 --seed 151 --style lc --workers $W $EX $R1 --out data/r2/probe-nat
for s in bwd-lc ode1-lc nat; do
    $S harvest data/r2/probe-$s --checkpoint "$BASE" --workers $W --timeout 10 --out data/r2/harvest-$s
done
# fresh ODEs and natural-form integrals (new seeds, the probes excluded too); round 1's data as replay
P=""
for d in data/r2/probe-*; do P="$P --exclude $d"; done
$S generate --task ode1 --n 12000 --seed 163 --style lc --workers $W $EX $R1 $P --out data/r2/ode1-lc
$S generate --task nat --n 3000 --seed 161 --style lc --workers $W $EX $R1 $P --out data/r2/nat

resume=""
if [ -f "$OUT/resume.json" ]; then resume=--resume; else resume="--init-from $BASE"; fi
taskset -c 0 $S train --data data/r2/harvest-bwd-lc/pairs --data data/r2/harvest-ode1-lc/pairs \
    --data data/r2/harvest-nat/pairs --data data/r2/ode1-lc --data data/r2/nat --data data/r1/written \
    --data data/r1/bwd-lc --data data/r1/ibp-lc --data data/r1/bwd-simple \
    --valid data/r1-valid/bwd-lc --valid data/r1-valid/written \
    --arch lstm --attention bahdanau --d-model 128 --layers 2 --max-tokens 4000 --warmup 300 \
    --label-smoothing 0 --lr 0.0005 --bf16 --threads 1 --eval-every 1000 --log-every 100 \
    --checkpoint-minutes 4 --no-progress $EX --minutes "$MINUTES" $resume --out "$OUT" \
    --snapshot-at 20
$S export "$OUT" --out "$OUT/model" --fp32
