"""What the verifier costs and what it accepts, on a benchmark suite, for the shipped model.

For each problem: the model's beam (decoded in batches, not timed), then ``verify_many`` over the
candidates exactly as the solver calls it (best rank first, stop at the first proof), timed; and
the suite's own reference answer, verified alone.  Prints one Markdown row per suite: mean
verification seconds per problem (95% interval), problems with a verified candidate, reference
answers accepted, and the verdict counts.  Runs against whichever symseq is first on the path,
so the same script measures two checkouts (``PYTHONPATH=other/checkout``):

    taskset -c 0 python experiments/speed/verifier_cost.py benchmarks/suites/bwd benchmarks/suites/ode1 --problems 40
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import torch  # noqa: E402

from symseq.nn import checkpoint  # noqa: E402
from symseq.data.batching import Tokenized, collate  # noqa: E402
from symseq.data.dataset import iter_examples  # noqa: E402
from symseq.solve.decode import beam_search  # noqa: E402
from symseq.lang.prefix import from_prefix  # noqa: E402

try:  # the script also measures older checkouts (an A/B of two commits)
    from symseq.solve.verifier import verify_candidate, verify_many
except ImportError:
    try:  # before verify_candidate was named so
        from symseq.solve.verifier import verify as verify_candidate, verify_many
    except ImportError:  # before the verifier moved into symseq.solve
        from symseq.verify import verify as verify_candidate, verify_many

TASK = {"bwd": "integrate", "fwd": "integrate", "ibp": "integrate", "ode1": "ode1", "ode2": "ode2"}


def mean_ci(xs: list[float]) -> str:
    m = statistics.mean(xs)
    half = 1.96 * statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")
    return f"{m:.3f} ± {half:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("suites", nargs="+", type=Path)
    ap.add_argument("--checkpoint", type=Path,
                    default=Path(symseq.__file__).resolve().parent.parent / "checkpoints" / "default")
    ap.add_argument("--problems", type=int, default=40)
    ap.add_argument("--beam", type=int, default=10)
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, vocab, _ = checkpoint.load(args.checkpoint)
    print(f"# symseq at {Path(symseq.__file__).parent}, python {sys.version.split()[0]}")
    print("| suite | problems | verify s/problem (95% CI) | solved by a candidate | reference accepted | verdicts |")
    print("|---|---|---|---|---|---|")
    for suite in args.suites:
        examples = list(iter_examples(suite, limit=args.problems))
        data = Tokenized.from_examples(examples, vocab)
        beams = []
        for start in range(0, len(examples), 16):
            b = collate(data, list(range(start, min(start + 16, len(examples)))), vocab.pad)
            beams += beam_search(model, vocab, b.src, b.src_mask, beam=args.beam, max_len=256)
        seconds, solved, reference, verdicts = [], 0, 0, Counter()
        for ex, hyps in zip(examples, beams):
            task = TASK[ex.task]
            question = from_prefix(ex.question)
            t = time.perf_counter()
            results = verify_many(task, question, [list(h.tokens) for h in hyps])
            seconds.append(time.perf_counter() - t)
            done = [r for r in results if r is not None]
            verdicts.update(r.verdict.value for r in done)
            solved += any(r.verdict.solved for r in done)
            reference += verify_candidate(task, question, from_prefix(ex.answer)).verdict.solved
        n = len(examples)
        print(f"| {suite.name} | {n} | {mean_ci(seconds)} | {solved} ({100 * solved / n:.1f}%) | "
              f"{reference} ({100 * reference / n:.1f}%) | {dict(sorted(verdicts.items()))} |", flush=True)


if __name__ == "__main__":
    main()
