"""Where to cut an interval before integrating numerically: the points a rule must have as
ends of its pieces to converge (``symseq.numerics.quadrature``).

* ``singular_points``: where f is undefined or unbounded on a double-precision scan, and where
  it is not smooth: Abs, sign, Heaviside and fractional powers at a zero of their argument,
  asin/acos where theirs is +-1 (sign changes by bisection, touching zeros by a golden-section
  search);
* ``far_peak``: the mass of an infinite range that lies far from its finite end;
* ``scan``: the singular points of a finite range and, from the same values, how often f
  changes sign there (fast oscillation).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.numeric import NotNumeric, evaluate

SCAN_POINTS = 4001  # double-precision scan for interior singular points


def singular_points(f: sp.Expr, a: float, b: float) -> list[float]:
    """Interior points of a finite [a, b] where f looks undefined or unbounded (a scan in
    double precision; each is then an end of a piece, where tanh-sinh copes)."""
    return scan(f, a, b)[0]


def scan(f: sp.Expr, a: float, b: float) -> tuple[list[float], int]:
    """``singular_points`` and how often f changes sign on the same scan of [a, b] (fast
    oscillation), from one evaluation of f."""
    xs = np.linspace(a, b, SCAN_POINTS)[1:-1]
    try:
        v, _ = evaluate(f, {X: xs.astype(np.complex128)})
    except NotNumeric:
        return [], 0
    mag = np.abs(v)
    bad = ~np.isfinite(v)
    # a spike: far above both neighbours (a pole between grid points)
    spike = np.zeros_like(bad)
    with np.errstate(over="ignore"):  # 1e6 times a huge neighbour is inf: no spike there
        spike[1:-1] = (mag[1:-1] > 1e6 * (1 + np.minimum(mag[:-2], mag[2:])))
    cuts = [float(x) for x in xs[bad | spike]][:50]
    for node in sp.preorder_traversal(f):  # kinks and steps (see _critical_values)
        for c in _critical_values(node):
            try:
                u = evaluate(node.args[0] - c, {X: xs.astype(np.complex128)})[0].real
            except NotNumeric:
                continue
            cuts += _zeros(node.args[0] - c, xs, u)
    real = v.real[np.isfinite(v.real)]
    return cuts, int(np.count_nonzero(np.sign(real[:-1]) * np.sign(real[1:]) < 0))


def _critical_values(node: sp.Basic) -> tuple:
    """Where ``node``'s argument makes it non-smooth: Abs, sign, Heaviside and a fractional power
    at 0 (a kink, a step, a root's vertical tangent), asin and acos at +-1 (a vertical tangent:
    acos(sin(x)) has a kink at pi/2)."""
    if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
        return (0,)
    if isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer:
        return (0,)
    if isinstance(node, (sp.asin, sp.acos)):
        return (-1, 1)
    return ()


def _zeros(u: sp.Expr, xs: np.ndarray, values: np.ndarray) -> list[float]:
    """The zeros of ``u`` on the grid ``xs`` (``values`` its values there): sign changes found by
    bisection, and touching zeros (a minimum of |u| between grid points, as 1 + sin(2x) has at
    3 pi/4) by a golden-section search, kept when |u| is zero there to double precision."""
    flips = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)[:50]
    found = [_root(u, float(xs[i]), float(xs[i + 1])) for i in flips]
    found += [float(x) for x in xs[values == 0][:50]]
    mag = np.abs(values)
    scale = 1.0 + float(np.max(mag)) if len(mag) else 1.0
    dips = np.flatnonzero((mag[1:-1] < mag[:-2]) & (mag[1:-1] < mag[2:]) & (mag[1:-1] < 1e-3 * scale))[:50] + 1
    for i in dips:
        t = _lowest(u, float(xs[i - 1]), float(xs[i + 1]))
        if abs(_at(u, t)) <= 1e-12 * scale:
            found.append(t)
    return found


def _at(u: sp.Expr, t: float) -> float:
    return float(evaluate(u, {X: np.array([t], dtype=np.complex128)})[0][0].real)


def _lowest(u: sp.Expr, lo: float, hi: float) -> float:
    """Where |u| is least on [lo, hi] (golden-section search to double precision)."""
    g = (np.sqrt(5) - 1) / 2
    for _ in range(80):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if m1 >= m2:
            break
        if abs(_at(u, m1)) <= abs(_at(u, m2)):
            hi = m2
        else:
            lo = m1
    return (lo + hi) / 2


def far_peak(f: sp.Expr, start: float, direction: int) -> list[float]:
    """Where |f| peaks beyond 50 of ``start`` on its infinite side (``direction`` +1 or -1), when
    it peaks there at all: points around the peak, for the rule to see a mass it would otherwise
    step over (exp(-(x - 2024)**2/4) on the real line)."""
    steps = start + direction * (50.0 + np.logspace(-1, 8, 400))
    near = start + direction * np.linspace(0.0, 50.0, 101)
    try:
        far_v = np.abs(evaluate(f, {X: steps.astype(np.complex128)})[0])
        near_v = np.abs(evaluate(f, {X: near.astype(np.complex128)})[0])
    except NotNumeric:
        return []
    far_v, near_v = np.where(np.isfinite(far_v), far_v, 0.0), np.where(np.isfinite(near_v), near_v, 0.0)
    i = int(np.argmax(far_v))
    if far_v[i] <= 1e-3 * float(np.max(near_v, initial=0.0)) or far_v[i] == 0:
        return []
    return sorted(float(t) for t in steps[max(0, i - 2):i + 3])


def _root(u: sp.Expr, lo: float, hi: float) -> float:
    """A sign change of ``u`` between ``lo`` and ``hi``, by bisection to double precision."""
    s_lo = np.sign(_at(u, lo))
    for _ in range(60):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if np.sign(_at(u, mid)) == s_lo:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
