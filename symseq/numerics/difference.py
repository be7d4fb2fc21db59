"""F' = f by difference quotients, for answers whose symbolic derivative holds only off a cut.

The verifier's residual F' - f uses SymPy's derivative of F.  For the incomplete elliptic
integrals that derivative (d/dphi F(phi|m) = 1/sqrt(1 - m*sin(phi)**2)) is the principal branch's,
and mpmath's values off the strip |Re phi| < pi/2 follow another: ``elliptic_f(asin(x), 2)/sqrt(2)``
for 1/(sqrt(1 - x**2)*sqrt(2 - 4*x**2)) has a residual that simplifies to 0, yet for x > 1 (asin(x)
on its cut, Re = pi/2) the function mpmath evaluates grows like -f there.  So for such answers
the verifier also compares a central difference quotient of F, along the real line and at
adaptive precision, with f wherever f is real and finite (F may be complex there).
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.precise import evaluate

# functions whose SymPy derivative in x may disagree with their mpmath values (the module docstring)
FORMAL_DERIVATIVE = (sp.elliptic_f, sp.elliptic_e, sp.elliptic_pi)
POINTS = 12  # points compared, at most
BITS = 160
STEP = mpmath.mpf(2) ** -40  # relative step of the central difference
TOLERANCE = 1e-12


def needs_difference_check(candidate: sp.Expr) -> bool:
    """Whether ``candidate`` holds a function of ``FORMAL_DERIVATIVE`` whose arguments depend on x."""
    return any(node.has(X) for node in candidate.atoms(*FORMAL_DERIVATIVE))


def difference_defect(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray) -> str:
    """Why F' = f fails by difference quotients at one of ``xs`` ("" when it holds at all)."""
    x_bad = difference_mismatch(question, candidate, xs)
    return "" if x_bad is None else f"F's difference quotient differs from f at x = {x_bad:.6g}"


def where_difference_holds(question: sp.Expr, candidate: sp.Expr, intervals: tuple) -> tuple:
    """The intervals (``symseq.solve.intervals.Interval``) at whose inner points F' = f holds by
    difference quotients too (5 points each; an infinite end is taken 50 beyond the other)."""
    kept = []
    for iv in intervals:
        lo = iv.lo if np.isfinite(iv.lo) else (iv.hi if np.isfinite(iv.hi) else 0.0) - 50.0
        hi = iv.hi if np.isfinite(iv.hi) else lo + 50.0 + (0.0 if np.isfinite(iv.lo) else 50.0)
        inner = lo + (hi - lo) * np.array([0.07, 0.29, 0.5, 0.71, 0.93])
        if difference_mismatch(question, candidate, inner) is None:
            kept.append(iv)
    return tuple(kept)


def difference_mismatch(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray) -> float | None:
    """The first x of ``xs`` (at most ``POINTS`` of them) where f is real and finite and F's
    central difference quotient differs from f, or None.  A point where F or f cannot be
    evaluated is skipped."""
    for x0 in list(xs)[:POINTS]:
        x0 = float(x0)
        try:
            f = evaluate(question, {X: x0}, BITS)[0]
            if abs(f.imag) > TOLERANCE * (1 + abs(f.real)):
                continue
            with mpmath.workprec(BITS):
                h = STEP * (1 + abs(mpmath.mpf(x0)))
                ahead, behind = (evaluate(candidate, {X: x0 + d}, BITS)[0] for d in (h, -h))
                slope = (ahead - behind) / (2 * h)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):  # _Unsupported is a ValueError
            continue
        if abs(slope - f) > TOLERANCE * (1 + abs(f)):
            return x0
    return None
