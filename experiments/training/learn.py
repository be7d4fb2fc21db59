"""Learning efficiency: what the default recipe reaches in a fixed CPU budget on bwd (<= 6 ops).

1. Data (once, reused): bwd problems with at most 6 operators -- training set, a validation set
   and a 300-problem test set, both generated with ``--exclude`` of the training set so no test
   question occurs in training.
2. Train the recipe below for ``--minutes`` through ``symseq.nn.train``.
3. Decode the test set: greedy exact match (the answer's tokens equal the reference), beam-K
   "screened" accuracy (some candidate's derivative equals the integrand at 40 sample points),
   and beam-K verified accuracy with the full verifier (``symseq.solve.verifier``: screen, adaptive-precision
   confirmation, symbolic proof), split into proved and numeric-only.

    python experiments/training/learn.py --minutes 60 --out runs/learn60
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import torch  # noqa: E402

from symseq.bench.evaluate import bwd6_data, evaluate_run  # noqa: E402
from symseq.nn.models import TransformerConfig  # noqa: E402
from symseq.nn.train import TrainConfig, train  # noqa: E402

RECIPE_MODEL = TransformerConfig(d_model=256, n_heads=8, enc_layers=4, dec_layers=4, d_ff=1024)
RECIPE = dict(max_tokens=6000, lr=7e-4, warmup=400, bf16=True, label_smoothing=0.0,
              eval_every=200, log_every=50, checkpoint_minutes=5.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--n-train", type=int, default=150_000)
    ap.add_argument("--data", type=Path, default=Path("data/learn-bwd6"))
    ap.add_argument("--beam", type=int, default=10)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--eval-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    t = time.perf_counter()
    paths = bwd6_data(args.data, args.n_train)
    print(f"# data ready in {time.perf_counter() - t:.0f} s", flush=True)
    if not args.eval_only:
        cfg = TrainConfig(data=(str(paths["train"]),), valid=(str(paths["valid"]),),
                          minutes=args.minutes, **RECIPE)
        resume = (args.out / "config.json").exists()
        train(RECIPE_MODEL, cfg, args.out, resume=resume)
    result = evaluate_run(args.out, paths["test"], args.beam)
    result["minutes"] = args.minutes if not args.eval_only else None
    result["recipe"] = {"model": RECIPE_MODEL.__dict__, **RECIPE}
    print(json.dumps(result, indent=1))
    (args.out / "learn_result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
