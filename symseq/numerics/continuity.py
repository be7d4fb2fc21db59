"""The verifier's continuity rule: an antiderivative may not jump where the integrand is defined.

``find_jump(f, F, xs)`` compares, for neighbouring points a < b of ``jump_grid`` (the sample
points and a randomly shifted grid over [-100, 100], finest near 0) where f and F are real,
F(b) - F(a) with the integral of f over [a, b] (Gauss-Legendre of orders 20 and 40, vectorised
numpy), wherever the two orders agree and f is defined on a fine grid of the interval, and is
not oscillating faster than that grid resolves.  A clear, stable mismatch is confirmed with
mpmath (F above its rounding, the integral with its error estimate) and is then a jump --
refused unless it sits at a point where the integrand's expression is undefined (located by
bisection; a pole of f, or a simple exact number checked with SymPy), where an antiderivative
may take another constant on each side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.numerics.branch_cuts import convention_free
from symseq.numerics.jump_judges import (jump_at_high_precision, real_finite, refuted_in_double,
                                         slow_in_double, values_at)
from symseq.numerics.numeric import NotNumeric, evaluate


_GL = {n: np.polynomial.legendre.leggauss(n) for n in (20, 40)}
MAX_GAP = 2.0  # widest interval between neighbouring points that the jump test spans
GRID = 100  # points per interval where f must be defined for a jump to count
# Where jumps are looked for: the sample points, plus a grid 0.05 apart on [-5, 5], 0.1 apart out
# to +-12 and from there to +-100 (the reach of ``symseq.solve.kinks``) with steps growing by 2% (a
# parameter moves a break to x = pi/d, out to 63 for the smallest draw; a pair straddling a jump
# sees it however far apart its ends are, and a pair whose integrand the quadrature cannot resolve
# -- fast oscillation, a pole -- is not judged), shifted by a random offset on every call (an
# answer cannot be built to jump only between known points).
_OUTER = 12.0 * 1.02 ** np.arange(1, 108)  # 12.24 ... 99.9
_BASE_GRID = np.concatenate([-_OUTER[::-1], np.arange(-12.0, -5.0, 0.1), np.arange(-5.0, 5.0, 0.05),
                             np.arange(5.0, 12.0, 0.1), _OUTER])


def jump_grid(sample_xs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The sorted real points between which ``find_jump`` compares F with the integral of f."""
    offset = rng.uniform(0.0, 0.05)
    return np.unique(np.concatenate([_BASE_GRID + offset, np.asarray(sample_xs, dtype=float)]))


def find_jump(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray) -> str:
    """A reason if F jumps between neighbouring points of ``xs`` (``jump_between``), else ''."""
    found = jump_between(question, candidate, xs)
    return found[2] if found else ""


def jump_between(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray,
                 excuse: sp.Expr | None = None) -> tuple[float, float, str] | None:
    """(a, b, reason) for neighbouring points a < b of ``xs`` where F(b) - F(a) differs from the
    integral of f over [a, b], f and F real there (a jump of F: sign(x), Abs(x)/x, a wrong log
    branch), unless f is undefined at the jump -- or, given ``excuse`` (an ODE's equation in x),
    unless f has a pole there (F, an ODE's y, blows up) or ``excuse`` is undefined there; else
    None.  ``question``, ``candidate`` and ``excuse`` must be functions of x alone."""
    if slow_in_double(question) or slow_in_double(candidate):
        # mpmath evaluates special functions point by point (a fraction of a millisecond each):
        # every 15th point, pairs still closer than MAX_GAP (an Airy solution's jump test took 40 s)
        xs = np.sort(np.asarray(xs, dtype=float))[::15]
    with np.errstate(all="ignore"):  # overflow and nan are part of the data here
        try:
            return _jump_between(question, candidate, xs, excuse)
        except NotNumeric:  # a function the evaluator does not know: no verdict from here
            return None


def _jump_between(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray,
                  excuse: sp.Expr | None) -> tuple[float, float, str] | None:
    pairs = _screen(question, candidate, xs)
    if pairs is None:
        return None
    suspects = np.flatnonzero(pairs.suspect)
    for j in suspects[np.argsort(np.abs(pairs.a[suspects]), kind="stable")][:CONFIRMED_JUMPS]:  # nearest 0 first
        lo, hi = float(pairs.a[j]), float(pairs.b[j])
        if _confirmed_jump(question, candidate, lo, hi) and \
                not (_integrand_undefined_at_jump(question, candidate, lo, hi) if excuse is None else
                     _integrand_undefined_at_jump(excuse, candidate, lo, hi, pole_of=question)):
            return lo, hi, (f"not continuous: F({hi:.4g}) - F({lo:.4g}) = {pairs.delta[j]:.6g} but the "
                            f"integral of the integrand over that interval is {pairs.integral[j]:.6g}")
    return None


def interval_breaks(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray, confirm: int = 8) -> np.ndarray:
    """Where, between neighbouring points of sorted ``xs`` (f and F real there), an interval on
    which F is an antiderivative of f cannot run through: True for each pair [a, b] where F
    jumps (a clear mismatch, or a marginal one not refuted at high precision: at most
    ``confirm`` of those, nearest 0 first, are examined, the rest count as breaks), where f is
    undefined or unbounded (a singular point) or peaks far above its values at a and b (a pole
    between them), where F has a pole, where the test cannot resolve f (fast oscillation), or
    where a and b are too far apart to be judged.  An interval between breaks is one on which
    the jump test finds F continuous."""
    with np.errstate(all="ignore"):
        try:
            pairs = _screen(question, candidate, xs, keep_all=True)
        except NotNumeric:
            return np.ones(max(0, len(xs) - 1), dtype=bool)
    breaks = ~pairs.clean | pairs.suspect | pairs.peaked
    # a clear mismatch is a break as it stands (a break only shortens an interval: no need to
    # confirm it); a marginal one may be double precision's rounding, so it is judged again
    clear = np.abs(pairs.delta - pairs.integral) > 1e-3 * (1 + np.abs(pairs.delta) + np.abs(pairs.integral))
    suspects = np.flatnonzero(pairs.suspect & ~clear)
    for j in suspects[np.argsort(np.abs(pairs.a[suspects]))][:confirm]:
        lo, hi = float(pairs.a[j]), float(pairs.b[j])
        breaks[j] = not refuted_in_double(question, candidate, lo, hi) and \
            jump_at_high_precision(question, candidate, lo, hi) is not False  # a break unless refuted
    return breaks


@dataclass(frozen=True)
class _Pairs:
    """The double-precision screen of neighbouring points a < b: F(b) - F(a) (``delta``), the
    integral of f over [a, b], whether the pair can be judged (``clean``: f defined and bounded
    on a fine grid, F bounded, the quadrature resolved) and whether it looks like a jump."""
    a: np.ndarray
    b: np.ndarray
    delta: np.ndarray
    integral: np.ndarray
    clean: np.ndarray
    suspect: np.ndarray
    peaked: np.ndarray  # |f| inside far above its ends: a pole between the points may hide there


def _screen(question: sp.Expr, candidate: sp.Expr, xs: np.ndarray, keep_all: bool = False) -> _Pairs | None:
    """Gauss-Legendre quadrature of orders 20 and 40 (vectorised numpy), or where they disagree (f
    jumps) a Riemann sum over a fine grid with its error bound; intervals where f is not real
    and finite on that grid, or peaks far above its values at the ends (a pole), are not clean:
    the test only ever rejects on a clear mismatch.  Points where f is not real or F not finite
    are left out, and pairs farther apart than ``MAX_GAP``, unless ``keep_all`` (then every pair
    of ``xs`` is reported, those and pairs where F is not real as not clean).  A complex F is
    compared as it is: it may differ from a real antiderivative by a constant on each piece where
    f is continuous (log(x) for x < 0), not jump there (log(x**2 + 1)/2 + I*pi*sign(x - 150));
    on a branch cut only its real part is (``symseq.numerics.branch_cuts``)."""
    xs = np.sort(np.asarray(xs, dtype=float))
    F_at, F_scale = evaluate(candidate, {X: xs.astype(np.complex128)})
    f_at = values_at(question, xs)
    real = real_finite(F_at) & real_finite(f_at)
    if not keep_all:  # F may be complex here: by a constant on each piece (log(x) for x < 0), no jump
        usable = np.isfinite(F_at) & np.isfinite(F_scale) & real_finite(f_at)
        F_at, ambiguous = convention_free(candidate, xs, F_at, f_at, usable & ~real_finite(F_at))
        usable &= ~ambiguous
        xs, F_at, F_scale, f_at = xs[usable], F_at[usable], F_scale[usable], f_at[usable]
    F_at, f_at = np.where(np.isfinite(F_at), F_at if not keep_all else F_at.real, 0.0), \
        np.abs(np.where(np.isfinite(f_at), f_at, 0.0))
    a, b = xs[:-1], xs[1:]
    keep = (b - a) <= MAX_GAP
    if keep_all:
        keep &= real[:-1] & real[1:]
    elif not keep.any():
        return None
    else:
        a, b = a[keep], b[keep]
    pick = (lambda v: v) if keep_all else (lambda v: v[keep])
    Fa, Fb = pick(F_at[:-1]), pick(F_at[1:])
    ends = np.maximum(pick(f_at[:-1]), pick(f_at[1:]))  # |f| at a and b
    rounding = pick(F_scale[:-1]) + pick(F_scale[1:]) + np.abs(Fa) + np.abs(Fb)
    integrals = []
    for n, (nodes, weights) in _GL.items():
        vals = values_at(question, (a[:, None] + b[:, None]) / 2 + (b - a)[:, None] / 2 * nodes[None, :])
        ok = real_finite(vals).all(axis=1)
        integrals.append((np.where(ok[:, None], vals.real, 0.0) @ weights * (b - a) / 2, ok))
    # f must also be finite on a fine grid of the interval: F may jump where f is undefined
    # (at a pole of tan inside f, say), and quadrature nodes can step over such a point
    n_grid = GRID // 5 if slow_in_double(question) else GRID  # mpmath's special functions: point by point
    grid = a[:, None] + (b - a)[:, None] * (np.arange(1, n_grid + 1) - 0.37) / n_grid
    on_grid = values_at(question, grid)
    defined = real_finite(on_grid).all(axis=1)
    magnitude = np.abs(np.where(np.isfinite(on_grid), on_grid, 0.0)).max(axis=1)
    (i20, ok20), (i40, ok40) = integrals
    smooth = ok20 & ok40 & (np.abs(i20 - i40) <= 1e-10 * (1 + np.abs(i40)))
    # where f itself jumps (c*exp(x)*sign(x)), Gauss-Legendre does not settle: the grid's
    # Riemann sum stands in, with its error bound
    riemann = on_grid.real.mean(axis=1) * (b - a)
    coarse = on_grid.real[:, ::2].mean(axis=1) * (b - a)
    quadrature_error = np.where(smooth, 0.0, 0.05 * (b - a) * (1.0 + magnitude))
    # the Riemann sum stands in only where it is itself steady (a finite step in f), not where
    # f oscillates or has poles between grid points
    tame = smooth | (np.abs(riemann - coarse) <= 0.5 * quadrature_error)
    integral = np.where(smooth, i40, riemann)
    delta = Fb - Fa
    # judged against the sizes that matter (the integral, the change of F) plus double
    # precision's rounding of F's values and terms: a large constant in F hides nothing
    tolerance = 1e-6 * (1.0 + np.abs(integral) + np.abs(delta)) + 1e-11 * rounding + quadrature_error
    # f changing sign many times on the grid, or varying far more than its range (a grid that
    # aliases an oscillation faster than its spacing: x**3*cos(x**4) near 11), is not resolved
    # here: no verdict
    real_grid = on_grid.real
    spread = real_grid.max(axis=1) - real_grid.min(axis=1)
    variation = np.abs(np.diff(real_grid, axis=1)).sum(axis=1)
    # (f zero but for rounding, 1/Abs(x) - sign(x)/x, changes sign at random: calm all the same)
    calm = ((np.diff(np.sign(real_grid), axis=1) != 0).sum(axis=1) <= 4) & \
        (variation <= 4 * spread + 1e-9 * (1.0 + magnitude)) | (magnitude <= 1e-9)
    mismatch = np.abs(delta - integral) > tolerance
    f_clean = defined & (magnitude <= 1e3 * (1.0 + ends)) & tame & calm
    # F too must stay real and bounded inside (a pole of F is not a jump: 1/x**2 peaks between
    # the ends).  Looking costs an evaluation of F at every grid point (a special function's is
    # a millisecond each), so without ``keep_all`` F is only looked at where the pair would
    # otherwise be a suspect; ``clean`` is then exact wherever ``mismatch`` holds, the only
    # place it is read.
    # (A special function's pole in F comes with a non-integrable singularity of f = F', which
    # f's full grid sees: F's grid is then thinned to every 10th point.)
    # (with ``keep_all`` only where the pair is otherwise clean: F cannot make any other one clean)
    rows = np.flatnonzero(f_clean & keep) if keep_all else np.flatnonzero(f_clean & mismatch)
    F_clean = np.ones(len(a), dtype=bool)
    if rows.size:
        F_grid = values_at(candidate, grid[rows][:, ::10] if slow_in_double(candidate) else grid[rows])
        F_peak = np.abs(np.where(np.isfinite(F_grid), F_grid, np.inf)).max(axis=1)
        shown = real_finite(F_grid) if keep_all else np.isfinite(F_grid)
        F_clean[rows] = shown.all(axis=1) & (F_peak <= 1e3 * (1.0 + np.abs(Fa[rows]) + np.abs(Fb[rows])))
    clean = f_clean & F_clean & keep if keep_all else f_clean & F_clean
    return _Pairs(a, b, delta, integral, clean, clean & mismatch, magnitude > 10.0 * (1.0 + ends))


CONFIRMED_JUMPS = 3  # candidate jumps checked at high precision, at most


def _confirmed_jump(question: sp.Expr, candidate: sp.Expr, a: float, b: float) -> bool:
    return not refuted_in_double(question, candidate, a, b) and \
        jump_at_high_precision(question, candidate, a, b) is True


def _pole_of_integrand_at(question: sp.Expr, where: float, a: float, b: float) -> bool:
    """Whether |f| grows without bound towards ``where`` from both sides (by 10 times or more
    per hundredfold step closer, from 1e-3 to 1e-11 relative, and far above its size at the end of
    [a, b] farther from it): a pole of the integrand at a point no simple number names
    (tan(x**5 + 5*x) where x**5 + 5*x = -pi/2).  An end may lie within 1e-9 of the pole (|f| there
    1e27 for x*tan(x)**3): the farther end's size is the scale; a peak that levels off
    (1/(x**2 + 1e-18)) stops growing before 1e-11 and is no pole."""
    steps = np.array([1e-3, 1e-5, 1e-7, 1e-9, 1e-11]) * (1.0 + abs(where))
    scale = 1.0 + float(np.abs(values_at(question, np.array([a, b]))).min())
    for side in (-1.0, 1.0):
        values = np.abs(values_at(question, where + side * steps))
        values = np.where(np.isfinite(values), values, np.inf)  # overflow on the way to the pole
        if not (values[1:] >= 10 * values[:-1]).all() or values[-1] < 1e6 * scale:
            return False
    return True


def _integrand_undefined_at_jump(question: sp.Expr, candidate: sp.Expr, a: float, b: float,
                                 pole_of: sp.Expr | None = None) -> bool:
    """Whether F's jump in [a, b] sits exactly at a point where the integrand's expression is
    undefined (tanh(1/x) for f with a 1/x, a pole of tan inside f): an antiderivative may take
    another constant on each side of such a point.  The jump is located by bisection; then
    either f has a pole there (``_pole_of_integrand_at``), or the point is recognised as a
    simple exact number (rational, or rational multiple of pi) and f evaluated there exactly.
    Before that, a pole of f at an end of [a, b] (``_pole_at_an_end``) leaves the pair unjudged.
    A pole of ``pole_of`` (an ODE answer's y', where y blows up: tan(x + c1)) is excused as one
    of f.  Anything else is a jump (the answer is refused)."""
    poles = (question,) if pole_of is None else (question, pole_of)
    if any(_pole_at_an_end(e, a, b) for e in poles):
        return True
    lo, hi = a, b
    f_lo, f_hi = (complex(v) for v in values_at(candidate, np.array([lo, hi])))
    for _ in range(80):
        mid = (lo + hi) / 2
        if not lo < mid < hi:
            break
        f_mid = complex(values_at(candidate, np.array([mid]))[0])
        if not np.isfinite(f_mid):
            break
        if abs(f_mid - f_lo) >= abs(f_hi - f_mid):
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
    where = (lo + hi) / 2
    if any(_pole_of_integrand_at(e, where, a, b) for e in poles):
        return True
    try:
        exact = sp.Integer(0) if abs(where) < 1e-9 else \
            sp.nsimplify(where, [sp.pi], tolerance=1e-9, rational=False)
    except (ValueError, TypeError):
        return False
    if exact.free_symbols or sp.count_ops(exact) > 8 or abs(float(exact) - where) > 1e-7 * (1 + abs(where)):
        return False
    value = question.subs(X, exact)
    return bool(value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_finite is False)


def _pole_at_an_end(question: sp.Expr, a: float, b: float) -> bool:
    """Whether |f| at an end of [a, b] stands over 1e8 times above its size at the other end and
    over 100 times above its size 1/1000 of the width inside: a pole within a hair of that end,
    inside the pair or beyond it (x*tan(2*x)'s at pi/4, 1e-6 from a grid point: the quadrature
    cannot resolve it, and the bisection finds no step of F there, whose pole is even)."""
    width = b - a
    for end, inside, other in ((a, a + 1e-3 * width, b), (b, b - 1e-3 * width, a)):
        values = np.abs(values_at(question, np.array([end, inside, other])))
        if np.isfinite(values[0]) and values[0] > 1e8 * (1.0 + values[2]) and values[0] > 100 * values[1]:
            return True
    return False


def ode_jump(task: str, equation: sp.Expr, candidate: sp.Expr, constants, xs: np.ndarray) -> str:
    """Why y (and y' for the second order), with these values of c1, c2, is no solution across
    some pair of neighbouring points of ``xs`` ("" if none): it jumps there although the
    equation is defined (``ode_jump_between``)."""
    found = ode_jump_between(task, equation, candidate, constants, xs)
    return found[2] if found else ""


def ode_jump_between(task: str, equation: sp.Expr, candidate: sp.Expr, constants,
                     xs: np.ndarray) -> tuple[float, float, str] | None:
    """(a, b, reason) for neighbouring points of ``xs`` between which y (or y' for the second
    order), with these values of c1, c2, jumps; None if it does nowhere.  A jump is excused only
    where the equation itself is undefined (y' = -y/x at 0: a solution may take another constant
    on each side), not where the answer's expression alone is (x/Abs(x) for y' = 0, or a Bessel
    solution of y' = x**2 + y**2 written with sqrt(x): the equation is regular at 0, and its
    solutions through 0 are not these)."""
    y = candidate.xreplace({C1: sp.Float(constants[0]), C2: sp.Float(constants[1])})
    dy = without_deltas(sp.diff(y, X))
    excuse = equation_in_x(equation)
    return jump_between(dy, y, xs, excuse) or \
        (jump_between(without_deltas(sp.diff(dy, X)), dy, xs, excuse) if task == "ode2" else None)


# generic values of y, y', y'' at which the equation is looked at as a function of x alone
_GENERIC = {F2: sp.Float("1.3137"), F1: sp.Float("-0.8121"), F0: sp.Float("0.5773")}


def equation_in_x(equation: sp.Expr) -> sp.Expr:
    """The equation as a function of x alone, at generic values of y, y', y'': undefined where
    the equation is (y' = -y/x at 0, y' = y*tan(x) at pi/2), where a solution may take another
    constant on each side.  Not where its leading coefficient merely vanishes: x*y' = 0 holds at
    0 only for a y differentiable there, so c1 + sign(x) solves it on x < 0 and x > 0 apart."""
    return equation.xreplace(_GENERIC)


def without_deltas(e: sp.Expr) -> sp.Expr:
    """DiracDelta terms (from differentiating sign or Abs) are 0 at every generic point; the jump
    test judges the steps they come from."""
    return e.replace(lambda n: isinstance(n, sp.DiracDelta), lambda n: sp.Integer(0)) \
        if e.has(sp.DiracDelta) else e
