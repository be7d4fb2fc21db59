"""ODE problems (Lample & Charton, section 3): a solution with constants -> the equation it solves.

``ode1``: draw y = s(x, c1) with c1 in the tree; solve y = s for c1, giving c1 = phi(x, y); then
d/dx phi(x, f(x)) = 0 is a first-order ODE free of c1 that every y = s(x, c1) satisfies.
``ode2``: draw s(x, c1, c2); eliminate c1 as above, which leaves E(x, f, f', c2) = 0; solve that
for c2 and differentiate once more: a second-order ODE free of both constants.

Each constant is placed at exactly one leaf of the random tree.  Solving for it is then exact
and instant, without ``sympy.solve`` (which took seconds per draw here, hung on a quarter of
them, and returned Cardano-size roots): if the expression is linear in the constant, divide;
otherwise ``invert`` walks from the root to the constant applying inverse operations
(exp <-> log, sin -> asin, x^k -> x^(1/k), ...).  What neither handles is skipped.  An inverse
branch (asin, even roots) can make the solution hold on part of the real line only; the strict
numeric check then drops the pair (Lample & Charton kept such pairs when 20% of points passed).

The equation is the shorter of d/dx phi as it comes and the numerator of its ``together`` form
(minus numeric factors and factors in x alone).  Every pair is checked: with f = s and random
constants, the equation vanishes at all sample points where it is defined (at least 10 of 40).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators import base
from generators.base import Problem, Skip
from generators.functions import FUNCTIONS
from symseq.numerics.numeric import Check, check_zero, default_env, has_essential_constants, is_real_somewhere
from generators.symbols import C1, C2, F0, F1, F2, X
from generators.trees import ExprConfig, TooFewLeaves, random_expr

# Stand-ins for f(x), f'(x), f''(x) while solving and differentiating (plain symbols are fast).
Y0, Y1, Y2 = sp.symbols("y0 y1 y2")

_INVERSE = {row.sympy: row.inverse for row in FUNCTIONS.values() if row.inverse is not None}


def invert(expr: sp.Expr, target: sp.Symbol, rhs: sp.Expr) -> sp.Expr | None:
    """Solve ``expr == rhs`` for ``target`` when it occurs on a single path; else None."""
    while expr != target:
        if expr.is_Add or expr.is_Mul:
            inside = [a for a in expr.args if a.has(target)]
            if len(inside) != 1:
                return None
            rest = expr.func(*[a for a in expr.args if a is not inside[0]])
            rhs = rhs - rest if expr.is_Add else rhs / rest
            expr = inside[0]
        elif expr.is_Pow:
            b, e = expr.args
            if b.has(target) and not e.has(target):
                rhs, expr = rhs ** (1 / e), b
            elif e.has(target) and not b.has(target):
                rhs, expr = sp.log(rhs) / sp.log(b), e
            else:
                return None
        elif type(expr) in _INVERSE:
            rhs, expr = _INVERSE[type(expr)](rhs), expr.args[0]
        else:
            return None
    return rhs


def solve_for(expr: sp.Expr, target: sp.Symbol, rhs: sp.Expr) -> sp.Expr | None:
    """``target`` as a function of the other symbols, or None when it cannot be isolated."""
    slope = sp.diff(expr, target)
    if slope != 0 and not slope.has(target):  # linear: expr = a + slope * target
        return (rhs - expr.xreplace({target: sp.Integer(0)})) / slope
    return invert(expr, target, rhs)


def absorb_constants(expr: sp.Expr, constants: tuple[sp.Symbol, ...]) -> sp.Expr:
    """Replace each largest x-free subexpression holding one constant by that constant.

    ``tan(c1)*x`` -> ``c1*x``, ``x**3*(-20*c1 - 20)`` -> ``x**3*c1``, ``-c1*x/3`` -> ``c1*x``: an
    arbitrary constant composed with fixed numbers is just another arbitrary constant.
    """
    def walk(e: sp.Expr) -> sp.Expr:
        held = [c for c in constants if e.has(c)]
        if not held:
            return e
        if not e.has(X) and len(held) == 1:
            return held[0]
        if e.is_Atom:
            return e
        if e.is_Add or e.is_Mul:  # -c1*x/3 -> c1*x, c1 + x + 2 -> c1 + x: the x-free part is one constant
            free = [a for a in e.args if not a.has(X)]
            free_held = [c for c in constants if any(a.has(c) for a in free)]
            if len(free_held) == 1 and sum(a.has(free_held[0]) for a in e.args) == 1:
                return e.func(free_held[0], *[walk(a) for a in e.args if a.has(X)])
        return e.func(*[walk(a) for a in e.args])

    return walk(expr)


def _total_derivative(phi: sp.Expr, order: int) -> sp.Expr:
    """d/dx phi(x, y0, y1) where y0 = f(x), y1 = f'(x) (and y1' = y2)."""
    d = sp.diff(phi, X) + sp.diff(phi, Y0) * Y1
    if order >= 2:
        d += sp.diff(phi, Y1) * Y2
    return d


def _size(e: sp.Expr) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


def _reduce_equation(eq: sp.Expr) -> sp.Expr:
    """The shorter of ``eq`` and its numerator without numeric factors and factors in x alone."""
    num, _ = sp.fraction(sp.together(eq))
    if num.is_Mul:
        num = sp.Mul(*[a for a in num.args if a.has(Y0, Y1, Y2)])
    if eq.is_Mul:
        eq = sp.Mul(*[a for a in eq.args if a.has(Y0, Y1, Y2)])
    return num if _size(num) < _size(eq) else eq


def _expanded_numerator(eq: sp.Expr) -> sp.Expr:
    """Lample & Charton's form of an equation: the numerator, without factors free of y, y',
    y'', expanded, with a leading + sign."""
    num, _ = sp.fraction(sp.together(eq))
    if num.is_Mul:
        num = sp.Mul(*[a for a in num.args if a.has(Y0, Y1, Y2)])
    num = sp.expand(num)
    return -num if num.could_extract_minus_sign() else num


def _check(eq: sp.Expr, solution: sp.Expr, order: int) -> bool:
    d1 = sp.diff(solution, X)
    values = {Y0: solution, Y1: d1}
    if order >= 2:
        values[Y2] = sp.diff(d1, X)
    residual = eq.xreplace(values)
    return check_zero(residual, default_env()) is Check.ZERO


def _as_question(eq: sp.Expr) -> sp.Expr:
    return eq.xreplace({Y2: F2, Y1: F1, Y0: F0})


def _draw_solution(rng: np.random.Generator, cfg: ExprConfig, constants: tuple[sp.Symbol, ...],
                   min_ops: int) -> tuple[sp.Expr, int] | Skip:
    n_ops = int(rng.integers(max(min_ops, cfg.min_ops), max(min_ops, cfg.max_ops) + 1))
    try:
        sol = random_expr(cfg, rng, variables=(X,), n_ops=n_ops, once=constants)
    except TooFewLeaves:
        return Skip(base.TOO_FEW_LEAVES)
    sol = absorb_constants(sol, constants)
    if not sol.has(X) or not all(sol.has(c) for c in constants):
        return Skip(base.CONSTANT)
    if base.is_invalid(sol):
        return Skip(base.INVALID)
    if not is_real_somewhere(sol):  # e.g. acosh(cos(...)): complex almost everywhere
        return Skip(base.NOT_REAL)
    if not has_essential_constants(sol, len(constants)):  # c1*x + c2*x: one constant, not two
        return Skip(base.NOT_GENERAL)
    return sol, n_ops


@base.generator
def gen_ode1(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    drawn = _draw_solution(rng, cfg, (C1,), min_ops=3)
    if isinstance(drawn, Skip):
        return drawn
    sol, n_ops = drawn
    phi = solve_for(sol, C1, Y0)
    if phi is None or not phi.has(X) or phi.has(C1):
        return Skip(base.NOT_SOLVABLE)
    eq = _reduce_equation(_total_derivative(phi, 1))
    if cfg.expand_equations:
        eq = _expanded_numerator(eq)
    if not eq.has(Y1):
        return Skip(base.NO_DERIVATIVE)
    if base.is_invalid(eq):
        return Skip(base.INVALID)
    if not _check(eq, sol, 1):
        return Skip(base.UNVERIFIED)
    return Problem("ode1", _as_question(eq), sol, {"n_ops": n_ops})


@base.generator
def gen_ode2(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    drawn = _draw_solution(rng, cfg, (C1, C2), min_ops=5)
    if isinstance(drawn, Skip):
        return drawn
    sol, n_ops = drawn
    phi1 = solve_for(sol, C1, Y0)
    if phi1 is None or not phi1.has(X) or phi1.has(C1) or not phi1.has(C2):
        return Skip(base.NOT_SOLVABLE)
    e1 = _reduce_equation(_total_derivative(phi1, 1))
    phi2 = solve_for(e1, C2, sp.Integer(0))
    if phi2 is None or phi2.has(C1) or phi2.has(C2) or not phi2.has(X):
        return Skip(base.NOT_SOLVABLE)
    eq = _reduce_equation(_total_derivative(phi2, 2))
    if cfg.expand_equations:
        eq = _expanded_numerator(eq)
    if not eq.has(Y2):
        return Skip(base.NO_DERIVATIVE)
    if base.is_invalid(eq):
        return Skip(base.INVALID)
    if not _check(eq, sol, 2):
        return Skip(base.UNVERIFIED)
    return Problem("ode2", _as_question(eq), sol, {"n_ops": n_ops})
