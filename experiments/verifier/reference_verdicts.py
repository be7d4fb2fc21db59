"""The verifier's verdict on each suite's own reference answers: the ceiling of any engine.

A suite's reference answer that the verifier refuses (an ODE solution that holds on part of the
real line only: ``local``; a pair the generator got wrong) cannot be matched by a verified
answer of the same form, so it bounds what "solved" can reach on that suite.  One Markdown row
per suite: the verdict counts, the share accepted (95% Wilson interval), and the ids of the
refused ones.

    taskset -c 0 python experiments/verifier/reference_verdicts.py benchmarks/suites/lc-ode1 benchmarks/suites/lc-bwd
    python experiments/verifier/reference_verdicts.py benchmarks/suites/lc-bwd --unsolved results/hybrid-full

``--unsolved FOLDER`` keeps only the problems that FOLDER's records (a ``symseq benchmark`` run)
show unsolved by ``--engine``: how many of an engine's misses the contract would refuse anyway.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import symseq  # noqa: F401,E402  (its import sets OMP_WAIT_POLICY=PASSIVE)
from generators.tasks import TASKS
from symseq.bench.records import read_records
from symseq.bench.report import wilson
from symseq.data.dataset import iter_examples
from symseq.lang.prefix import from_prefix
from symseq.solve.verifier import verify_candidate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("suites", nargs="+", type=Path)
    ap.add_argument("--problems", type=int, default=None, help="the first N of each suite (default: all)")
    ap.add_argument("--unsolved", type=Path, default=None, help="only problems this benchmark folder left unsolved")
    ap.add_argument("--engine", default="hybrid-beam10", help="whose unsolved problems (with --unsolved)")
    args = ap.parse_args()
    print("| suite | n | accepted % (95% CI) | verdicts | refused (first 10, by line) |")
    print("|---|---|---|---|---|")
    for suite in args.suites:
        counts, refused = Counter(), []
        keep = None
        if args.unsolved is not None:
            keep = {int(r.id) + 1 for r in read_records(args.unsolved / "results.jsonl")
                    if r.suite == suite.name and r.engine == args.engine and not r.solved}
        for i, ex in enumerate(iter_examples(suite, limit=args.problems), 1):
            if keep is not None and i not in keep:
                continue
            v = verify_candidate(TASKS[ex.task].kind, from_prefix(ex.question.split()), ex.answer.split(),
                       numeric_timeout=10, proof_timeout=10)
            counts[v.verdict.value] += 1
            if not v.verdict.solved:
                refused.append(f"{i}:{v.verdict.value}")
        n = sum(counts.values())
        ok = counts["proved"] + counts["numeric_only"]
        lo, hi = wilson(ok, n)
        verdicts = ", ".join(f"{k} {v}" for k, v in counts.most_common())
        print(f"| {suite.name} | {n} | {100 * ok / n:.1f} ({100 * lo:.1f}-{100 * hi:.1f}) | {verdicts} | "
              f"{' '.join(refused[:10])} |", flush=True)


if __name__ == "__main__":
    main()
