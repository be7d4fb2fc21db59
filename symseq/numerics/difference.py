"""F' = f by difference quotients, for answers whose symbolic derivative holds only off a cut.

The verifier's residual F' - f uses SymPy's derivative of F.  For the incomplete elliptic
integrals that derivative (d/dphi F(phi|m) = 1/sqrt(1 - m*sin(phi)**2)) is the principal branch's,
and mpmath's values off the strip |Re phi| < pi/2 follow another: ``elliptic_f(asin(x), 2)/sqrt(2)``
for 1/(sqrt(1 - x**2)*sqrt(2 - 4*x**2)) has a residual that simplifies to 0, yet for x > 1 (asin(x)
on its cut, Re = pi/2) the function mpmath evaluates grows like -f there.  So for such answers
the verifier also compares a central difference quotient of F, along the real line and at
adaptive precision, with f wherever f is real and finite (F may be complex there): at generic
points, and at points spread over where an amplitude leaves the real strip |phi| <= pi/2, found
on a grid out to |x| = 1e9 (there, far from the sample points, the formula can fail unseen:
``elliptic_f(asin(x), 1/10000)`` is wrong only for |x| > 100).  Known limit: an off-strip
window narrower than the grid (0.005 near 0) can escape.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.numeric import NotNumeric, evaluate as evaluate_double
from symseq.numerics.precise import evaluate

# functions whose SymPy derivative in x may disagree with their mpmath values (the module docstring)
FORMAL_DERIVATIVE = (sp.elliptic_f, sp.elliptic_e, sp.elliptic_pi)
POINTS = 12  # generic points compared, at most
SUSPECTS = 24  # points where an amplitude leaves the real strip, compared, at most
BITS = 160
STEP = mpmath.mpf(2) ** -40  # step of the central difference (absolute: F varies on a scale ~1 anywhere)
TOLERANCE = 1e-12
# where amplitudes are looked at: a fine grid near 0 and log-spaced points out to 1e9 both ways
_GRID = np.concatenate([np.linspace(-10, 10, 4001) + 0.0012345, np.logspace(1, 9, 400), -np.logspace(1, 9, 400)])


def off_strip_points(candidate: sp.Expr, k: int = SUSPECTS) -> np.ndarray:
    """Up to ``k`` points of a grid out to |x| = 1e9 (spread evenly, the extremes included) where
    the amplitude of an elliptic function of x is not real or lies beyond pi/2 (all of them when
    its other arguments depend on x): the only places where its SymPy derivative may be wrong."""
    suspect = np.zeros(len(_GRID), dtype=bool)
    for node in candidate.atoms(*FORMAL_DERIVATIVE):
        if not node.has(X):
            continue
        phi = node.args[1] if isinstance(node, sp.elliptic_pi) and len(node.args) == 3 else node.args[0]
        if len(node.args) == 1 or any(a.has(X) for a in node.args if a is not phi):
            return _spread(_GRID, k)
        try:
            values = evaluate_double(phi, {X: _GRID.astype(np.complex128)})[0]
        except NotNumeric:
            return _spread(_GRID, k)
        with np.errstate(all="ignore"):
            suspect |= ~np.isfinite(values) | (np.abs(values.imag) > 1e-12 * (1 + np.abs(values.real))) \
                | (np.abs(values.real) > np.pi / 2)
    return _spread(_GRID[suspect], k)


def _spread(xs: np.ndarray, k: int) -> np.ndarray:
    xs = np.sort(xs)
    return xs if len(xs) <= k else xs[np.unique(np.linspace(0, len(xs) - 1, k).round().astype(int))]


def needs_difference_check(candidate: sp.Expr) -> bool:
    """Whether ``candidate`` holds a function of ``FORMAL_DERIVATIVE`` whose arguments depend on x."""
    return any(node.has(X) for node in candidate.atoms(*FORMAL_DERIVATIVE))


def difference_defect(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray) -> str:
    """Why F' = f fails by difference quotients at one of ``xs`` (``POINTS`` of them) or of the
    off-strip points ("" when it holds at all)."""
    points = np.concatenate([np.asarray(xs, dtype=float)[:POINTS], off_strip_points(candidate)])
    x_bad = difference_mismatch(question, candidate, points, limit=len(points))
    return "" if x_bad is None else f"F's difference quotient differs from f at x = {x_bad:.6g}"


def where_difference_holds(question: sp.Expr, candidate: sp.Expr, intervals: tuple) -> tuple:
    """The intervals (``symseq.solve.intervals.Interval``) at whose inner points F' = f holds by
    difference quotients too: 5 points each (an infinite end taken 50 beyond the other), and the
    off-strip points inside it (out to |x| = 1e9)."""
    kept = []
    suspects = off_strip_points(candidate, k=4 * SUSPECTS)
    for iv in intervals:
        lo = iv.lo if np.isfinite(iv.lo) else (iv.hi if np.isfinite(iv.hi) else 0.0) - 50.0
        hi = iv.hi if np.isfinite(iv.hi) else lo + 50.0 + (0.0 if np.isfinite(iv.lo) else 50.0)
        inner = np.concatenate([lo + (hi - lo) * np.array([0.07, 0.29, 0.5, 0.71, 0.93]),
                                _spread(suspects[(suspects > iv.lo) & (suspects < iv.hi)], SUSPECTS)])
        if difference_mismatch(question, candidate, inner, limit=len(inner)) is None:
            kept.append(iv)
    return tuple(kept)


def difference_mismatch(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray, limit: int = POINTS) -> float | None:
    """The first x of ``xs`` (at most ``limit`` of them) where f is real and finite and F's
    central difference quotient differs from f, or None.  A point where f cannot be evaluated
    is skipped; one where f is real but F cannot be evaluated is skipped too, unless F could be
    evaluated at none of them: then the first such x (nothing was compared: not a pass)."""
    unevaluable, compared = None, 0
    for x0 in list(xs)[:limit]:
        x0 = float(x0)
        try:
            f = evaluate(question, {X: x0}, BITS)[0]
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):  # _Unsupported is a ValueError
            continue
        if abs(f.imag) > TOLERANCE * (1 + abs(f.real)):
            continue
        try:
            with mpmath.workprec(BITS):
                ahead, behind = (evaluate(candidate, {X: x0 + d}, BITS)[0] for d in (STEP, -STEP))
                slope = (ahead - behind) / (2 * STEP)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            unevaluable = x0 if unevaluable is None else unevaluable
            continue
        compared += 1
        if abs(slope - f) > TOLERANCE * (1 + abs(f)):
            return x0
    return unevaluable if compared == 0 else None
