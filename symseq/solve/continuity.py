"""The verifier's continuity rule: an antiderivative may not jump where the integrand is defined.

``find_jump(f, F, env, usable)`` compares, for neighbouring usable sample points a < b,
F(b) - F(a) with the integral of f over [a, b] (Gauss-Legendre of orders 20 and 40, vectorised
numpy), wherever the two orders agree and f is defined on a fine grid of the interval.  A clear,
stable mismatch is a jump -- refused unless it sits exactly at a point where the integrand's
expression is undefined (located by bisection, recognised as a simple exact number, checked
with SymPy), where an antiderivative may take another constant on each side.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.numeric import NotNumeric, evaluate
from generators.symbols import X


def real_finite(v: np.ndarray) -> np.ndarray:
    """Where complex values ``v`` are finite and real (to 1e-9 relative)."""
    return np.isfinite(v) & (np.abs(v.imag) <= 1e-9 * (1 + np.abs(v.real)))


_GL = {n: np.polynomial.legendre.leggauss(n) for n in (20, 40)}
MAX_GAP = 2.0  # widest interval between neighbouring sample points that the jump test spans
GRID = 400  # points per interval where f must be defined for a jump to count


def find_jump(question: sp.Expr, candidate: sp.Expr, env: dict, usable: np.ndarray) -> str:
    """A reason if F(b) - F(a) differs from the integral of f over [a, b] for neighbouring usable
    sample points a < b (a jump of F: sign(x), Abs(x)/x, a wrong log branch), else ''.

    Gauss-Legendre quadrature of orders 20 and 40 (vectorised numpy); intervals where f is not
    real and finite at every node, or where the two orders disagree (a singularity, fast
    oscillation), are skipped: the test only ever rejects on a clear, stable mismatch."""
    xs = np.sort(env[X][usable].real)
    a, b = xs[:-1], xs[1:]
    keep = (b - a) <= MAX_GAP
    a, b = a[keep], b[keep]
    if not len(a):
        return ""
    integrals = []
    for n, (nodes, weights) in _GL.items():
        t = (a[:, None] + b[:, None]) / 2 + (b - a)[:, None] / 2 * nodes[None, :]
        try:
            vals = evaluate(question, {X: t.ravel().astype(np.complex128)})[0].reshape(t.shape)
        except NotNumeric:
            return ""
        ok = real_finite(vals).all(axis=1)
        integrals.append((np.where(ok[:, None], vals.real, 0.0) @ weights * (b - a) / 2, ok))
    # f must also be finite on a fine grid of the interval: F may jump where f is undefined
    # (at a pole of tan inside f, say), and quadrature nodes can step over such a point
    grid = a[:, None] + (b - a)[:, None] * (np.arange(1, GRID + 1) - 0.37) / GRID
    try:
        on_grid = evaluate(question, {X: grid.ravel().astype(np.complex128)})[0].reshape(grid.shape)
    except NotNumeric:
        return ""
    defined = real_finite(on_grid).all(axis=1)
    (i20, ok20), (i40, ok40) = integrals
    both = {X: np.concatenate([a, b]).astype(np.complex128)}
    try:
        fa_fb, f_scale = evaluate(candidate, both)
    except NotNumeric:
        return ""
    k = len(a)
    delta = (fa_fb[k:] - fa_fb[:k]).real
    scale = 1.0 + np.abs(i40) + f_scale[:k] + f_scale[k:] + np.abs(fa_fb[:k]) + np.abs(fa_fb[k:])
    stable = defined & ok20 & ok40 & (np.abs(i20 - i40) <= 1e-10 * (1 + np.abs(i40)))
    jumps = stable & (np.abs(delta - i40) > 1e-6 * scale)
    for j in np.flatnonzero(jumps):
        if not _integrand_undefined_at_jump(question, candidate, float(a[j]), float(b[j])):
            return (f"not continuous: F({b[j]:.4g}) - F({a[j]:.4g}) = {delta[j]:.6g} but the "
                    f"integral of the integrand over that interval is {i40[j]:.6g}")
    return ""


def _integrand_undefined_at_jump(question: sp.Expr, candidate: sp.Expr, a: float, b: float) -> bool:
    """Whether F's jump in [a, b] sits exactly at a point where the integrand's expression is
    undefined (tanh(1/x) for f with a 1/x, a pole of tan inside f): an antiderivative may take
    another constant on each side of such a point.  The jump is located by bisection, the point
    recognised as a simple exact number (rational, or rational multiple of pi), and f evaluated
    there exactly.  Anything else is a jump (the answer is refused)."""
    lo, hi = a, b
    f_lo, f_hi = (complex(v) for v in evaluate(candidate, {X: np.array([lo, hi], dtype=np.complex128)})[0])
    for _ in range(80):
        mid = (lo + hi) / 2
        if not lo < mid < hi:
            break
        f_mid = complex(evaluate(candidate, {X: np.array([mid], dtype=np.complex128)})[0][0])
        if not np.isfinite(f_mid):
            break
        if abs(f_mid - f_lo) >= abs(f_hi - f_mid):
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
    where = (lo + hi) / 2
    try:
        exact = sp.Integer(0) if abs(where) < 1e-9 else \
            sp.nsimplify(where, [sp.pi], tolerance=1e-9, rational=False)
    except (ValueError, TypeError):
        return False
    if exact.free_symbols or sp.count_ops(exact) > 8 or abs(float(exact) - where) > 1e-7 * (1 + abs(where)):
        return False
    value = question.subs(X, exact)
    return bool(value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_finite is False)
