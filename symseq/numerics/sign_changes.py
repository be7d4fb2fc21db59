"""Where a real function of x changes sign, located to double precision.

``real_values(u, xs)`` evaluates u at real points (vectorised, double precision), nan where u is
not real and finite; ``bisect(u, a, b)`` narrows every bracket [a[i], b[i]] across which u
changes sign at once, down to neighbouring doubles.  Shared by the far scan
(``symseq.numerics.far_scan``) and the kink finder (``symseq.solve.kinks``), whose jump test
looks 1e-14 (relative) to each side of a zero: a zero located to 1e-12 only (three rounds of a
1,001-point grid, as the kink finder once did) put both looks on one side, and a jump of 2e-7 at
log(3) (``x**2/2 + sign(exp(x) - 3)/10**7``) went unseen.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.numeric import evaluate

HALVINGS = 64  # a bracket of width 1e4 comes down to below a double's spacing


def real_values(u: sp.Expr, xs: np.ndarray, rel: float = 1e-9) -> np.ndarray:
    """u at real ``xs``: its real values, nan where u is not finite or its imaginary part exceeds
    ``rel`` of its size."""
    with np.errstate(all="ignore"):
        v = evaluate(u, {X: np.asarray(xs, dtype=np.complex128)})[0]
    ok = np.isfinite(v) & (np.abs(v.imag) <= rel * (1 + np.abs(v.real)))
    return np.where(ok, v.real, np.nan)


def bisect(u: sp.Expr, a: np.ndarray, b: np.ndarray, rel: float = 1e-9) -> np.ndarray:
    """Sign changes of u between a[i] and b[i] (either order), narrowed together until the
    bracket's ends are neighbouring doubles; a midpoint where u has no real value leaves the
    bracket as it is."""
    a, b = np.minimum(a, b).astype(float), np.maximum(a, b).astype(float)
    ua = real_values(u, a, rel)
    for _ in range(HALVINGS):
        mid = (a + b) / 2
        moving = (mid > a) & (mid < b)
        if not moving.any():
            break
        um = real_values(u, mid, rel)
        left = moving & np.isfinite(um) & (np.sign(um) == np.sign(ua))
        right = moving & np.isfinite(um) & ~left
        a, ua = np.where(left, mid, a), np.where(left, um, ua)
        b = np.where(right, mid, b)
    return (a + b) / 2
