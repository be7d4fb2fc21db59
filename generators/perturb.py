"""Robustness families: problems near, or beyond, the training distribution.

Each function takes solved integration problems (``Problem`` with question f, answer F) or a
config, and returns new problems whose pairs are correct by construction (f = F' recomputed and
checked like every generated pair):

* ``change_coefficients``: every integer of F other than +-1 replaced by another nonzero integer
  of the same range -- same shape, different numbers (does the model read the numbers?);
* ``sum_of_two``: F1 + F2 (does it decompose?);
* ``out_of_distribution_config``: longer expressions or larger integers than training saw.

The integrand of a new pair is F' as SymPy evaluates it (bwd's form) unless ``integrand`` says
otherwise: ``natural.natural_integrand`` gives the natural-form families (``nat-coef``,
``nat-sum``) the compact integrand a person would write.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from generators import base
from generators.base import Problem, Skip
from generators.integration import _finish
from generators.symbols import X
from generators.trees import ExprConfig


def derivative(F: sp.Expr) -> sp.Expr:
    """bwd's integrand: F' as SymPy evaluates it."""
    return sp.diff(F, X)


def change_coefficients(p: Problem, rng: np.random.Generator, max_int: int = 5,
                        integrand: Callable[[sp.Expr], sp.Expr] = derivative) -> Problem | Skip:
    """The same antiderivative shape with its integers redrawn; the integrand is ``integrand(F)``."""
    ints = sorted({a for a in p.answer.atoms(sp.Integer) if abs(a) > 1}, key=int)
    if not ints:
        return Skip(base.CONSTANT)
    new = {}
    for a in ints:
        choices = [v for v in range(-max_int, max_int + 1) if v not in (0, 1, -1, int(a))]
        new[a] = sp.Integer(int(rng.choice(choices)))
    F = p.answer.xreplace(new)
    if not F.has(X) or base.is_invalid(F):
        return Skip(base.INVALID)
    return _finish(p.task + "-coef", integrand(F), F, {"from": sp.sstr(p.answer)})


def sum_of_two(p: Problem, q: Problem,
               integrand: Callable[[sp.Expr], sp.Expr] | None = None) -> Problem | Skip:
    """The sum of two solved problems: the integrand is the sum of theirs, or ``integrand(F)``."""
    F = p.answer + q.answer
    if not F.has(X):
        return Skip(base.CONSTANT)
    f = p.question + q.question if integrand is None else integrand(F)
    return _finish(p.task + "-sum", f, F, {})


def out_of_distribution_config(kind: str, trained: ExprConfig) -> ExprConfig:
    """``longer``: more operators than training; ``bigint``: integers 10x larger."""
    if kind == "longer":
        return trained.with_ops(trained.max_ops + 1, trained.max_ops + 4)
    if kind == "bigint":
        return ExprConfig(trained.min_ops, trained.max_ops, trained.max_int * 10, trained.leaf_var,
                          trained.leaf_int, trained.leaf_const, trained.operators)
    raise ValueError(f"unknown kind {kind!r} (longer, bigint)")
