"""Fast numeric identity screen: is a SymPy expression zero at sample points?

Used by the generators to check every pair they emit (d/dx answer == question; the solution
satisfies the ODE).  The expression tree is evaluated directly with numpy complex128 at all
sample points at once (no lambdify code generation, no string round trip): each node costs one
vectorised numpy call.

``check_zero(residual, env)`` returns a ``Check``:

* ``ZERO``: finite at >= ``min_valid`` points (of 40) and, at every finite point, ``|r| <= rtol * (1 +
  scale)`` where ``scale`` is the largest magnitude among the terms of every sum in the tree
  (so cancellation between large terms is judged relative to those terms);
* ``NONZERO``: some finite point violates that bound;
* ``UNDECIDED``: too few finite points, or a function the evaluator does not know.

Points where any subexpression is infinite or nan are skipped, so removable singularities and
partial domains do not count against a pair; complex intermediate values are allowed (a real
function may pass through complex numbers, e.g. ``asin(2)``), and are compared as complex
numbers.  This is a screen, not a proof: symseq's verifier adds a symbolic stage.
"""

from __future__ import annotations

import enum
from typing import Mapping

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from generators.functions import EVALUABLE, SPECIAL_BY_SYMPY, SpecialFunction
from generators.symbols import C1, C2, X
from symseq.numerics.vector_special import real_values

# Sample points: generic reals (never small integers or simple fractions) drawn once from a fixed
# seed.  x spans both signs from 0.05 to 5 in magnitude; the constants c1, c2 span [-3, 3].  Forty
# points, because a solution that holds on part of the domain only (a log that changes sign, an
# inverse-function branch) was seen to pass twelve points and fail elsewhere.
_POINT_RNG = np.random.default_rng(20261125)
N_POINTS = 40
X_POINTS = _POINT_RNG.choice([-1.0, 1.0], N_POINTS) * np.exp(_POINT_RNG.uniform(np.log(0.05), np.log(5.0), N_POINTS))
C1_POINTS = _POINT_RNG.uniform(-3.0, 3.0, N_POINTS)
C2_POINTS = _POINT_RNG.uniform(-3.0, 3.0, N_POINTS)


class Check(str, enum.Enum):
    ZERO = "zero"
    NONZERO = "nonzero"
    UNDECIDED = "undecided"


class NotNumeric(ValueError):
    """The expression holds something the evaluator cannot evaluate."""


_UNARY = {sympy_class: row.numpy for sympy_class, row in EVALUABLE.items()}


# rows tried first in mpmath's float context (Python complex numbers, the same algorithms and
# principal branches, ~20 times faster: an interval search evaluates F at 2,400 grid points; it
# lacks some functions, |Re phi| > pi/2 among them: then mpmath's own); values that decide a
# verdict are judged again at adaptive precision (symseq.numerics.precise)
# (not elliptic_pi: mpmath 1.3's fp.elliprj is wrong, fp.ellippi(2, 0.5, 0.5) = 0.396 for 0.628)
_FLOAT_CONTEXT = {"elliptic_f": mpmath.fp.ellipf, "elliptic_e": mpmath.fp.ellipe}


def _special(row: SpecialFunction, args: list[np.ndarray]) -> np.ndarray:
    """A special function at every point, by mpmath at double precision (nan where it fails);
    Bessel and Airy functions of real arguments by scipy, vectorised (``vector_special``)."""
    vector = real_values(row.name, args)
    if vector is None or not vector[1].any():
        return _special_by_mpmath(row, args)
    values, done = vector
    if not done.all():  # mpmath for the rest only
        values[~done] = _special_by_mpmath(row, [np.broadcast_to(a, values.shape)[~done] for a in args])
    return values


def _special_by_mpmath(row: SpecialFunction, args: list[np.ndarray]) -> np.ndarray:
    """``_special`` point by point, by mpmath at double precision (nan where it fails)."""
    fast = _FLOAT_CONTEXT.get(row.name)

    def one(*values):
        if fast is not None:
            try:
                return complex(fast(*(complex(v) for v in values)))
            except Exception:  # noqa: BLE001 -- AttributeError where fp lacks a function, or a failure
                pass
        try:
            return complex(row.mpmath(*(mpmath.mpc(v) for v in values)))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, mpmath.libmp.NoConvergence):
            return complex(np.nan, np.nan)
    with mpmath.workprec(53):
        out = np.frompyfunc(one, len(args), 1)(*args)
    return np.asarray(out, dtype=np.complex128).reshape(np.shape(args[0]))


def default_env(n_points: int | None = None) -> dict[sp.Basic, np.ndarray]:
    """Sample values for x, c1, c2 (complex arrays of equal length)."""
    k = len(X_POINTS) if n_points is None else n_points
    return {X: X_POINTS[:k].astype(np.complex128), C1: C1_POINTS[:k].astype(np.complex128),
            C2: C2_POINTS[:k].astype(np.complex128)}


class _Evaluator:
    def __init__(self, env: Mapping[sp.Basic, np.ndarray]) -> None:
        self.env = env
        self.n = len(next(iter(env.values())))
        self.scale = np.zeros(self.n)
        self.memo: dict[sp.Basic, np.ndarray] = {}

    def __call__(self, e: sp.Basic) -> np.ndarray:
        hit = self.memo.get(e)
        if hit is None:
            hit = self._eval(e)
            self.memo[e] = hit
        return hit

    def _eval(self, e: sp.Basic) -> np.ndarray:
        if e in self.env:
            return self.env[e]
        if e.is_Number or e is sp.pi or e is sp.E or e is sp.I:
            if e.is_infinite or e is sp.nan or e is sp.zoo:
                return np.full(self.n, np.nan, dtype=np.complex128)
            try:
                value = complex(e)
            except (OverflowError, TypeError):
                value = complex(np.inf)
            return np.full(self.n, value, dtype=np.complex128)
        if e.is_Add:
            terms = [self(a) for a in e.args]
            for t in terms:
                self.scale = np.fmax(self.scale, np.abs(t))
            return np.sum(terms, axis=0)
        if e.is_Mul:
            out = self(e.args[0])
            for a in e.args[1:]:
                out = out * self(a)
            return out
        if e.is_Pow:
            base, exponent = e.args
            if exponent.is_Integer:
                k = int(exponent)
                b = self(base)
                if abs(k) <= 64:
                    out = np.ones(self.n, dtype=np.complex128)
                    for _ in range(abs(k)):
                        out = out * b
                    return 1 / out if k < 0 else out
            return np.power(self(base), self(exponent))
        fn = _UNARY.get(type(e))
        if fn is not None:
            return fn(self(e.args[0]))
        if isinstance(e, sp.atan2):  # real arguments only (a CAS's answer): nan where either is complex
            y, x = self(e.args[0]), self(e.args[1])
            real = (np.abs(y.imag) <= 1e-12 * (1 + np.abs(y.real))) & (np.abs(x.imag) <= 1e-12 * (1 + np.abs(x.real)))
            return np.where(real, np.arctan2(y.real, x.real), np.nan).astype(np.complex128)
        special = SPECIAL_BY_SYMPY.get(type(e))
        if special is not None and len(e.args) in special.arities:
            return _special(special, [self(a) for a in e.args])
        if isinstance(e, (AppliedUndef, sp.Derivative)):
            raise NotNumeric(f"no value given for {e}")
        raise NotNumeric(f"cannot evaluate {type(e).__name__}")


def evaluate(expr: sp.Basic, env: Mapping[sp.Basic, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``expr`` at the points of ``env``, and the per-point magnitude scale of its sums."""
    ev = _Evaluator(env)
    with np.errstate(all="ignore"):
        value = ev(sp.sympify(expr))
    return value, ev.scale


def check_zero(residual: sp.Basic, env: Mapping[sp.Basic, np.ndarray] | None = None, *,
               min_valid: int = 10, rtol: float = 1e-8) -> Check:
    """Screen ``residual == 0`` at the sample points (see the module docstring)."""
    residual = sp.sympify(residual)
    if residual == 0:
        return Check.ZERO
    env = default_env() if env is None else env
    try:
        value, scale = evaluate(residual, env)
    except NotNumeric:
        return Check.UNDECIDED
    finite = np.isfinite(value) & np.isfinite(scale)
    if not finite.any():
        return Check.UNDECIDED
    bound = rtol * (1.0 + np.maximum(scale, np.abs(value)))
    if np.any(np.abs(value[finite]) > bound[finite]):
        return Check.NONZERO
    return Check.ZERO if finite.sum() >= min_valid else Check.UNDECIDED


def is_real_somewhere(expr: sp.Basic, env: Mapping[sp.Basic, np.ndarray] | None = None,
                      imag_tol: float = 1e-9) -> bool:
    """True if ``expr`` is finite and real at one sample point at least."""
    env = default_env() if env is None else env
    try:
        value, _ = evaluate(expr, env)
    except NotNumeric:
        return False
    ok = np.isfinite(value) & (np.abs(value.imag) <= imag_tol * (1 + np.abs(value.real)))
    return bool(ok.any())


def has_essential_constants(solution: sp.Expr, order: int, env: Mapping[sp.Basic, np.ndarray] | None = None,
                            where: np.ndarray | None = None) -> bool:
    """Whether an ODE solution's constants c1, c2 are ``order`` essential ones (a general
    solution): the matrix d y^(i) / d c_j (i < order) has full rank at one sample point at least
    (of those selected by the boolean mask ``where``).  ``c1*x + c2*x`` has one, not two."""
    env = default_env() if env is None else env
    consts = [c for c in (C1, C2) if solution.has(c)]
    if len(consts) < order:
        return False
    rows, derivative = [], solution
    for _ in range(order):
        rows.append([sp.diff(derivative, c) for c in consts])
        derivative = sp.diff(derivative, X)
    n = len(next(iter(env.values())))
    try:
        with np.errstate(all="ignore"):
            values = [[evaluate(e, env)[0] if e.free_symbols else np.full(n, complex(e)) for e in row]
                      for row in rows]
    except (NotNumeric, TypeError):
        return False
    m = np.array(values)  # (order, constants, points)
    if where is not None:
        m = m[:, :, where]
    with np.errstate(all="ignore"):
        size = np.abs(m).max(axis=(0, 1)) + 1e-300
        if order == 1:
            full_rank = np.abs(m[0]).max(axis=0) > 1e-9 * size
        else:
            best = np.zeros(m.shape[-1])
            for j in range(len(consts)):
                for k in range(j + 1, len(consts)):
                    best = np.maximum(best, np.abs(m[0, j] * m[1, k] - m[0, k] * m[1, j]))
            full_rank = best > 1e-9 * size**2
    return bool(np.any(full_rank & np.isfinite(size)))
