#!/bin/bash
# The second, short call of the session-18 lease: continue gpu_run.sh's model (--init-from its
# export, carried in .gpu/prev) with 5x larger batches.  The first call ran at 0.28-0.5 s per
# 48k-token step (80-170k tokens/s), far below the GPU's compute: the step time is per-kernel
# overhead (the lease runs under gVisor), so larger batches come nearly free.  No generation beside
# it (in the first call it slowed the steps further).
set -u
OUT=${OUT:?set OUT}
PY=${PY:-python3}
MIN=${MIN:-2.9}
LIMIT=${LIMIT:-215}
MAX_TOKENS=${MAX_TOKENS:-250000}
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
mkdir -p "$OUT" runs/prev
[ -d data/g18 ] || tar xf .gpu/data.tar.xz
cp .gpu/prev/config.json runs/prev/ && cat .gpu/prev/model.safetensors.part-* > runs/prev/model.safetensors
EX=""
for s in benchmarks/suites/*/ benchmarks/suites/*.jsonl; do EX="$EX --exclude ${s%/}"; done
DATA=""
for d in data/g18/*/ data/written/; do [ -d "$d" ] && DATA="$DATA --data ${d%/}"; done
echo "[$(date +%T)] start: $DATA" > "$OUT/run.log"
timeout -s TERM "$LIMIT" $PY -m symseq train $DATA --valid data/g18v/bwd-lc --valid data/g18v/ode1-lc \
    --init-from runs/prev --max-tokens "$MAX_TOKENS" --lr 1e-3 --warmup 100 --bf16 --label-smoothing 0.1 \
    --eval-every 100000 --log-every 10 --checkpoint-minutes 100 --threads 4 --no-progress $EX \
    --minutes "$MIN" --out runs/gpu2 >> "$OUT/run.log" 2>&1
echo "[$(date +%T)] train exit $?" >> "$OUT/run.log"
cp runs/gpu2/metrics.jsonl "$OUT/"
$PY -m symseq export runs/gpu2 --out "$OUT/model" --bf16 >> "$OUT/run.log" 2>&1
split -b 15M "$OUT/model/model.safetensors" "$OUT/model/model.safetensors.part-" && rm "$OUT/model/model.safetensors"
echo "[$(date +%T)] done" >> "$OUT/run.log"
