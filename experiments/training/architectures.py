"""The seq2seq story on one task: thought vector -> attention -> Transformer, same data and CPU budget.

Each architecture trains for ``--minutes`` of wall-clock time with ``--threads`` torch threads
on the same data (``experiments/training/learn.py``'s 100k bwd problems with at most 6 operators), the
same batch size, learning rate and schedule, then is decoded the same way (greedy, and beam 10
with every candidate checked by the full verifier) on two suites it never trained on:

- ``benchmarks/suites/bwd6``: bwd with at most 6 operators (the training distribution);
- ``benchmarks/suites/bwd-7to9``: bwd with 7 to 9 operators (longer than anything trained on).

Runs resume: rerunning the command finishes an interrupted training run and skips finished
evaluations.  The Markdown table goes to stdout and ``OUT/table.md``.

    python experiments/training/architectures.py --minutes 10 --threads 1 --out runs/arch
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import torch  # noqa: E402

from symseq.bench.evaluate import bwd6_data, evaluate_run  # noqa: E402

from symseq.nn import checkpoint  # noqa: E402
from symseq.io import atomic_write_json, atomic_write_text  # noqa: E402
from symseq.nn.models import RNNConfig, TransformerConfig  # noqa: E402
from symseq.nn.train import TrainConfig, train  # noqa: E402

SUITES = Path(__file__).parent / "suites"
WIDTH = 128
ARCHS = {
    "LSTM, no attention (thought vector)": RNNConfig("lstm", WIDTH, 2, "none"),
    "LSTM + Bahdanau attention": RNNConfig("lstm", WIDTH, 2, "bahdanau"),
    "LSTM + dot attention": RNNConfig("lstm", WIDTH, 2, "dot"),
    "GRU + Bahdanau attention": RNNConfig("gru", WIDTH, 2, "bahdanau"),
    "Transformer": TransformerConfig(d_model=WIDTH, n_heads=4, enc_layers=3, dec_layers=3, d_ff=4 * WIDTH),
}
RECIPE = dict(max_tokens=3000, lr=1e-3, warmup=300, bf16=True, label_smoothing=0.0,
              eval_every=250, log_every=50, checkpoint_minutes=3.0)


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-").replace("--", "-")


def run_one(name: str, model_config, args, paths) -> dict:
    run = args.out / slug(name)
    done = run / "arch_result.json"
    if done.exists():
        return json.loads(done.read_text())
    cfg = TrainConfig(data=(str(paths["train"]),), valid=(str(paths["valid"]),), minutes=args.minutes,
                      **RECIPE)
    resume = (run / "config.json").exists()
    metrics = train(None if resume else model_config, cfg, run, resume=resume)
    model, _, config = checkpoint.load(run)
    m = config["metrics"]
    result = {"name": name, "params": model.num_parameters(), "minutes": args.minutes,
              "threads": args.threads, "steps": config["step"],
              "tokens_per_s": m["tokens_seen"] / max(m["seconds"], 1e-9),
              "valid_seq_acc": metrics.get("valid_seq_acc")}
    for suite in ("bwd6", "bwd-7to9"):
        result[suite] = evaluate_run(run, SUITES / suite, args.beam, screen=False)
        print(name, suite, result[suite], flush=True)
    atomic_write_json(done, result)
    return result


def table(results: list[dict], beam: int) -> str:
    head = ("| architecture | params | tokens/s | steps | bwd6 greedy exact | bwd6 greedy verified | "
            f"bwd6 beam {beam} verified | 7-9 ops greedy verified | 7-9 ops beam {beam} verified |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        a, b = r["bwd6"], r["bwd-7to9"]
        rows.append(f"| {r['name']} | {r['params'] / 1e6:.2f}M | {r['tokens_per_s']:,.0f} | {r['steps']} | "
                    f"{a['greedy_exact']:.1%} | {a['greedy_verified']:.1%} | {a[f'beam{beam}_verified']:.1%} | "
                    f"{b['greedy_verified']:.1%} | {b[f'beam{beam}_verified']:.1%} |")
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--beam", type=int, default=10)
    ap.add_argument("--data", type=Path, default=Path("data/learn-bwd6"))
    ap.add_argument("--only", nargs="*", help="architecture names (default: all)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    paths = bwd6_data(args.data, 100_000)
    results = [run_one(name, cfg, args, paths) for name, cfg in ARCHS.items()
               if not args.only or name in args.only]
    text = table(results, args.beam)
    text += (f"\nSame data (100k bwd <= 6 ops), {args.minutes:g} min wall clock each with "
             f"{args.threads} torch thread(s), width {WIDTH}, bf16 autocast, lr {RECIPE['lr']}, "
             f"{RECIPE['max_tokens']} tokens per batch; greedy and beam {args.beam} candidates checked by "
             "the full verifier.\n")
    atomic_write_text(args.out / "table.md", text)
    print(text)


if __name__ == "__main__":
    main()
