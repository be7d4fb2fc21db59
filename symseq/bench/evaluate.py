"""How well a trained run does on a test set: the evaluation behind `symseq eval` and the
learning-efficiency benchmarks (``experiments/training/learn.py``, ``experiments/training/architectures.py``).

``evaluate_run(run, suite, beam)`` decodes a dataset suite with the run's model and reports
greedy exact match (the answer's tokens equal the reference), greedy and beam-K verified
accuracy with the full verifier (split into proved and numeric-only), optionally beam-K
"screened" accuracy (some candidate passes the double-precision screen only), and the decoding
and verification seconds.  ``bwd6_data`` makes the fixed learning-efficiency data set (bwd with
at most 6 operators: train, valid, test, the latter two disjoint from train by question).
"""

from __future__ import annotations

import time
from pathlib import Path

import sympy as sp

from generators import ExprConfig
from symseq.numerics.numeric import Check, check_zero
from generators.tasks import residual_of
from symseq.domain import TASKS
from symseq.data.dataset import iter_examples
from symseq.lang.prefix import PrefixError, from_prefix
from symseq.sandbox import SandboxPool
from symseq.domain import Verdict
from symseq.solve.verifier import verify_many


def bwd6_data(root: str | Path, n_train: int, workers: int = 2) -> dict[str, Path]:
    """The learning-efficiency data: bwd <= 6 operators, seeds 0 (train), 1 (valid), 2 (test)."""
    from symseq.data.generate import GenerateConfig, generate

    root = Path(root)
    small = ExprConfig(max_ops=6)
    paths = {"train": root / "train", "valid": root / "valid", "test": root / "test"}
    generate(GenerateConfig(task="bwd", n=n_train, seed=0, expr=small), paths["train"], workers=workers)
    generate(GenerateConfig(task="bwd", n=500, seed=1, expr=small), paths["valid"], workers=workers,
             exclude=[str(paths["train"])])
    generate(GenerateConfig(task="bwd", n=300, seed=2, expr=small), paths["test"], workers=workers,
             exclude=[str(paths["train"]), str(paths["valid"])])
    return paths


def _screened(args: tuple[str, str, list[str]]) -> bool:
    """Some candidate passes the double-precision screen (runs in a sandboxed worker)."""
    kind, question, candidates = args
    q = from_prefix(question)
    for cand in candidates:
        try:
            answer = from_prefix(cand)
        except PrefixError:
            continue
        if answer.has(sp.Symbol("x"), *q.free_symbols) and check_zero(residual_of(kind, q, answer)) is Check.ZERO:
            return True
    return False


def _verified(kind: str, question: str, candidates: list[str]) -> tuple[bool, bool]:
    """(proved, numeric only) for the best verdict among ``candidates`` (the full verifier; the
    candidates go to it as token lists, built in its sandbox)."""
    verdicts = [v.verdict for v in verify_many(kind, from_prefix(question), [c.split() for c in candidates])
                if v]
    proved = Verdict.PROVED in verdicts
    return proved, not proved and Verdict.NUMERIC_ONLY in verdicts


def evaluate_run(run: str | Path, suite: str | Path, beam: int = 10, *, batch: int = 32,
                 screen: bool = False, max_len: int = 128, limit: int | None = None) -> dict:
    """Greedy and beam-``beam`` accuracy of the model in ``run`` on the dataset ``suite``."""
    from symseq.data.batching import Tokenized, collate
    from symseq.nn import checkpoint
    from symseq.solve.decode import beam_search

    model, vocab, _ = checkpoint.load(run)
    examples = list(iter_examples(suite, limit=limit))
    data = Tokenized.from_examples(examples, vocab)
    greedy_ok, greedy, beams = 0, [], []
    t = time.perf_counter()
    for start in range(0, len(examples), batch):
        idx = list(range(start, min(start + batch, len(examples))))
        b = collate(data, idx, vocab.pad)
        g = beam_search(model, vocab, b.src, b.src_mask, beam=1, max_len=max_len, length_penalty=0.0)
        k = beam_search(model, vocab, b.src, b.src_mask, beam=beam, max_len=max_len)
        for i, ex in enumerate(examples[start:start + batch]):
            kind = TASKS[ex.task].kind
            greedy_ok += bool(g[i]) and " ".join(g[i][0].tokens) == ex.answer
            greedy.append((kind, ex.question, [" ".join(h.tokens) for h in g[i][:1]]))
            beams.append((kind, ex.question, [" ".join(h.tokens) for h in k[i]]))
    decode_s = time.perf_counter() - t
    n = len(examples)
    result = {"n": n, "greedy_exact": greedy_ok / n}
    if screen:
        with SandboxPool(_screened, workers=2, timeout=3) as pool:
            result[f"beam{beam}_screened"] = sum(bool(out.ok and out.value)
                                                 for _, out in pool.imap_unordered(enumerate(beams))) / n
    t = time.perf_counter()
    result["greedy_verified"] = sum(any(_verified(*item)) for item in greedy) / n
    proved = numeric_only = 0
    for item in beams:  # stopping at the first proof
        p, num = _verified(*item)
        proved += p
        numeric_only += num
    result.update({f"beam{beam}_verified": (proved + numeric_only) / n, "proved": proved / n,
                   "numeric_only": numeric_only / n, "decode_seconds": decode_s,
                   "verify_seconds": time.perf_counter() - t})
    return result
