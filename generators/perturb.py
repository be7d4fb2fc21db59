"""Robustness families: problems near, or beyond, the training distribution.

Each function takes solved integration problems (``Problem`` with question f, answer F) or a
config, and returns new problems whose pairs are correct by construction (f = F' recomputed and
checked like every generated pair):

* ``change_coefficients``: every integer of F other than +-1 replaced by another nonzero integer
  of the same range -- same shape, different numbers (does the model read the numbers?);
* ``sum_of_two``: F1 + F2 (does it decompose?);
* ``out_of_distribution_config``: longer expressions or larger integers than training saw.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators import base
from generators.base import Problem, Skip
from generators.integration import _finish
from generators.symbols import X
from generators.trees import ExprConfig


def change_coefficients(p: Problem, rng: np.random.Generator, max_int: int = 5) -> Problem | Skip:
    """The same antiderivative shape with its integers redrawn."""
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
    return _finish(p.task + "-coef", sp.diff(F, X), F, {"from": sp.sstr(p.answer)})


def sum_of_two(p: Problem, q: Problem) -> Problem | Skip:
    """The sum of two solved problems."""
    F = p.answer + q.answer
    if not F.has(X):
        return Skip(base.CONSTANT)
    return _finish(p.task + "-sum", p.question + q.question, F, {})


def out_of_distribution_config(kind: str, trained: ExprConfig) -> ExprConfig:
    """``longer``: more operators than training; ``bigint``: integers 10x larger."""
    if kind == "longer":
        return trained.with_ops(trained.max_ops + 1, trained.max_ops + 4)
    if kind == "bigint":
        return ExprConfig(trained.min_ops, trained.max_ops, trained.max_int * 10, trained.leaf_var,
                          trained.leaf_int, trained.leaf_const, trained.operators)
    raise ValueError(f"unknown kind {kind!r} (longer, bigint)")
