"""Training throughput per architecture on this CPU, time outside the model step, and MFU.

For each architecture: train for ``--seconds`` on a bwd dataset (generated here if absent, at
most 6 operators) through the real training loop (``symseq.nn.train.train``), and read tokens/s
(real source + target tokens) and the data share of step time from its metrics.  For the
Transformer, model FLOPs per token are counted from the weight matrices each token passes
through (x6 for forward + backward) plus attention scores, and divided by the dense matmul
rate measured in the same run and dtype: model FLOPs utilisation.

    python experiments/training/train.py                     # all architectures, fp32 and bf16
    python experiments/training/train.py --archs transformer --dtypes bf16 --seconds 120
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from generators import ExprConfig  # noqa: E402
from symseq.data.batching import BatchStream  # noqa: E402
from symseq.data.generate import GenerateConfig, generate  # noqa: E402
from symseq.nn.models import RNNConfig, TransformerConfig, build_model  # noqa: E402
from symseq.nn.train import TrainConfig, train  # noqa: E402
from symseq.lang.vocab import Vocab  # noqa: E402

ARCHS = {
    "transformer": TransformerConfig(d_model=256, n_heads=8, enc_layers=4, dec_layers=4, d_ff=1024),
    "lstm-bahdanau": RNNConfig("lstm", 256, 2, "bahdanau"),
    "lstm-dot": RNNConfig("lstm", 256, 2, "dot"),
    "lstm-none": RNNConfig("lstm", 256, 2, "none"),
    "gru-bahdanau": RNNConfig("gru", 256, 2, "bahdanau"),
}


def matmul_flops(dtype: torch.dtype, n: int = 1024, seconds: float = 3.0) -> float:
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    for _ in range(3):
        a @ b
    count, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        a @ b
        count += 1
    return 2 * n**3 * count / (time.perf_counter() - t)


def transformer_flops_per_batch(cfg: TransformerConfig, vocab_size: int, S: int, T: int,
                                n_src: int, n_tgt: int) -> float:
    """Training FLOPs (fwd + bwd = 3x fwd) for n_src source and n_tgt target tokens."""
    d, f = cfg.d_model, cfg.d_ff
    enc_layer = 4 * d * d + 2 * d * f  # q, k, v, out + feed-forward (multiply-adds per token)
    dec_layer = 4 * d * d + 2 * d * d + 2 * d * f  # self-attn, cross q/out, feed-forward
    cross_kv = 2 * d * d  # per source token per decoder layer
    fwd = n_src * cfg.enc_layers * (enc_layer + 2 * d * S)  # + attention scores and values
    fwd += n_src * cfg.dec_layers * cross_kv
    fwd += n_tgt * cfg.dec_layers * (dec_layer + 2 * d * (T / 2) + 2 * d * S)
    fwd += n_tgt * d * vocab_size  # output layer
    return 3 * 2 * fwd


def ensure_data(path: Path) -> None:
    if not path.exists():
        generate(GenerateConfig(task="bwd", n=20000, seed=0, expr=ExprConfig(max_ops=6)), path,
                 workers=2)


def measure_mfu(cfg: TransformerConfig, data: Path, max_tokens: int, rate: float,
                tokens_per_s: float) -> float:
    """Average model FLOPs per real token on this data, times the measured token rate."""
    vocab = Vocab.from_grammar()
    flops = tokens = 0
    for i, b in enumerate(BatchStream([data], vocab, max_tokens, seed=0).epoch(0)):
        S, T = b.src.shape[1], b.tgt_in.shape[1]
        n_src = int(b.src_mask.sum())
        flops += transformer_flops_per_batch(cfg, len(vocab), S, T, n_src, b.n_tokens)
        tokens += b.n_real
        if i >= 200:
            break
    return (flops / tokens) * tokens_per_s / rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--archs", default=",".join(ARCHS))
    ap.add_argument("--dtypes", default="fp32,bf16")
    ap.add_argument("--seconds", type=float, default=75)
    ap.add_argument("--max-tokens", type=int, default=4000)
    ap.add_argument("--data", type=Path, default=Path("data/bench-bwd6"))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    ensure_data(args.data)
    rates = {"fp32": matmul_flops(torch.float32), "bf16": matmul_flops(torch.bfloat16)}
    print(f"# dense matmul, {torch.get_num_threads()} threads: fp32 {rates['fp32'] / 1e9:.0f} "
          f"GFLOP/s, bf16 {rates['bf16'] / 1e9:.0f} GFLOP/s", flush=True)
    rows = []
    for arch in args.archs.split(","):
        for dtype in args.dtypes.split(","):
            run = Path(tempfile.mkdtemp(prefix="symseq-train-bench-"))
            shutil.rmtree(run)
            cfg = TrainConfig(data=(str(args.data),), max_tokens=args.max_tokens,
                              minutes=args.seconds / 60, bf16=dtype == "bf16", log_every=10,
                              warmup=100, checkpoint_minutes=1e9)
            train(ARCHS[arch], cfg, run)
            lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
            steady = lines[len(lines) // 3:] or lines  # skip warm-up
            tps = float(np.mean([m["tokens_per_s"] for m in steady]))
            data_frac = float(np.mean([m["data_frac"] for m in steady]))
            params = build_model(ARCHS[arch], Vocab.from_grammar()).num_parameters()
            mfu = measure_mfu(ARCHS[arch], args.data, args.max_tokens, rates[dtype], tps) \
                if arch == "transformer" else None
            rows.append({"arch": arch, "dtype": dtype, "params": params, "tokens_per_s": tps,
                         "data_frac": data_frac, "mfu": mfu, "loss": lines[-1]["loss"]})
            print(f"# {arch} {dtype}: {tps:.0f} tokens/s, data {100 * data_frac:.1f}%"
                  + (f", MFU {100 * mfu:.1f}%" if mfu else ""), flush=True)
            shutil.rmtree(run, ignore_errors=True)
    print("\n| model | params | dtype | tokens/s | time outside model step | MFU |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        mfu = f"{100 * r['mfu']:.1f}%" if r["mfu"] else "n/a"
        print(f"| {r['arch']} | {r['params'] / 1e6:.2f}M | {r['dtype']} | {r['tokens_per_s']:.0f} | "
              f"{100 * r['data_frac']:.1f}% | {mfu} |")
    if args.json:
        args.json.write_text(json.dumps({"matmul": rates, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
