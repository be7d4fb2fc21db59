"""What a generator returns, and the small SymPy helpers all generators share.

A generator is ``fn(rng, cfg: ExprConfig) -> Problem | Skip``.  ``Problem`` holds SymPy objects
only (no tokens, no files); ``Skip`` names why a draw was dropped, from the fixed list below, so
that skip counts are meaningful and a new reason is a deliberate change.  Every generator is
decorated with ``generator``, the one screen all families pass through.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from symseq.numerics.numeric import NotNumeric, default_env, evaluate
from generators.symbols import X
from generators.trees import ExprBuildError


@dataclass(frozen=True)
class Problem:
    task: str  # fwd, bwd, ibp (integration: question = integrand) or ode1, ode2
    question: sp.Expr  # integrand in x, or ODE left-hand side in f(x), f'(x), f''(x) (= 0)
    answer: sp.Expr  # antiderivative (no additive constant), or solution with c1 (c2)
    meta: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Skip:
    reason: str
    detail: str = ""  # for unexpected failures: what happened (the manifest keeps a few)


# Skip reasons (stable names: they appear in manifests).
CONSTANT = "constant"  # the expression does not depend on x (or on a required constant)
INVALID = "invalid_value"  # holds I, nan, zoo, oo, or an unevaluated Integral/Piecewise
NOT_REAL = "not_real"  # not finite and real at any sample point
NO_CLOSED_FORM = "no_closed_form"  # SymPy returned an unevaluated integral or failed
UNVERIFIED = "unverified"  # the pair failed (or could not pass) the numeric check
NOT_SOLVABLE = "constant_not_eliminated"  # could not express the constant in x and f
NO_DERIVATIVE = "no_derivative"  # the equation lost f' (or f'')
TOO_FEW_LEAVES = "too_few_leaves"  # the tree cannot hold x and the ODE constants
SYMPY_FAILED = "sympy_failed"  # SymPy raised while evaluating the random tree
NONREAL_CONSTANT = "nonreal_constant"  # a constant subexpression is not a finite real (asin(5))

NOT_GENERAL = "not_general"  # the solution's constants are fewer essential ones than the order
SKIP_REASONS = (CONSTANT, INVALID, NOT_REAL, NO_CLOSED_FORM, UNVERIFIED, NOT_SOLVABLE, NO_DERIVATIVE,
                TOO_FEW_LEAVES, SYMPY_FAILED, NONREAL_CONSTANT, NOT_GENERAL)

_FORBIDDEN = (sp.Integral, sp.Piecewise, sp.Derivative, sp.Subs, sp.Order)


def is_invalid(*exprs: sp.Basic) -> bool:
    """True if any expression holds I, nan, infinities, or unevaluated calculus objects."""
    for e in exprs:
        if e.has(sp.I, sp.nan, sp.zoo, sp.oo, -sp.oo) or e.has(*_FORBIDDEN):
            return True
    return False


def drop_constant_terms(expr: sp.Expr, var: sp.Symbol = X) -> sp.Expr:
    """Remove the additive terms of ``expr`` that do not depend on ``var``."""
    if expr.is_Add:
        return sp.Add(*[a for a in expr.args if a.has(var)])
    return expr if expr.has(var) else sp.Integer(0)


def has_nonreal_constant(*exprs: sp.Basic, rtol: float = 1e-9) -> bool:
    """True if some subexpression without symbols is not a finite real number: ``asin(5)``,
    ``log(exp(asin(5)))``, even inside a real one (``Abs(asin(5))``).

    Constants are evaluated in complex128 with ``numeric.evaluate`` (bounded cost: ``evalf``
    of a tower like ``exp(exp(exp(exp(5))))`` does not return); one that overflows double
    precision, or that the evaluator does not know, cannot be shown real and counts as not real.
    """
    constants: list[sp.Expr] = []

    def walk(e: sp.Basic) -> bool:  # whether e is a constant; collects the compound ones
        if not e.args:
            if e.is_number and e.is_real is not True:  # I, nan, zoo, oo
                constants.append(e)
            return bool(e.is_number)
        inner = [walk(a) for a in e.args]  # every child: constants nest
        if all(inner) and isinstance(e, sp.Expr) and not isinstance(e, AppliedUndef):
            constants.append(e)
            return True
        return False

    for e in exprs:
        walk(e)
    env = default_env(1)
    for c in constants:
        try:
            value = complex(evaluate(c, env)[0][0])
        except NotNumeric:
            return True
        if not (np.isfinite(value.real) and abs(value.imag) <= rtol * (1 + abs(value.real))):
            return True
    return False


def generator(fn: Callable[..., "Problem | Skip"]) -> Callable[..., "Problem | Skip"]:
    """Decorator for every ``gen_<task>``: the screen all families pass through.  A random tree
    SymPy cannot evaluate becomes ``Skip(SYMPY_FAILED)``; a pair whose question or answer holds
    a constant that is not a finite real number becomes ``Skip(NONREAL_CONSTANT)``."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except ExprBuildError:
            return Skip(SYMPY_FAILED)
        if isinstance(result, Problem) and has_nonreal_constant(result.question, result.answer):
            return Skip(NONREAL_CONSTANT)
        return result

    return wrapper
