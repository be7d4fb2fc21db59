"""Branch cuts met on the real line: where an antiderivative's imaginary part is a convention.

An answer may be complex by a constant on a piece of the line (log(x) for x < 0 is log|x| + I*pi),
and the jump test (``symseq.numerics.continuity``) judges such values as they are: an imaginary
part that steps where f is continuous (log(x**2 + 1)/2 + I*pi*sign(x - 150)) is a jump.  But on
a branch cut the imaginary part depends on the side the value is taken from, a convention
(atanh(t) for t < -1: +-I*pi/2 by numpy's signed zero, by SymPy's and mpmath's rules, differently),
and a "jump" there says nothing about the answer: only the real part is judged.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.jump_judges import has_special
from symseq.numerics.numeric import evaluate


def convention_free(candidate: sp.Expr, xs: np.ndarray, F_at: np.ndarray, f_at: np.ndarray,
                    complex_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(F's values, where they are ambiguous): at the points ``complex_at`` where F is complex,
    whether x lies on a branch cut of F (F(x + i*e) and F(x - i*e) differ by far more than F's
    slope explains).  There F's imaginary part is a convention (log(x) for x < 0: +-I*pi;
    atanh(1 - 1/x) for 0 < x < 1/2: numpy's signed zero and SymPy's rules give +-I*pi/2 and
    differ), so only its real part is kept to be judged -- unless the two sides' real parts
    differ too (then the point is ambiguous and left out)."""
    ambiguous = np.zeros(len(xs), dtype=bool)
    at = np.flatnonzero(complex_at)
    if not at.size:
        return F_at, ambiguous
    if has_special(candidate):  # at complex x, mpmath point by point (Airy: past 30 s at some draws)
        ambiguous[at] = True  # its complex values are left out, as before session 30
        return F_at, ambiguous
    eps = 1e-10 * (1.0 + np.abs(xs[at]))
    above = evaluate(candidate, {X: xs[at] + 1j * eps})[0]
    below = evaluate(candidate, {X: xs[at] - 1j * eps})[0]
    slope = 10.0 * eps * (1.0 + np.abs(f_at[at]))
    cut = ~(np.abs(above - below) <= 1e-6 * (1.0 + np.abs(F_at[at])) + slope)
    real_agrees = np.abs(above.real - below.real) <= 1e-6 * (1.0 + np.abs(F_at[at].real)) + slope
    F_at = F_at.copy()
    F_at[at[cut]] = F_at[at[cut]].real
    ambiguous[at[cut & ~real_agrees]] = True
    return F_at, ambiguous
