"""The real zeros of a function of x beyond the grids' reach, found numerically: where SymPy's
``solveset`` cannot list them (``x - 150 + sin(x)``: a ``ConditionSet``; ``cos(x**2/20000)``: a
family not linear in its integer), ``symseq.numerics.exact_singularities`` scans here.

``far_zeros(u)`` evaluates u (vectorised, double precision) on ``FAR_GRID``: log-spaced points
from ``REACH`` to ``SCAN_REACH`` on each side, 0.01 apart at 100 and 1 apart at 10^4; a sign
change between neighbours is refined by bisection (``symseq.numerics.sign_changes``), and a
local minimum of |u| near 0 (a zero that touches: cos(x/40) + 1) by a fine grid between its
neighbours.  A limit, stated: zeros
beyond ``SCAN_REACH``, or two closer than the grid's spacing that cancel in sign and stay above
the minimum's threshold, are not seen.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symseq.numerics.numeric import NotNumeric
from symseq.numerics.sign_changes import bisect, real_values

REACH = 100.0
SCAN_REACH = 1e4
FAR_GRID = REACH * np.exp(np.arange(0.0, np.log(SCAN_REACH / REACH), 1e-4))  # 46,052 points
MAX_ZEROS = 50  # on each side, those nearest REACH
ALIASED_STEPS = 3  # two sign changes this few grid steps apart: the grid does not resolve u (None)


def far_zeros(u: sp.Expr) -> list[float] | None:
    """The real zeros of u with REACH < |x| <= SCAN_REACH that the scan finds (the module
    docstring), sorted; on each side the ``MAX_ZEROS`` nearest REACH at most (cos(x**2/20000) has
    1,591 out to 10^4: the first ones are where an interval ends); None when u cannot be
    evaluated, or changes sign about as often as the grid's spacing (not resolved)."""
    found: list[float] = []
    try:
        for side in (1.0, -1.0):
            xs = side * FAR_GRID  # from REACH outwards
            v = real_values(u, xs)
            if not np.isfinite(v).any():
                continue
            both = np.isfinite(v[:-1]) & np.isfinite(v[1:])
            crossings = np.flatnonzero(both & (np.sign(v[:-1]) * np.sign(v[1:]) <= 0))[:MAX_ZEROS + 1]
            if crossings.size > 1 and np.diff(crossings).min() <= ALIASED_STEPS:
                return None  # zeros about as dense as the grid (tan(x**2) at 100): what it sees is aliased
            crossings = crossings[:MAX_ZEROS]
            here = list(bisect(u, xs[crossings], xs[crossings + 1])) if crossings.size else []
            a = np.abs(v)
            typical = 1 + float(np.nanmedian(a))
            same_sign = (np.sign(v[:-2]) == np.sign(v[1:-1])) & (np.sign(v[1:-1]) == np.sign(v[2:]))  # no crossing
            dips = np.flatnonzero(same_sign & (a[1:-1] <= a[:-2]) & (a[1:-1] <= a[2:]) & (a[1:-1] < 1e-2 * typical))
            for i in dips[:MAX_ZEROS] + 1:
                fine = np.linspace(xs[i - 1], xs[i + 1], 2001)
                w = np.abs(real_values(u, fine))
                if np.isfinite(w).any() and np.nanmin(w) <= 1e-6 * typical:
                    here.append(float(fine[int(np.nanargmin(w))]))
            found += sorted(here, key=abs)[:MAX_ZEROS]
    except (NotNumeric, ValueError, TypeError, ArithmeticError):
        return None
    return sorted(set(float(z) for z in found))
