"""Which of SymPy's ``dsolve`` methods (hints), raced one by one, solve ODEs that the hybrid left
unsolved (issue 14, item 1: "for ODEs the useful dsolve hints").

``dsolve`` classifies an equation and runs the *first* method that matches; when that one
returns an unevaluated integral, or runs out of time, a later match may have answered.  For each
unsolved problem of a hybrid results folder this script classifies the equation (a sandboxed job
under ``--classify-seconds``), then runs every matching hint of ``HINTS`` as its own job under
``--seconds`` and verifies each explicit solution like any answer.  One line per problem
(JSONL), then a table: which hints solve how many problems no other engine solved.

    taskset -c 1 python experiments/engines/ode_hints.py results/hybrid-full --suite lc-ode1 --out results/ode-hints.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import sympy as sp

import symseq  # noqa: F401  (sets OMP_WAIT_POLICY)
from generators.symbols import F0
from symseq.bench.records import read_records
from symseq.io import atomic_write_text
from symseq.data.dataset import iter_examples
from symseq.lang.prefix import from_prefix
from symseq.sandbox import run_in_sandbox
from symseq.solve.engines.sympy_engines import dsolve_explicit
from symseq.solve.verifier import verify_candidate

# SymPy's first-order methods that return y explicitly or an implicit form solve() can invert;
# the ``_Integral`` variants are left out (they return unevaluated integrals by design).
HINTS = ("separable", "1st_exact", "1st_linear", "Bernoulli", "Riccati_special_minus2",
         "1st_homogeneous_coeff_best", "1st_homogeneous_coeff_subs_dep_div_indep",
         "1st_homogeneous_coeff_subs_indep_div_dep", "almost_linear", "linear_coefficients",
         "separable_reduced", "1st_rational_riccati", "factorable", "lie_group", "nth_algebraic",
         "1st_power_series")


def isolate_derivative(equation: sp.Expr) -> sp.Expr:
    """y' - g(x, y) when the equation is linear in y' (A y' + B = 0, so g = -B/A), else the
    equation as it is: the form ``dsolve`` classifies fastest."""
    from generators.symbols import F1

    if sp.diff(equation, F1, 2) != 0:
        return equation
    a = sp.diff(equation, F1)
    b = equation.subs(F1, 0)
    return F1 + sp.cancel(b / a) if a != 0 else equation


def classify(equation: sp.Expr) -> list[str]:
    """The hints of ``HINTS`` that ``classify_ode`` finds for the equation (sandboxed job)."""
    found = sp.classify_ode(equation, F0)
    return [h for h in found if h in HINTS]


def solve_with(arg: tuple[sp.Expr, str]) -> list[str]:
    """Explicit solutions by one hint, as text (sandboxed job); an implicit one solved for y."""
    equation, hint = arg
    return [sp.sstr(e) for e in dsolve_explicit(equation, hint) if not e.has(sp.Integral)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", type=Path, help="a benchmark results folder (results.jsonl)")
    ap.add_argument("--suite", default="lc-ode1")
    ap.add_argument("--engine", default="hybrid-beam10", help="whose unsolved problems to try")
    ap.add_argument("--seconds", type=float, default=5.0, help="per hint")
    ap.add_argument("--classify-seconds", type=float, default=5.0)
    ap.add_argument("--limit", type=int, default=None, help="only the first N unsolved problems")
    ap.add_argument("--isolate", action="store_true", help="classify and solve y' = g(x, y) instead")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    records = [r for r in read_records(args.results / "results.jsonl")
               if r.suite == args.suite and r.engine == args.engine]
    unsolved = [r for r in records if not r.solved][:args.limit]
    questions = {str(i): ex.question for i, ex in enumerate(iter_examples(Path("benchmarks/suites") / args.suite))}
    lines, wins, matched, solved_problems = [], Counter(), Counter(), 0
    for r in unsolved:
        equation = original = from_prefix(questions[r.id].split())
        if args.isolate:
            rewritten = run_in_sandbox(isolate_derivative, equation, timeout=args.classify_seconds)
            equation = rewritten.value if rewritten.ok else equation
        c = run_in_sandbox(classify, equation, timeout=args.classify_seconds)
        hints = c.value if c.ok else []
        matched.update(hints)
        solved_by = []
        for hint in hints:
            out = run_in_sandbox(solve_with, (equation, hint), timeout=args.seconds)
            for text in (out.value or []) if out.ok else []:
                v = verify_candidate("ode1", original, text, numeric_timeout=5, proof_timeout=5)  # the question as asked
                if v.verdict.solved:
                    solved_by.append(hint)
                    break
        wins.update(set(solved_by))
        solved_problems += bool(solved_by)
        lines.append(json.dumps({"id": r.id, "classified": c.status.value, "hints": hints,
                                 "solved_by": solved_by}) + "\n")
        atomic_write_text(args.out, "".join(lines))
        print(f"{r.id}: {c.status.value} {hints} -> {solved_by}", flush=True)
    print(f"\n{args.suite}: {len(unsolved)} unsolved problems of {args.engine} tried ({len(records)} in its records); "
          f"solved by some hint: {solved_problems}")
    print("| hint | matched | solved |\n|---|---|---|")
    for hint in HINTS:
        if matched[hint]:
            print(f"| {hint} | {matched[hint]} | {wins[hint]} |")


if __name__ == "__main__":
    main()
