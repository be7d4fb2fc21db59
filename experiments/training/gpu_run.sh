#!/bin/bash
# One GPU lease (session 18, 2026-12-04): train a Transformer on data made on the CPU VM, while the
# lease machine's spare cores generate more; a second phase resumes the run with that data added.
#
#   run from the repository root on the device machine, data carried as .gpu/data.tar.xz:
#     OUT=$OUT bash experiments/training/gpu_run.sh
#   a dry run here (CPU, seconds): A_MIN=0.2 B_MIN=0.4 GEN_N=50 D_MODEL=32 LAYERS=1 OUT=/tmp/o bash ...
#
# Phase A trains A_MIN minutes on the carried data (data/g18: the reference distribution, made by
# experiments/training/gpu_data.sh); meanwhile 15 of the lease machine's 16 cores generate more ode1,
# bwd and ode2 (seeds 303, 311, 304).  Phase B (--resume, more --data)
# continues to B_MIN minutes of training in all.  Each phase runs under `timeout`, so a slow
# machine still leaves time to export: the weights (bfloat16), the metrics and the logs go to $OUT.
set -u
OUT=${OUT:?set OUT}
A_MIN=${A_MIN:-3.2}
B_MIN=${B_MIN:-7.0}
A_LIMIT=${A_LIMIT:-250}     # seconds each phase may take, load and save included
B_LIMIT=${B_LIMIT:-270}
GEN_N=${GEN_N:-200000}
GEN_WORKERS_ODE=${GEN_WORKERS_ODE:-8}
GEN_WORKERS_BWD=${GEN_WORKERS_BWD:-5}
GEN_WORKERS_ODE2=${GEN_WORKERS_ODE2:-2}
D_MODEL=${D_MODEL:-256}
LAYERS=${LAYERS:-6}
MAX_TOKENS=${MAX_TOKENS:-48000}
PY=${PY:-python3}
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1 OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log"; }

log "start; $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>&1 | head -1)"
$PY -c "import torch, sympy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'sympy', sympy.__version__)" 2>&1 | tee -a "$OUT/run.log"
[ -d data/g18 ] || tar xf .gpu/data.tar.xz || { log "no data"; exit 2; }

EX=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EX="$EX --exclude ${s%/}"; done
DATA_A=""
for d in data/g18/*/ data/written/; do [ -d "$d" ] && DATA_A="$DATA_A --data ${d%/}"; done
log "phase A data:$DATA_A"

mkdir -p data/dev
own_ode=""; own_bwd=""  # the carried training data of the same family, never regenerated
for d in data/g18/ode1-lc*/ data/g18v/ode1-lc/; do [ -d "$d" ] && own_ode="$own_ode --exclude ${d%/}"; done
for d in data/g18/bwd-lc*/ data/g18v/bwd-lc/; do [ -d "$d" ] && own_bwd="$own_bwd --exclude ${d%/}"; done
set -m  # each background job in its own process group, so that it can be stopped with its workers
$PY -m symseq generate --task ode1 --n "$GEN_N" --seed 303 --style lc --workers "$GEN_WORKERS_ODE" --chunk-size 200 \
    $EX $own_ode --out data/dev/ode1-lc > "$OUT/gen-ode1.log" 2>&1 &
GEN_ODE=$!
$PY -m symseq generate --task bwd --n "$GEN_N" --seed 311 --style lc --simplify-prob 0 --chunk-size 500 \
    --workers "$GEN_WORKERS_BWD" $EX $own_bwd --out data/dev/bwd-lc > "$OUT/gen-bwd.log" 2>&1 &
GEN_BWD=$!
$PY -m symseq generate --task ode2 --n "$GEN_N" --seed 304 --style lc --workers "$GEN_WORKERS_ODE2" --chunk-size 100 \
    $EX --out data/dev/ode2-lc > "$OUT/gen-ode2.log" 2>&1 &
GEN_ODE2=$!
set +m

COMMON="--valid data/g18v/bwd-lc --valid data/g18v/ode1-lc --arch transformer --d-model $D_MODEL
 --layers $LAYERS --heads 8 --dropout 0.1 --max-tokens $MAX_TOKENS --lr 7e-4 --warmup 1000 --bf16
 --label-smoothing 0.1 --eval-every 1000 --log-every 50 --checkpoint-minutes 1.5 --snapshot-at 3 --no-progress $EX
 --out runs/gpu"
timeout -s TERM "$A_LIMIT" $PY -m symseq train $DATA_A $COMMON --minutes "$A_MIN" > "$OUT/train-a.log" 2>&1
log "phase A exit $?"
kill -TERM -- -"$GEN_ODE" -"$GEN_BWD" -"$GEN_ODE2" 2> /dev/null
sleep 3
kill -KILL -- -"$GEN_ODE" -"$GEN_BWD" -"$GEN_ODE2" 2> /dev/null
DATA_B="$DATA_A"
for d in data/dev/*/; do ls "$d"part-*.txt > /dev/null 2>&1 && DATA_B="$DATA_B --data ${d%/}"; done
log "phase B data:$DATA_B; generated: $(cat data/dev/*/part-*.txt 2>/dev/null | wc -l) examples"
timeout -s TERM "$B_LIMIT" $PY -m symseq train $DATA_B $COMMON --minutes "$B_MIN" --resume > "$OUT/train-b.log" 2>&1
log "phase B exit $?"
cp runs/gpu/metrics.jsonl "$OUT/"
# at most 8 files of 16 MiB come back: the weights are split (cat them back together here)
for pair in "runs/gpu:model" "runs/gpu/at-3min:snap"; do
    src=${pair%%:*}; dst=$OUT/${pair##*:}
    $PY -m symseq export "$src" --out "$dst" --bf16 >> "$OUT/export.log" 2>&1 || log "export of $src failed"
    [ -f "$dst/model.safetensors" ] && split -b 15M "$dst/model.safetensors" "$dst/model.safetensors.part-" \
        && rm "$dst/model.safetensors"
done
log "export: $(ls -l "$OUT"/model "$OUT"/snap 2>&1 | tr '\n' ' ')"
for f in export.log train-a.log train-b.log gen-ode1.log gen-bwd.log gen-ode2.log; do
    [ -f "$OUT/$f" ] && { echo "=== $f"; tail -c 20000 "$OUT/$f"; } >> "$OUT/run.log" && rm "$OUT/$f"
done
