"""Numeric definite integrals with an error estimate: the check every exact value must pass.

``quadrature(f, a, b)`` integrates ``f`` (a function of ``X``) over [a, b] (either end may be
infinite) with mpmath's tanh-sinh rule at ``DIGITS`` digits, evaluating f with the verifier's
adaptive-precision evaluator (special functions included).  The interval is cut where f is
singular, has a kink or peaks far out (``symseq.numerics.cuts``: tanh-sinh copes with singular
ends), and integrated twice, on two different sets of pieces; the stated error is mpmath's
estimate plus the difference of the two sums.  A value whose error is not small against it, or
whose imaginary part is not negligible (an integrand complex on the interval), is not a value.

``divergence(f, a, b)`` integrates over shrinking cut-offs of the ends (``a + d``, ``b - d``, or
``+-R`` for an infinite end): a sum that keeps growing by undiminished steps diverges.

``closed_form(value)`` asks mpmath's integer-relation search for a combination of common
constants: a proposal to show as "numeric", never a proved value.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics import precise
from symseq.numerics.cuts import far_peak, scan, singular_points
from symseq.numerics.exact_singularities import exact_singular_within, singular_within

DIGITS = 30  # working precision of the quadrature
OSCILLATORY_DIGITS = 18  # quadosc's sums over periods cost far more per digit
SHOWN_DIGITS = 25  # digits of the value kept (the closed-form search needs 20)
MAX_RELATIVE_ERROR = 1e-10  # a value is a value when its error is below this (relative) ...
MAX_ABSOLUTE_ERROR = 1e-12  # ... or this (absolute, for integrals near 0)
MAX_WAVES = 60  # sign changes on the scan beyond which a finite range is cut into many pieces
MAX_PIECES = 600


class QuadratureError(ValueError):
    """The integrand cannot be integrated numerically here (not finite at a node, not numeric)."""


@dataclass(frozen=True)
class Quadrature:
    value: float | None  # None when no trustworthy value was found
    error: float  # estimated absolute error (inf when unknown)
    digits: str  # the value at DIGITS significant digits ("" when None)
    reason: str = ""  # why there is no value

    @property
    def ok(self) -> bool:
        return self.value is not None

    def agrees(self, other: float) -> bool:
        """Whether ``other`` equals the value within the tolerance (``tolerance``)."""
        return self.ok and abs(other - self.value) <= self.tolerance

    @property
    def tolerance(self) -> float:
        """How far an exact value may sit from this one and still agree: ten times the error
        estimate, at least 1e-12 of the value's size."""
        return max(10 * self.error, MAX_ABSOLUTE_ERROR * max(1.0, abs(self.value or 0.0)))

    def to_json(self) -> dict:
        return {"value": self.digits or None, "error": self.error, "tolerance": self.tolerance if self.ok else None,
                "reason": self.reason or None}


def _function(f: sp.Expr):
    def value(t):
        # a node next to a removable point (0/0 at x = 0 of (1 - cos(2x))/x**2, met at x = 1e-29)
        # cancels to nothing at the working precision: it is evaluated again at four times that
        for bits in (mpmath.mp.prec + 32, 4 * mpmath.mp.prec + 32):
            try:
                v, _ = precise.evaluate(f, {X: t}, bits)
                return v
            except (ValueError, ZeroDivisionError, OverflowError) as err:
                reason = err
        raise QuadratureError(f"the integrand has no value at x = {mpmath.nstr(t, 8)} ({reason})") from None
    return value


def _pieces(a, b, cuts: list[float]) -> list:
    return [a, *sorted(set(cuts)), b]


def quadrature(f: sp.Expr, a: sp.Expr, b: sp.Expr) -> Quadrature:
    """See the module docstring.  ``a`` and ``b`` are real numbers or +-oo (SymPy)."""
    with mpmath.workdps(DIGITS + 10):  # the ends to more digits than the nodes near them resolve
        fa, fb = (mpmath.inf if e == sp.oo else -mpmath.inf if e == -sp.oo else mpmath.mpf(str(sp.N(e, DIGITS + 10)))
                  for e in (a, b))
    if fa == fb:
        return Quadrature(0.0, 0.0, "0")
    sign = 1
    if fa > fb:
        fa, fb, sign = fb, fa, -1
    waves = 0  # sign changes on a finite range (fast oscillation)
    if mpmath.isfinite(fa) and mpmath.isfinite(fb):
        cuts, waves = scan(f, float(fa), float(fb))
        cuts = _with_exact(cuts, f, float(fa), float(fb))
        second_cuts = [(p + q) / 2 for p, q in zip(_pieces(fa, fb, cuts)[:-1], _pieces(fa, fb, cuts)[1:])]
    elif mpmath.isfinite(fa):  # [a, oo): singular points looked for on [a, a + 50]
        cuts = _with_exact(singular_points(f, float(fa), float(fa) + 50), f, float(fa), float(fa) + 50) \
            + far_peak(f, float(fa), 1)
        second_cuts = [fa + 1 if not cuts else (fa + cuts[0]) / 2]
    elif mpmath.isfinite(fb):
        cuts = _with_exact(singular_points(f, float(fb) - 50, float(fb)), f, float(fb) - 50, float(fb)) \
            + far_peak(f, float(fb), -1)
        second_cuts = [fb - 1 if not cuts else (fb + cuts[-1]) / 2]
    else:
        cuts = [0.0, *_with_exact(singular_points(f, -50.0, 50.0), f, -50.0, 50.0), *far_peak(f, 0.0, 1),
                *far_peak(f, 0.0, -1)]
        second_cuts = [-1.0, 1.0]
    if not (mpmath.isfinite(fa) and mpmath.isfinite(fb)):
        # the infinite piece of the second sum starts elsewhere: nodes far out, where a rule
        # can sum rounding garbage (cos(x**2) at x = 1e30), then differ between the two sums
        finite = [float(c) for c in (fa, fb, *cuts) if mpmath.isfinite(c)]
        second_cuts += [max(finite) + 7.0] if not mpmath.isfinite(fb) else []
        second_cuts += [min(finite) - 7.0] if not mpmath.isfinite(fa) else []
    pole = _pole_within(f, fa, fb)
    if pole is not None:
        return Quadrature(None, float("inf"), "", f"the integrand is not integrable at x = {pole} "
                                                  "(it grows like 1/|x - p| or faster there)")
    g = _function(f)
    omega = _frequency(f) if not _negligible_far_out(g, fa, fb) else 0.0
    with mpmath.workdps(DIGITS):
        try:
            if omega and not (mpmath.isfinite(fa) and mpmath.isfinite(fb)):
                first, err1, second, err2 = _oscillatory(g, fa, fb, omega)
            elif waves > MAX_WAVES:
                first, err1, second, err2 = _many_waves(g, fa, fb, cuts, waves)
            else:
                first, err1 = mpmath.quad(g, _pieces(fa, fb, cuts), error=True)
                second, err2 = mpmath.quad(g, _pieces(fa, fb, cuts + second_cuts), error=True)
        except QuadratureError as err:
            return Quadrature(None, float("inf"), "", str(err))
        error = float(abs(err1) + abs(err2) + abs(first - second))
        value = sign * first
        if abs(mpmath.im(value)) > max(1e-20, 1e-12 * abs(value)) and abs(mpmath.im(value)) > error:
            return Quadrature(None, error, "", "the integrand is not real on the interval")
        real = mpmath.re(value)
        size = float(abs(real))
        # (a size or error beyond double precision, exp(x/3) summed out to 1e30, is no value either:
        # inf > inf is false, and every number would "agree" with it)
        if not mpmath.isfinite(real) or not np.isfinite(size) or not np.isfinite(error) \
                or error > max(MAX_RELATIVE_ERROR * size, MAX_ABSOLUTE_ERROR):
            return Quadrature(None, error, "", f"quadrature did not converge (error estimate {error:.2g})")
        return Quadrature(float(real), error, mpmath.nstr(real, SHOWN_DIGITS))


def _with_exact(cuts: list[float], f: sp.Expr, a: float, b: float) -> list[float]:
    """``cuts`` and the singular points of f's formula inside (a, b) found exactly, which a scan
    can step over (atan(1/x) jumps at 0, log(x**2) is -oo only there: tanh-sinh's middle node
    fell on it): ``symseq.numerics.exact_singularities``."""
    exact = [p for p in singular_within(f, a, b) if all(abs(p - c) > 1e-9 * (1 + abs(p)) for c in cuts)]
    return sorted(cuts + exact)


POLE_STEPS = (mpmath.mpf(10) ** -60, mpmath.mpf(10) ** -120)  # distances from a singular point


def _pole_within(f: sp.Expr, fa, fb) -> sp.Expr | None:
    """A singular point of f's formula in [a, b] (its finite part within 50 of a finite end, or
    of 0) where f is not integrable: |x - p|*|f(x)| no smaller at 1e-120 from p than at 1e-60
    (half as large at least), on either side -- a pole, however small its coefficient
    (exp(-60)/x on [-1, 2]: quadrature's nodes never come near enough to see it, and Maxima's
    principal value passed as the integral).  An integrable singularity (log|x|, |x|**-0.9)
    shrinks there by 54 orders or more; exponents within 0.005 of -1 are refused too (no value,
    never a wrong one).  None when there is none, or it cannot be told."""
    lo = float(fa) if mpmath.isfinite(fa) else (float(fb) - 50 if mpmath.isfinite(fb) else -50.0)
    hi = float(fb) if mpmath.isfinite(fb) else lo + 50 if mpmath.isfinite(fa) else 50.0
    for p in exact_singular_within(f, lo, hi)[:20]:
        try:
            with mpmath.workprec(1000):
                at = mpmath.mpf(str(sp.N(p, 320)))
                for side in ((1,) if at == fa else (-1,) if at == fb else (-1, 1)):
                    sizes = [abs(t * precise.evaluate(f, {X: at + side * t}, 1000)[0]) for t in POLE_STEPS]
                    if sizes[1] > 0 and sizes[1] >= sizes[0] / 2:
                        return p
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, ArithmeticError):
            continue
    return None


def _negligible_far_out(g, fa, fb) -> bool:
    """Whether |f| is below 1e-40 at +-40 and +-80 on the infinite sides (exp(-x**2)*cos(a*x)):
    a plain quadrature then converges, where summing over periods of a small frequency a did not."""
    sides = [side for side, end in ((1, fb), (-1, fa)) if not mpmath.isfinite(end)]
    far = [side * t for side in sides for t in (40, 80)]
    if not far:
        return False
    try:
        with mpmath.workdps(DIGITS):
            return all(abs(g(mpmath.mpf(t))) < mpmath.mpf(10) ** -40 for t in far)
    except QuadratureError:
        return False


def _many_waves(g, fa, fb, cuts: list[float], waves: int):
    """A finite range over which f oscillates many times (sin(sin(x) + 2025 x) over [0, 2 pi]):
    cut into pieces of about six waves each, summed twice on two different sets of pieces (n and
    n + 1 equal ones, plus the singular points), by Gauss-Legendre when nothing is singular."""
    n = min(MAX_PIECES, waves // 12 + 1)
    method = "tanh-sinh" if cuts else "gauss-legendre"
    with mpmath.workdps(OSCILLATORY_DIGITS):
        sums = []
        for k in (n, n + 1):
            pieces = sorted({*mpmath.linspace(fa, fb, k + 1), *(mpmath.mpf(c) for c in cuts)})
            sums.append(mpmath.quad(g, pieces, error=True, method=method))
    (first, err1), (second, err2) = sums
    return first, err1, second, err2


def _frequency(f: sp.Expr) -> float:
    """The largest angular frequency of f's sin/cos of linear arguments (0 when there are none,
    or when a trigonometric argument is not linear in x)."""
    omega = 0.0
    for node in f.atoms(sp.sin, sp.cos):
        arg = node.args[0]
        slope = sp.diff(arg, X)
        if slope.free_symbols:
            return 0.0
        omega = max(omega, abs(float(slope)))
    return omega


def _oscillatory(g, fa, fb, omega: float):
    """An infinite range of an oscillating integrand: mpmath's ``quadosc`` (sums over periods,
    extrapolated), twice, the second time with the finite end moved by one period (integrated
    by tanh-sinh); the errors are the two estimates of the finite parts."""
    with mpmath.workdps(OSCILLATORY_DIGITS):
        first, floor, second, err = _oscillatory_sums(g, fa, fb, omega)
    if floor <= MAX_RELATIVE_ERROR * abs(first) / 2:
        return first, floor, second, err
    # a small value (exp(-3*x)*cos(5*x): 0.088) against the floor: again at more digits, the
    # difference between the two precisions added to the new floor
    with mpmath.workdps(OSCILLATORY_DIGITS + 8):
        more, floor, second, err = _oscillatory_sums(g, fa, fb, omega)
        return more, floor + abs(more - first), second, err


def _oscillatory_sums(g, fa, fb, omega: float):
    period = 2 * mpmath.pi / omega
    if mpmath.isfinite(fa):
        first = mpmath.quadosc(g, [fa, mpmath.inf], omega=omega)
        head, err = mpmath.quad(g, [fa, fa + period], error=True)
        second = head + mpmath.quadosc(g, [fa + period, mpmath.inf], omega=omega)
    elif mpmath.isfinite(fb):
        first = mpmath.quadosc(g, [-mpmath.inf, fb], omega=omega)
        head, err = mpmath.quad(g, [fb - period, fb], error=True)
        second = head + mpmath.quadosc(g, [-mpmath.inf, fb - period], omega=omega)
    else:
        first = mpmath.quadosc(g, [-mpmath.inf, 0], omega=omega) + mpmath.quadosc(g, [0, mpmath.inf], omega=omega)
        head, err = mpmath.quad(g, [-period, period], error=True)
        second = head + mpmath.quadosc(g, [-mpmath.inf, -period], omega=omega) + \
            mpmath.quadosc(g, [period, mpmath.inf], omega=omega)
    # the extrapolation's floor: sin(x)*sin(2x)*sin(3x)/x**3 over [0, oo) comes out 4e-12 off
    rounding = mpmath.mpf(10) ** (7 - mpmath.mp.dps) * (1 + abs(first))
    return first, rounding, second, err


def divergence(f: sp.Expr, a: sp.Expr, b: sp.Expr) -> int:
    """+1 or -1 when the integral over shrinking cut-offs grows without bound towards +oo or
    -oo (three cut-offs, each step at least half the one before), else 0."""
    g = _function(f)
    lo = None if a == -sp.oo else float(a)
    hi = None if b == sp.oo else float(b)
    sums = []
    with mpmath.workdps(15):
        for k in (3, 6, 9, 12):
            d, big = 10.0 ** -k, 10.0 ** k
            left = -big if lo is None else lo + d * (1 if hi is None else (hi - lo))
            right = big if hi is None else hi - d * (1 if lo is None else (hi - lo))
            try:  # kept as mpmath numbers: exp(x) summed to 1000 is beyond double precision
                sums.append(mpmath.re(mpmath.quad(g, [left, right])))
            except (QuadratureError, ValueError):
                return 0
        if not all(mpmath.isfinite(v) for v in sums):
            return 0
        steps = [q - p for p, q in zip(sums, sums[1:])]
        if all(v > 0 for v in steps) or all(v < 0 for v in steps):
            growing = all(abs(steps[i + 1]) >= 0.5 * abs(steps[i]) for i in range(len(steps) - 1))
            if growing and abs(steps[-1]) > 1e-3 * (1 + abs(sums[0])):
                return 1 if steps[-1] > 0 else -1
    return 0


_LOG2, _SQRT2, _SQRT3 = sp.log(2), sp.sqrt(2), sp.sqrt(3)
# Small bases tried in turn (each with 1): few terms, so a relation with coefficients up to
# MAX_COEFFICIENT needs far fewer digits than the value has; the first relation found wins.
BASES = ((sp.pi,), (sp.pi ** 2,), (_LOG2,), (sp.log(3),), (_SQRT2,), (_SQRT3,), (sp.E,), (sp.Catalan,),
         (sp.zeta(3),), (sp.EulerGamma,), (sp.pi * _SQRT2,), (sp.pi * _SQRT3,), (sp.sqrt(sp.pi),),
         (sp.pi, _LOG2), (sp.pi, _LOG2, sp.pi * _LOG2), (sp.pi, sp.pi ** 2), (_LOG2, _LOG2 ** 2),
         (sp.pi, _SQRT3), (sp.pi, sp.log(3)), (sp.pi ** 2, _LOG2 ** 2))
MAX_COEFFICIENT = 1000


def closed_form(value: Quadrature) -> sp.Expr | None:
    """A short combination of common constants equal to the value at 20 digits (an integer
    relation found by mpmath's PSLQ over one of ``BASES``), or None: a proposal to show as
    "numeric", never a proved value."""
    if not value.ok or value.error > 1e-22 * max(1.0, abs(value.value)):
        return None
    with mpmath.workdps(SHOWN_DIGITS):
        v = mpmath.mpf(value.digits)
        for basis in BASES:
            vector = [v, mpmath.mpf(1), *(mpmath.mpf(str(sp.N(c, SHOWN_DIGITS + 5))) for c in basis)]
            relation = mpmath.pslq(vector, tol=mpmath.mpf(10) ** -20, maxcoeff=MAX_COEFFICIENT, maxsteps=2000)
            if relation and relation[0] != 0:
                terms = [sp.Integer(1), *basis]
                return sp.nsimplify(-sum(sp.Integer(r) * t for r, t in zip(relation[1:], terms)) / relation[0])
    return None
