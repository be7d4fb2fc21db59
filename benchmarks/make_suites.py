"""Build the benchmark suites shipped in benchmarks/suites/ (reproducible from fixed seeds).

In-distribution suites use Lample & Charton's settings (15 operators, integers up to 5) and
seeds from 1000 up; training data uses seeds below 1000 and should be generated with
``--exclude`` of these folders, so no suite question is ever trained on.  Robustness suites
are derived from the bwd suite (``generators/perturb.py``) or drawn beyond the training range.

    python benchmarks/make_suites.py            # all suites into benchmarks/suites/
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from generators import ExprConfig
from generators.base import Problem
from generators.perturb import change_coefficients, out_of_distribution_config, sum_of_two
from symseq.data.generate import GenerateConfig, generate
from symseq.data.dataset import Example, iter_examples, manifest_name, part_name
from symseq.io import atomic_write_json, atomic_write_text
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix, tokens_to_str

PAPER = ExprConfig(max_ops=15, max_int=5)
IN_DISTRIBUTION = {"bwd": (300, 1001), "ibp": (200, 1002), "ode1": (300, 1003),
                   "ode2": (100, 1004), "fwd": (150, 1005)}


def _write(folder: Path, problems: list[Problem], how: str) -> int:
    lines = []
    for p in problems:
        try:
            q, a = to_prefix(p.question), to_prefix(p.answer)
        except UnsupportedExpressionError:
            continue
        if max(len(q), len(a)) <= 512:
            lines.append(Example("bwd", tokens_to_str(q), tokens_to_str(a)).to_line())
    atomic_write_text(folder / part_name(0, 1, 0), "".join(lines))
    atomic_write_json(folder / manifest_name(0, 1), {"format": "symseq-dataset/1", "generator": how,
                                                     "complete": True, "counts": {"kept": len(lines)}})
    return len(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "suites")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    for task, (n, seed) in IN_DISTRIBUTION.items():
        generate(GenerateConfig(task=task, n=n, seed=seed, expr=PAPER), args.out / task,
                 workers=args.workers)
        print(f"{task}: {n}", flush=True)
    for kind, seed in (("longer", 1011), ("bigint", 1012)):
        generate(GenerateConfig(task="bwd", n=200, seed=seed, expr=out_of_distribution_config(kind, PAPER)),
                 args.out / f"bwd-{kind}", workers=args.workers)
        print(f"bwd-{kind}: 200", flush=True)
    base = [Problem("bwd", *ex.to_sympy()) for ex in iter_examples(args.out / "bwd")]
    rng = np.random.default_rng(1013)
    coef = [r for r in (change_coefficients(p, rng) for p in base) if isinstance(r, Problem)]
    print(f"bwd-coef: {_write(args.out / 'bwd-coef', coef[:200], 'perturb.change_coefficients')}")
    pairs = rng.permutation(len(base))
    sums = [sum_of_two(base[pairs[i]], base[pairs[i + 1]]) for i in range(0, min(len(base) - 1, 400), 2)]
    sums = [s for s in sums if isinstance(s, Problem)]
    print(f"bwd-sum: {_write(args.out / 'bwd-sum', sums, 'perturb.sum_of_two')}")


if __name__ == "__main__":
    main()
