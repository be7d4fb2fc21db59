"""Where an answer built with ``Abs``, ``sign`` or roots can change form, and whether it holds on every piece.

Sampling alone cannot see a defect narrower than its grid: ``x**2/2 + sign(x - c)/10**7`` jumps
by 2e-7 at one point, a "tent" ``(w - |x - c| + |w - |x - c||)/2`` with w = 1e-9 is nonzero on an
interval 2e-9 wide.  But such an expression is analytic between the real zeros of the arguments
of its ``Abs`` and ``sign`` (its *kinks*), so it is checked piece by piece:

* ``kinks(exprs)``: the real zeros in [-``REACH``, ``REACH``] (and those SymPy lists exactly
  beyond it: ``symseq.numerics.exact_singularities``) of every ``Abs``/``sign`` argument
  and every base of a fractional power (``sqrt((x - c)**2)`` is ``Abs(x - c)``), and the poles
  of polynomial denominators (a polynomial's real roots are taken wherever they are)
  (polynomials: their roots; other arguments: sign changes on a fine grid, near the zeros of the
  arguments nested inside them, and near local minima of |u|, each refined by bisection to
  neighbouring doubles: ``symseq.numerics.sign_changes``);
* ``defects(question, candidate, residual, points)``: at each kink, whether F jumps there
  (F(r - h) against F(r + h), h = 1e-14, at adaptive precision), and on
  each piece between neighbouring kinks, whether the residual is nonzero at its middle (at
  adaptive precision).

An answer with a defect does not hold on the whole line; the intervals of a LOCAL answer are cut
at its jumps and lose its bad pieces.  Too many kinks to check (over ``MAX_KINKS``) is reported
as such (``None``): the answer is then not verified.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from symseq.numerics.exact_singularities import far_points
from symseq.numerics.numeric import NotNumeric
from symseq.numerics.precise import Zero, is_real, judge_zero
from symseq.numerics.sign_changes import bisect, real_values
from generators.symbols import X

REACH = 100.0
END_STEP = 0.7390851  # how far beyond the outermost kinks the residual is judged (not a simple number)
MAX_KINKS = 400  # 127 for sqrt(tan(x))'s antiderivative (0.6 s to check); beyond: "not verified"
GRID = np.linspace(-REACH, REACH, 40001)  # 0.005 apart


def _u_at(u: sp.Expr, xs: np.ndarray) -> np.ndarray:
    return real_values(u, xs, rel=1e-12)


def _zeros(u: sp.Expr, near: list[float]) -> list[float]:
    """The real zeros of u in [-REACH, REACH] (see the module docstring)."""
    if not u.has(X):
        return []
    num, _ = sp.fraction(sp.together(u))
    if num.is_polynomial(X):
        poly = sp.Poly(num, X)
        if poly.degree() <= 60 and all(c.is_number for c in poly.all_coeffs()):
            roots = np.roots([complex(c) for c in poly.all_coeffs()]) if poly.degree() > 0 else []
            return sorted(float(r.real) for r in roots if abs(r.imag) <= 1e-9 * (1 + abs(r)))
    points = [GRID]
    for r in near:  # a nested argument: its own zero is where this one may hide a narrow one
        points.append(r + np.concatenate([-np.logspace(-14, -2, 49), [0.0], np.logspace(-14, -2, 49)]))
    xs = np.unique(np.concatenate(points))
    v = _u_at(u, xs)
    found = [float(x) for x in xs[v == 0]]
    change = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
    change = change[:MAX_KINKS + 1]
    found += list(bisect(u, xs[change], xs[change + 1], rel=1e-12)) if change.size else []
    # a narrow bump of u across 0 between grid points: look closer at each local minimum of |u|
    a = np.abs(v)
    minima = np.flatnonzero((a[1:-1] <= a[:-2]) & (a[1:-1] <= a[2:]) & (a[1:-1] < 1e-2))[:MAX_KINKS] + 1
    for i in minima:
        fine = np.linspace(xs[i - 1], xs[i + 1], 2001)
        w = _u_at(u, fine)
        near = np.flatnonzero(np.sign(w[:-1]) * np.sign(w[1:]) < 0)[:4]
        found += list(bisect(u, fine[near], fine[near + 1], rel=1e-12)) if near.size else []
    return sorted(found)


def _step_arguments(e: sp.Expr) -> list[sp.Expr]:
    """The u whose zeros are where ``e`` may step (the rest of its formula being continuous
    there: Abs, roots): sign(u); Abs(u) or a polynomial u in a denominator; u in a denominator
    that also sits under Abs or a root (Abs(u)/u, sqrt(u**2)/u)."""
    continuous = {a.args[0] for a in sp.preorder_traversal(e) if isinstance(a, sp.Abs)} | \
        {a.base for a in sp.preorder_traversal(e) if a.is_Pow and not a.exp.is_integer}
    out = []
    for atom in sp.preorder_traversal(e):
        if isinstance(atom, sp.sign) or (atom.is_Pow and isinstance(atom.base, sp.Abs) and atom.exp.is_negative):
            u = atom.args[0] if isinstance(atom, sp.sign) else atom.base.args[0]  # x/Abs(x)
        elif atom.is_Pow and atom.base.has(X) and atom.exp.is_negative and (
                atom.base.is_polynomial(X) or atom.base in continuous or atom.base ** 2 in continuous):
            u = atom.base
        else:
            continue
        if u not in out:
            out.append(u)
    return out


def kinks(exprs: list[sp.Expr], steps_only: bool = False) -> list[float] | None:
    """The kinks of ``exprs`` in [-REACH, REACH], sorted; None if over ``MAX_KINKS``.  With
    ``steps_only``, only the points where a formula may step (``_step_arguments``)."""
    args = [] if not steps_only else [u for e in exprs for u in _step_arguments(e)]
    for e in exprs if not steps_only else ():
        for atom in sp.preorder_traversal(e):
            # Abs(u), sign(u), and u**(p/q) (sqrt(u**2) is |u|) change form where u = 0
            if isinstance(atom, (sp.Abs, sp.sign)) or (atom.is_Pow and atom.base.has(X) and (
                    not atom.exp.is_integer or (atom.exp.is_negative and atom.base.is_polynomial(X)))):
                u = atom.args[0]  # (a polynomial denominator: the poles of f, where F may restart)
                if u not in args:
                    args.append(u)
    if not args:
        return []
    # beyond REACH, the zeros SymPy lists exactly (a polynomial's are taken below wherever they are)
    far = far_points(sp.Add(*[sp.Abs(u) for u in args]))
    found: list[float] = [v for v, _ in far or ()]
    # inner arguments first: their zeros guide the search for the outer ones
    for u in sorted(args, key=sp.count_ops):
        try:
            found = _distinct(found + _zeros(u, found))
        except (NotNumeric, ValueError, TypeError, ArithmeticError):
            return None
        if len(found) > MAX_KINKS:
            return None
    return found


def _distinct(points: list[float]) -> list[float]:
    """Sorted, with points closer than 1e-12 (relative) merged: one zero found twice."""
    out: list[float] = []
    for p in sorted(points):
        if not out or p - out[-1] > 1e-12 * (1 + abs(p)):
            out.append(p)
    return out


def defects(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr,
            points: list[float]) -> tuple[list[float], list[float], list[tuple[float, float]]]:
    """(kinks where F jumps, kinks where f is undefined, pieces (a, b) where the residual is
    nonzero, the outer two unbounded: -inf or inf) for the sorted kinks ``points``.  At a kink
    where F is real on both sides, a jump that high precision cannot refute counts as a jump; a
    kink where f is undefined (a pole, or no value) may separate two constants of integration
    and is reported apart; a piece where F or f is not real at its middle is left to the other
    checks (no answer is claimed there)."""
    jumps, singular, bad = [], [], []
    for r in points:
        h = 1e-9 * (1 + abs(r))
        if _undefined_at(question, r):
            singular.append(r)
            continue
        if is_real(candidate, {X: r - h}) is not True or is_real(candidate, {X: r + h}) is not True:
            continue
        if _jumps_at(question, candidate, r) is not False:
            jumps.append(r)
    # the outer ends lie beyond every kink (a polynomial's roots are taken wherever they are: a kink
    # at 1000 must not leave an unsorted "piece" (1000, 150) behind)
    ends = [min(-REACH * 1.5, points[0] - 1) if points else -REACH * 1.5, *points,
            max(REACH * 1.5, points[-1] + 1) if points else REACH * 1.5]
    for a, b in zip(ends, ends[1:]):
        # a point inside each piece; in the two unbounded ones, near the kink (at x = +-75
        # exp(x**2) needs 10^4 digits to be judged: erfi's answer took 30 s there)
        mid = b - END_STEP if a == ends[0] else a + END_STEP if b == ends[-1] else (a + b) / 2
        if is_real(candidate, {X: mid}) is not True or is_real(question, {X: mid}) is not True:
            continue
        if judge_zero(residual, {X: mid})[0] is Zero.NONZERO:  # an outer piece is unbounded
            bad.append((-math.inf if a == ends[0] else a, math.inf if b == ends[-1] else b))
    return jumps, singular, bad


def _jumps_at(question: sp.Expr, candidate: sp.Expr, r: float) -> bool | None:
    """Whether F jumps at r: at r -+ h (h = 1e-14 relative, exact binary floats) at adaptive
    precision, |F(r + h) - F(r - h)| must stay within 10 h (1 + |f(r - h)| + |f(r + h)|), what a
    continuous F with that slope can change by (a root's vertical tangent included: there f is
    large too); a jump of 1e-12 or more is seen.  None if a value cannot be had."""
    import mpmath

    from symseq.numerics.precise import evaluate as precisely, working_bits

    h = 1e-14 * (1 + abs(r))
    try:
        values, slopes = [], []
        for x in (r - h, r + h):
            if x == r:
                return None
            values.append(precisely(candidate, {X: x}, working_bits(candidate, {X: x}))[0])
            slopes.append(abs(precisely(question, {X: x}, 128)[0]) if question.has(X) else abs(question))
        change = abs(mpmath.re(values[1] - values[0]))
        return bool(change > 10 * h * (1 + slopes[0] + slopes[1]))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, ArithmeticError):
        return None


def _undefined_at(question: sp.Expr, r: float) -> bool:
    """Whether f has no finite value at r, or grows without bound towards it (a pole)."""
    from symseq.numerics.continuity import _pole_of_integrand_at

    value = _u_at(question, np.array([r]))[0] if question.has(X) else 0.0
    return not np.isfinite(value) or _pole_of_integrand_at(question, r, r - 1e-3, r + 1e-3)


@lru_cache(maxsize=16)
def kink_defects(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr) -> tuple | None:
    """(kinks, jumps, singular kinks, bad pieces) of the answer (``kinks`` and ``defects``), or
    None when there are too many kinks to check.  Cached: the verifier's check and the interval
    search that may follow it, in the same worker, ask for the same answer."""
    points = kinks([question, candidate])
    if points is None:
        return None
    return (points, *defects(question, candidate, residual, points)) if points else (points, [], [], [])


def ode_kink_jump(task: str, equation: sp.Expr, y: sp.Expr) -> tuple[float, float, str] | None:
    """(a, b, reason) for a kink of an ODE answer ``y`` (its constants given values) where y, or
    y' for the second order, jumps although the equation is defined there: a step too small for
    the jump test's grid (``c1 + sign(x - 3)/10**7`` for y' = 0, ``c1 + c2*x + Abs(x - 3)/10**7``
    for y'' = 0: proved before).  Only the points where the formula may step are looked at
    (``_step_arguments``).  Excused as in ``continuity.ode_jump_between``: where the equation
    (``equation``: in x alone) is undefined, y' has a pole or y is not finite next to the point;
    a kink where y is not real on both sides is left to the other checks.  (The reason says
    "more than MAX_KINKS points ..." when there are too many to judge.)"""
    from symseq.numerics.continuity import _integrand_undefined_at_jump, _pole_of_integrand_at, without_deltas

    dy = without_deltas(sp.diff(y, X))
    pairs = [(dy, y)] + ([(without_deltas(sp.diff(dy, X)), dy)] if task == "ode2" else [])
    for f, F in pairs:
        points = kinks([F], steps_only=True)  # F continuous wherever its parts are: Abs, roots
        if points is None:
            return 0.0, 0.0, f"more than {MAX_KINKS} points where Abs or sign change form: not checked"
        for r in points:
            h = 1e-9 * (1 + abs(r))
            if not np.isfinite(_u_at(F, np.array([r - h, r + h]))).all():  # y blows up (exp(1/x) at 0)
                continue  # or is not real beside it: no step to judge (and no value at 1e-14 to take)
            if _pole_of_integrand_at(f, r, r - 1e-3, r + 1e-3):  # y' has a pole: a log pole of y
                continue  # (asinh(1/u): +-21 at 1e-9 from u = 0, ode1's reference 64), excused
            if is_real(F, {X: r - h}) is not True or is_real(F, {X: r + h}) is not True:
                continue
            if _jumps_at(f, F, r) is not False and \
                    not _integrand_undefined_at_jump(equation, F, r - h, r + h, pole_of=f):
                return r - h, r + h, f"{'y' if F is y else 'y prime'} jumps at x = {r:.10g}"
    return None
