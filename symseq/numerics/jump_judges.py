"""Judging one suspected jump of F between neighbouring points a < b, where the continuity screen
(``symseq.numerics.continuity``) found F(b) - F(a) unlike the integral of f over [a, b]: first in
double precision on ever finer sub-intervals (``refuted_in_double``: an oscillation the screen's
grid aliased is the usual suspect), then with mpmath at high precision
(``jump_at_high_precision``), which alone may confirm a jump.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.functions import SPECIAL_BY_SYMPY
from generators.symbols import X
from symseq.numerics.numeric import NotNumeric, evaluate
from symseq.numerics.vector_special import VECTORISED

_GL40 = np.polynomial.legendre.leggauss(40)


def real_finite(v: np.ndarray) -> np.ndarray:
    """Where complex values ``v`` are finite and real (to 1e-9 relative)."""
    return np.isfinite(v) & (np.abs(v.imag) <= 1e-9 * (1 + np.abs(v.real)))


def values_at(expr: sp.Expr, points: np.ndarray) -> np.ndarray:
    """``expr`` at real ``points`` (any shape), as complex values of the same shape."""
    return evaluate(expr, {X: points.ravel().astype(np.complex128)})[0].reshape(points.shape)


def has_special(expr: sp.Expr) -> bool:
    """Whether ``expr`` holds a special function (at adaptive precision: mpmath, point by point)."""
    return any(type(node) in SPECIAL_BY_SYMPY for node in sp.preorder_traversal(expr))


def slow_in_double(expr: sp.Expr) -> bool:
    """Whether ``expr`` holds a special function that double precision evaluates point by point
    (mpmath, a millisecond each): any but the Bessel and Airy functions scipy vectorises
    (``symseq.numerics.vector_special``; of a real argument, as on the real line)."""
    return any(type(node) in SPECIAL_BY_SYMPY and SPECIAL_BY_SYMPY[type(node)].name not in VECTORISED
               for node in sp.preorder_traversal(expr))


# sub-intervals of a suspect pair, in turn (vectorised numpy); the third for a spike of f narrower
# than the first's pieces (atan(2500*(x - x0)) in f: 128 and 1,024 differ by 4e-7, then agree)
REFINED_PIECES = (128, 1024, 8192)


def refuted_in_double(question: sp.Expr, candidate: sp.Expr, a: float, b: float, rel: float = 1e-8) -> bool:
    """Whether a suspect pair of the screen is no jump after all, shown in double precision: the
    integral of f over [a, b] by Gauss-Legendre of order 40 on ever more sub-intervals, two
    successive counts agreeing within the test's tolerance (f resolved: an oscillation faster
    than the screen's grid, which aliased it, is the usual suspect), matches F(b) - F(a) within
    ``rel`` of the sizes (as ``jump_at_high_precision`` judges) plus the two counts' difference
    and double precision's rounding of F's terms.  False when f is not resolved, not real and
    finite at every node, or the values differ: then mpmath judges, as before.  (An oscillation
    of x**3 inside sin at |x| ~ 10 cost mpmath 3 to 6 s per pair, this milliseconds.)  Not for a
    special function mpmath evaluates point by point (``slow_in_double``): 373,760 nodes would
    take seconds to minutes."""
    if slow_in_double(question):
        return False
    nodes, weights = _GL40
    try:
        with np.errstate(all="ignore"):
            ends, scale = evaluate(candidate, {X: np.array([a, b], dtype=np.complex128)})
            if not np.isfinite(ends).all() or not np.isfinite(scale).all():
                return False
            delta = complex(ends[1] - ends[0])  # F complex by a constant: the imaginary parts cancel
            rounding = float(np.sum(scale) + np.sum(np.abs(ends)))
            previous = None
            for pieces in REFINED_PIECES:
                edges = np.linspace(a, b, pieces + 1)
                mid, half = (edges[:-1] + edges[1:]) / 2, np.diff(edges) / 2
                vals = values_at(question, mid[:, None] + half[:, None] * nodes[None, :])
                if not real_finite(vals).all():
                    return False
                integral = float(np.sum(vals.real @ weights * half))
                if previous is not None:
                    error, size = abs(integral - previous), 1.0 + abs(integral) + abs(delta)
                    if error <= rel * size:  # resolved: two counts agree to the test's own tolerance
                        return abs(delta - integral) <= rel * size + 1e-12 * rounding + error
                previous = integral
        return False
    except NotNumeric:
        return False


def jump_at_high_precision(question: sp.Expr, candidate: sp.Expr, a: float, b: float,
                           rel: float = 1e-8) -> bool | None:
    """The double-precision screen's jump, confirmed with mpmath: F(a), F(b) at a precision
    above the magnitudes met inside F (so that cancellation in F cannot fake a jump), the
    integral of f by Gauss-Legendre quadrature on 4, then 32 pieces with its error estimate
    (a step of f in one piece only widens that estimate).  True only when the mismatch stands
    clearly above both errors (100 times the quadrature's estimate) and ``rel`` of the sizes,
    False when it stays within them; anything that cannot be evaluated gives no verdict (None).
    (A kink is judged with a far smaller ``rel``: its interval is 1e-9 wide.)"""
    import mpmath

    from symseq.numerics.precise import evaluate as evaluate_precisely, working_bits

    try:
        ends = []
        for x in (a, b):
            value, _ = evaluate_precisely(candidate, {X: x}, working_bits(candidate, {X: x}))
            ends.append(mpmath.mpc(value))  # complex F: its imaginary part must not jump either
        with mpmath.workdps(30):
            def f(t):
                return mpmath.re(evaluate_precisely(question, {X: t}, 128)[0])

            graded = _graded_ends(f, a, b)
            for pieces in (4, 32):  # more pieces only when the first estimate is poor
                nodes = sorted({a + (b - a) * k / pieces for k in range(pieces + 1)} | graded)
                integral, error = mpmath.quad(f, nodes, method="gauss-legendre", error=True)
                if error <= 1e-10 * (1 + abs(integral)):
                    break
            delta = ends[1] - ends[0]
            mismatch, size = abs(delta - integral), 1 + abs(integral) + abs(delta)
            if mismatch > rel * size + 100 * error:
                return True
            if mismatch <= rel * size and error <= 1e-2 * rel * size:
                return False
            return None
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, ArithmeticError):
        return None


def _graded_ends(f, a: float, b: float) -> set:
    """Extra quadrature nodes at 1e-2 ... 1e-14 of the width from each end of [a, b] where |f|
    stands far above its size in the middle: a pole just beyond the end (4e-6 beyond it, |f|
    there 6e10) is never sampled by Gauss-Legendre on even pieces, whose degrees then agree on a
    wrong value with a small error estimate -- a right answer's "jump"."""
    middle = max(abs(f(a + (b - a) * t)) for t in (0.3, 0.5, 0.7))
    nodes = set()
    for end, side in ((a, 1), (b, -1)):
        if abs(f(end)) > 100 * (1 + middle):
            nodes |= {end + side * (b - a) * 10.0 ** -k for k in range(2, 15)}
    return nodes
