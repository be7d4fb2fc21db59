"""Special functions at many real points at once, by scipy (vectorised, double precision).

mpmath evaluates a Bessel or Airy function point by point, about a millisecond each; the jump
test and the interval search ask for thousands of points (an ODE answer in Bessel functions spent
12 s there, over the race's verification share).  For real arguments where scipy's value is
finite (its real-argument algorithms: Amos for Bessel functions, Cephes for Airy), ``real_values``
gives those values; every other point (a complex argument, a negative one where the function is
complex, an overflow) is left to mpmath by the caller, so values and branches stay the same.
Without scipy installed, nothing is computed here.
"""

from __future__ import annotations

import numpy as np

try:
    from scipy import special as _scipy
except ImportError:  # optional: mpmath alone
    _scipy = None


def _airy(k: int):
    return lambda z: _scipy.airy(z)[k]


_BY_NAME = {} if _scipy is None else {
    "besselj": _scipy.jv, "bessely": _scipy.yv, "besseli": _scipy.iv, "besselk": _scipy.kv,
    "airyai": _airy(0), "airyaiprime": _airy(1), "airybi": _airy(2), "airybiprime": _airy(3),
}


VECTORISED = frozenset(_BY_NAME)  # the special functions evaluated here (none without scipy)


def real_values(name: str, args: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """(values, done) for the special function ``name`` at the points of ``args`` (complex arrays
    of one shape): ``done`` where every argument is real and scipy's value finite; None when
    scipy does not evaluate this function."""
    fn = _BY_NAME.get(name)
    if fn is None:
        return None
    args = [np.broadcast_to(np.asarray(a, dtype=np.complex128), np.shape(args[0])) for a in args]
    real = np.logical_and.reduce([np.isfinite(a) & (a.imag == 0) for a in args])
    values = np.full(np.shape(args[0]), np.nan, dtype=np.complex128)
    if real.any():
        with np.errstate(all="ignore"):
            values[real] = fn(*(a.real[real] for a in args))
    done = real & np.isfinite(values)
    return values, done
