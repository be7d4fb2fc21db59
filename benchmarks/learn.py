"""Learning efficiency: what the default recipe reaches in a fixed CPU budget on bwd (<= 6 ops).

1. Data (once, reused): bwd problems with at most 6 operators -- training set, a validation set
   and a 300-problem test set, both generated with ``--exclude`` of the training set so no test
   question occurs in training.
2. Train the recipe below for ``--minutes`` through ``symseq.nn.train``.
3. Decode the test set: greedy exact match (the answer's tokens equal the reference), beam-K
   "screened" accuracy (some candidate's derivative equals the integrand at 40 sample points),
   and beam-K verified accuracy with the full verifier (``symseq.solve.verifier``: screen, adaptive-precision
   confirmation, symbolic proof), split into proved and numeric-only.

    python benchmarks/learn.py --minutes 60 --out runs/learn60
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import sympy as sp  # noqa: E402
import torch  # noqa: E402

from generators import ExprConfig  # noqa: E402
from generators.numeric import Check, check_zero  # noqa: E402
from generators.symbols import X  # noqa: E402
from symseq.nn import checkpoint  # noqa: E402
from symseq.data.batching import Tokenized, collate  # noqa: E402
from symseq.data.generate import GenerateConfig, generate  # noqa: E402
from symseq.data.dataset import iter_examples  # noqa: E402
from symseq.solve.decode import beam_search  # noqa: E402
from symseq.nn.models import TransformerConfig  # noqa: E402
from symseq.lang.prefix import PrefixError, UnsupportedExpressionError, from_prefix  # noqa: E402
from symseq.sandbox import SandboxPool  # noqa: E402
from symseq.nn.train import TrainConfig, train  # noqa: E402
from symseq.solve.verifier import Verdict, verify_many  # noqa: E402

RECIPE_MODEL = TransformerConfig(d_model=256, n_heads=8, enc_layers=4, dec_layers=4, d_ff=1024)
RECIPE = dict(max_tokens=6000, lr=7e-4, warmup=400, bf16=True, label_smoothing=0.0,
              eval_every=200, log_every=50, checkpoint_minutes=5.0)


def make_data(root: Path, n_train: int) -> dict[str, Path]:
    small = ExprConfig(max_ops=6)
    paths = {"train": root / "train", "valid": root / "valid", "test": root / "test"}
    generate(GenerateConfig(task="bwd", n=n_train, seed=0, expr=small), paths["train"], workers=2)
    generate(GenerateConfig(task="bwd", n=500, seed=1, expr=small), paths["valid"], workers=2,
             exclude=[str(paths["train"])])
    generate(GenerateConfig(task="bwd", n=300, seed=2, expr=small), paths["test"], workers=2,
             exclude=[str(paths["train"]), str(paths["valid"])])
    return paths


def _screen(args) -> bool:
    question, candidates = args
    f = from_prefix(question)
    for cand in candidates:
        try:
            F = from_prefix(cand)
        except PrefixError:
            continue
        if F.has(X) and check_zero(sp.diff(F, X) - f) is Check.ZERO:
            return True
    return False


def _verified(question: str, candidates: list[str]) -> tuple[bool, bool]:
    """(proved, numeric only) for the best verdict among ``candidates`` (full verifier).

    Candidates go to the verifier as token lists: it builds them in its sandbox."""
    verdicts = [v.verdict for v in verify_many("integrate", from_prefix(question), [c.split() for c in candidates])
                if v]
    proved = Verdict.PROVED in verdicts
    return proved, not proved and Verdict.NUMERIC_ONLY in verdicts


def evaluate(run: Path, test: Path, beam: int, batch: int = 32, screen: bool = True) -> dict:
    """Greedy exact match and verified accuracy, beam-K verified (and screened) accuracy."""
    model, vocab, _ = checkpoint.load(run)
    examples = list(iter_examples(test))
    data = Tokenized.from_examples(examples, vocab)
    greedy_ok, greedy, beams = 0, [], []
    t = time.perf_counter()
    for start in range(0, len(examples), batch):
        idx = list(range(start, min(start + batch, len(examples))))
        b = collate(data, idx, vocab.pad)
        g = beam_search(model, vocab, b.src, b.src_mask, beam=1, max_len=128, length_penalty=0.0)
        k = beam_search(model, vocab, b.src, b.src_mask, beam=beam, max_len=128)
        for i, ex in enumerate(examples[start:start + batch]):
            greedy_ok += bool(g[i]) and " ".join(g[i][0].tokens) == ex.answer
            greedy.append((ex.question, [" ".join(h.tokens) for h in g[i][:1]]))
            beams.append((ex.question, [" ".join(h.tokens) for h in k[i]]))
    decode_s = time.perf_counter() - t
    n = len(examples)
    result = {"n": n, "greedy_exact": greedy_ok / n}
    if screen:
        screened = 0
        with SandboxPool(_screen, workers=2, timeout=3) as pool:
            for _, out in pool.imap_unordered(enumerate(beams)):
                screened += bool(out.ok and out.value)
        result[f"beam{beam}_screened"] = screened / n
    t = time.perf_counter()
    result["greedy_verified"] = sum(any(_verified(q, c)) for q, c in greedy) / n
    proved = numeric_only = 0
    for question, cands in beams:  # the full verifier, stopping at the first proof
        p, num = _verified(question, cands)
        proved += p
        numeric_only += num
    result.update({f"beam{beam}_verified": (proved + numeric_only) / n, "proved": proved / n,
                   "numeric_only": numeric_only / n, "decode_seconds": decode_s,
                   "verify_seconds": time.perf_counter() - t})
    return result


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
    paths = make_data(args.data, args.n_train)
    print(f"# data ready in {time.perf_counter() - t:.0f} s", flush=True)
    if not args.eval_only:
        cfg = TrainConfig(data=(str(paths["train"]),), valid=(str(paths["valid"]),),
                          minutes=args.minutes, **RECIPE)
        resume = (args.out / "config.json").exists()
        train(RECIPE_MODEL, cfg, args.out, resume=resume)
    result = evaluate(args.out, paths["test"], args.beam)
    result["minutes"] = args.minutes if not args.eval_only else None
    result["recipe"] = {"model": RECIPE_MODEL.__dict__, **RECIPE}
    print(json.dumps(result, indent=1))
    (args.out / "learn_result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
