"""Build the benchmark suites shipped in benchmarks/suites/ (reproducible from fixed seeds).

In-distribution suites use Lample & Charton's settings (15 operators, integers up to 5) and
seeds from 1000 up; training data uses seeds below 1000 and should be generated with
``--exclude`` of these folders, so no suite question is ever trained on.  Robustness suites
are derived from the bwd suite (``generators/perturb.py``) or drawn beyond the training range.

The same robustness families are also built for the other two distributions of issue 13, each
from a suite that is already never trained on: natural form (from ``nat``: ``nat-coef``,
``nat-sum``, ``nat-longer``, the integrand brought to the compact form ``nat`` uses) and the
reference distribution (from ``lc-bwd``: ``lc-bwd-coef``, ``lc-bwd-sum``).  Each derived problem
is built in a sandboxed worker under a time limit (``simplify`` can run long); a question found
in an ``--exclude`` dataset (the training data) or in any suite is dropped.

    python benchmarks/make_suites.py            # all suites into benchmarks/suites/
    python benchmarks/make_suites.py --only natural --only lc --exclude data/gen/nat ...
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sympy as sp

from generators import ExprConfig, base
from generators.base import Problem
from generators.natural import natural_integrand, natural_pair
from generators.perturb import change_coefficients, derivative, out_of_distribution_config, sum_of_two
from symseq.data.generate import GenerateConfig, generate
from symseq.data.dataset import Example, iter_examples, manifest_name, part_name, question_keys
from symseq.io import atomic_write_json, atomic_write_text
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix, tokens_to_str
from symseq.sandbox import SandboxPool

PAPER = ExprConfig(max_ops=15, max_int=5)
IN_DISTRIBUTION = {"bwd": (300, 1001), "ibp": (200, 1002), "ode1": (300, 1003),
                   "ode2": (100, 1004), "fwd": (150, 1005)}
DERIVED_SIZE = 200
DERIVED_SECONDS = 30.0  # per derived problem (simplify of a sum can run for minutes)
GROUPS = ("paper", "natural", "lc")
DERIVED = ("nat-coef", "nat-sum", "nat-longer", "lc-bwd-coef", "lc-bwd-sum")


def _write(folder: Path, problems: list[Problem], how: str, task: str = "bwd",
           drop: set[str] = frozenset(), limit: int | None = None, extra: dict | None = None) -> int:
    """Write ``problems`` as a one-part dataset: at most ``limit`` lines, questions in ``drop`` (or
    repeated) left out."""
    lines, seen, dropped = [], set(), 0
    for p in problems:
        try:
            q, a = tokens_to_str(to_prefix(p.question)), tokens_to_str(to_prefix(p.answer))
        except UnsupportedExpressionError:
            continue
        if q in drop or q in seen:
            dropped += 1
            continue
        if max(len(q.split()), len(a.split())) <= 512:
            seen.add(q)
            lines.append(Example(task, q, a).to_line())
        if limit is not None and len(lines) == limit:
            break
    manifest = {"format": "symseq-dataset/1", "generator": how, "complete": True,
                "counts": {"kept": len(lines), "excluded_or_repeated": dropped}, **(extra or {})}
    atomic_write_text(folder / part_name(0, 1, 0), "".join(lines))
    atomic_write_json(folder / manifest_name(0, 1), manifest)
    return len(lines)


# Jobs for the sandboxed workers: one derived problem each (module level, sent by reference).
def _coef(arg: tuple[Problem, int, int, Callable[[sp.Expr], sp.Expr]]) -> Problem | base.Skip:
    p, seed, i, integrand = arg
    return change_coefficients(p, np.random.default_rng([seed, i]), integrand=integrand)


def _sum(arg: tuple[Problem, Problem, Callable[[sp.Expr], sp.Expr] | None]) -> Problem | base.Skip:
    p, q, integrand = arg
    return sum_of_two(p, q, integrand=integrand)


def _natural_longer(arg: tuple[int, int]) -> Problem | base.Skip:
    seed, i = arg
    return base.generator(natural_pair)(np.random.default_rng([seed, i]), 3)


def _derive(job, args: list, workers: int) -> list[Problem]:
    """``job(arg)`` for each arg in sandboxed workers, in the order of ``args``; problems only
    (a skip, a timeout or a crash drops that one)."""
    done: dict[int, Problem] = {}
    with SandboxPool(job, workers=workers, timeout=DERIVED_SECONDS) as pool:
        for i, outcome in pool.imap_unordered(enumerate(args)):
            if outcome.ok and isinstance(outcome.value, Problem):
                done[i] = outcome.value
    return [done[i] for i in sorted(done)]


def _pairs(problems: list[Problem], rng: np.random.Generator) -> list[tuple[Problem, Problem]]:
    order = rng.permutation(len(problems))
    return [(problems[order[i]], problems[order[i + 1]]) for i in range(0, len(order) - 1, 2)]


def _derived_suites(out: Path, groups: list[str], exclude: list[str], workers: int) -> None:
    """The natural-form and reference-distribution robustness suites (see the module docstring)."""
    drop = question_keys(exclude) if exclude else set()
    drop |= question_keys([d for d in sorted(out.iterdir()) if d.name not in DERIVED and not d.name.startswith(".")
                           and (d.is_dir() or d.suffix == ".jsonl")])
    extra = {"exclude": {"paths": exclude, "questions": len(drop)}}
    spare = DERIVED_SIZE * 3 // 2  # derived problems drawn, for those skipped, dropped or too long

    def build(name: str, job, args: list, how: str, task: str) -> None:
        if (out / name / manifest_name(0, 1)).exists():  # shipped suites are never remade by accident
            print(f"{name}: kept (delete the folder to remake it)", flush=True)
            return
        n = _write(out / name, _derive(job, args, workers), how, task, drop, DERIVED_SIZE, extra)
        print(f"{name}: {n}", flush=True)

    if "natural" in groups:
        nat = [Problem("nat", *ex.to_sympy()) for ex in iter_examples(out / "nat")]
        build("nat-coef", _coef, [(p, 1021, i, natural_integrand) for i, p in enumerate(nat)],
              "perturb.change_coefficients(integrand=natural_integrand) of nat", "nat")
        build("nat-sum", _sum, [(p, q, natural_integrand) for p, q in _pairs(nat, np.random.default_rng(1022))],
              "perturb.sum_of_two(integrand=natural_integrand) of nat", "nat")
        build("nat-longer", _natural_longer, [(1023, i) for i in range(spare)],
              "natural.natural_pair(terms=3)", "nat")
    if "lc" in groups:
        lc = [Problem("bwd", *ex.to_sympy()) for ex in iter_examples(out / "lc-bwd")][:2 * spare]
        build("lc-bwd-coef", _coef, [(p, 1024, i, derivative) for i, p in enumerate(lc[:spare])],
              "perturb.change_coefficients of lc-bwd", "bwd")
        build("lc-bwd-sum", _sum, [(p, q, None) for p, q in _pairs(lc, np.random.default_rng(1025))],
              "perturb.sum_of_two of lc-bwd", "bwd")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "suites")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", action="append", choices=GROUPS,
                    help="build only this group of suites (repeatable; default: all)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="dataset whose questions the derived suites leave out (the training data)")
    args = ap.parse_args()
    groups = args.only or list(GROUPS)
    if "paper" in groups:
        _paper_suites(args)
    _derived_suites(args.out, [g for g in groups if g != "paper"], args.exclude, args.workers)


def _paper_suites(args: argparse.Namespace) -> None:
    """The in-distribution suites and the bwd robustness suites (sessions 1-2)."""
    for task, (n, seed) in IN_DISTRIBUTION.items():
        generate(GenerateConfig(task=task, n=n, seed=seed, expr=PAPER), args.out / task,
                 workers=args.workers)
        print(f"{task}: {n}", flush=True)
    for kind, seed in (("longer", 1011), ("bigint", 1012)):
        generate(GenerateConfig(task="bwd", n=200, seed=seed, expr=out_of_distribution_config(kind, PAPER)),
                 args.out / f"bwd-{kind}", workers=args.workers)
        print(f"bwd-{kind}: 200", flush=True)
    bwd_suite = [Problem("bwd", *ex.to_sympy()) for ex in iter_examples(args.out / "bwd")]
    rng = np.random.default_rng(1013)
    coef = [r for r in (change_coefficients(p, rng) for p in bwd_suite) if isinstance(r, Problem)]
    print(f"bwd-coef: {_write(args.out / 'bwd-coef', coef[:200], 'perturb.change_coefficients')}")
    pairs = rng.permutation(len(bwd_suite))
    sums = [sum_of_two(bwd_suite[pairs[i]], bwd_suite[pairs[i + 1]])
            for i in range(0, min(len(bwd_suite) - 1, 400), 2)]
    sums = [s for s in sums if isinstance(s, Problem)]
    print(f"bwd-sum: {_write(args.out / 'bwd-sum', sums, 'perturb.sum_of_two')}")


if __name__ == "__main__":
    main()
