"""Answers with parameters that hold between points which move with the parameters.

FriCAS integrates sin(t)**2/(a + b*cos(t)), t = c + d*x, with ``atan((a*cos(t) + b)/(s*sin(t)))``
(s = sqrt(a**2 - b**2)): an antiderivative on each interval between consecutive zeros of
sin(c + d*x), jumping at those zeros.  They move with c and d, so no one list of intervals holds
at every draw of the parameters (``parameter_draws``), yet the answer is what a table of integrals
prints.  ``between_breaks`` states such an answer as LOCAL, valid for "x in each interval between
consecutive zeros of sin(c + d*x)", when, at every draw where it held on intervals only or failed
by a jump alone (a large d leaves intervals too short for the interval search), on the interval
search's grid (0.01 apart on [-10, 10], 0.5 apart out to +-100, shifted at random) and, for 0-2,
24 points farther out to +-1e6:

0. F' - f is zero at adaptive precision at ``CONFIRM`` good points spread over the grid;
1. wherever F is real and finite, F' - f vanishes in double precision (f real there), or failing
   that at adaptive precision (at most ``MAX_JUDGED`` such points: rounding next to a pole);
2. each point where F turns real or complex, and 3. each break the jump test
   (``continuity.interval_breaks``) finds between neighbouring good points -- F jumps, has a
   pole, or the pair cannot be judged -- is located by bisection (``BISECTIONS`` halvings; where
   F is smooth at the point found, the pair is split in ``SPLIT`` and judged again), and some
   break factor has a zero exactly there: it changes sign within ``ZERO_WIDTH`` (relative), where
   its values are tiny against those 1e-5 or 1e-3 away (or is that tiny without changing sign,
   where the integrand is singular: a zero of even order under a log).

The break factors (``break_factors``) are the x-dependent factors of what can make F jump, stop
being real or blow up: the numerators and denominators of the arguments of atan, acot, log and
the inverse functions, of the bases of roots, and of F's negative powers, and the cos or sin
under tan, sec, cot, csc.  Only the factors with a break at some draw are named, each break by
the simplest factor with a zero there; where F is not real somewhere, the claim is "where it is
real".  A break at no such zero (a complex logarithm crossing its cut, a jump of a term
``atan(tan(u))`` beside the zeros) refuses the answer, and so do answers with Abs or sign (their
kinks are judged elsewhere) and draws where the answer failed and no break is found here.
(Limits, as everywhere numeric: a defect narrower than the grid between breaks; a jump beyond
|x| = 100, where the far points are too far apart for the jump test, as for the interval search.)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.continuity import interval_breaks, real_finite
from symseq.numerics.numeric import NotNumeric, evaluate
from symseq.numerics.precise import Zero, judge_zero
from symseq.solve.intervals import _good, _grid

MAX_FACTORS = 12  # break factors considered, at most (an answer with more is not stated this way)
MAX_FACTOR_OPS = 400  # an argument larger than this is not factored (slow): no statement
MAX_JUDGED = 40  # grid points where the residual fails in double precision, judged at adaptive precision
BISECTIONS = 64  # halvings that locate a break between two grid points
ZERO_WIDTH = 1e-9  # how close to a located break (relative) a factor must change sign
SPLIT = 64  # pieces of a flagged pair where bisection finds no break, judged again
FAR = np.logspace(2.05, 6.0, 24)  # beyond the interval search's grid (|x| <= 100): out to 1e6
CONFIRM = 3  # good grid points where the residual is also judged at adaptive precision

_INVERSE = (sp.asin, sp.acos, sp.asec, sp.acsc, sp.atanh, sp.acoth, sp.asinh, sp.acosh)


def break_factors(candidate: sp.Expr) -> list[sp.Expr]:
    """The x-dependent factors whose zeros are where ``candidate`` may jump, stop being real or
    have a pole (the module docstring), without repeats (up to sign); [] when there are more than
    ``MAX_FACTORS`` or an argument is too large to factor."""
    sources: list[sp.Expr] = []
    for node in sp.preorder_traversal(candidate):
        if isinstance(node, (sp.atan, sp.acot, sp.log) + _INVERSE):
            u = node.args[0]
            sources += [u] if isinstance(node, (sp.atan, sp.acot, sp.log)) else [u - 1, u + 1, u]
        elif isinstance(node, sp.Pow) and node.base.has(X):
            if not node.exp.is_integer or node.exp.is_negative:
                sources.append(node.base)
        elif isinstance(node, (sp.tan, sp.sec)):
            sources.append(sp.cos(node.args[0]))
        elif isinstance(node, (sp.cot, sp.csc)):
            sources.append(sp.sin(node.args[0]))
    found: list[sp.Expr] = []
    for source in sources:
        if not source.has(X):
            continue
        if sp.count_ops(source) > MAX_FACTOR_OPS:
            return []
        numerator, denominator = sp.fraction(sp.together(source))
        for part in (numerator, denominator):
            for base in _factors(part):
                if base.has(X) and base not in found and -base not in found:
                    found.append(base)
        if len(found) > MAX_FACTORS:
            return []
    return found


def _factors(e: sp.Expr) -> list[sp.Expr]:
    """The bases of ``e``'s factors (``e`` itself when SymPy cannot factor it: roots inside)."""
    if not e.has(X):
        return []
    try:
        return [base for base, _ in sp.factor_list(e)[1]]
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return [e]


def explain_draw(question: sp.Expr, candidate: sp.Expr, factors: list[sp.Expr], values: dict,
                 rng: np.random.Generator) -> tuple[set, bool, int] | None:
    """At one draw of the parameters: (the factors, by index, whose zeros are the breaks; whether
    F is non-real somewhere; how many breaks) when the module docstring's checks hold, else None."""
    f, F = question.xreplace(values), candidate.xreplace(values)
    try:
        with np.errstate(all="ignore"):
            return _explained(f, F, [g.xreplace(values) for g in factors], rng)
    except (NotNumeric, ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None


def describe_breaks(factors: list[sp.Expr], used: set, somewhere_complex: bool, var: sp.Symbol = X) -> str:
    """"x in each interval between consecutive zeros of A and of B" for the factors ``used`` ('' if
    none; read after "valid for"), written in ``var``."""
    if not used:
        return ""
    named = " and of ".join(sp.sstr(_monic(factors[i]).xreplace({X: var})) for i in sorted(used))
    return f"{var} in each interval between consecutive zeros of {named}" + \
        (" where it is real" if somewhere_complex else "")


def _monic(g: sp.Expr) -> sp.Expr:
    """A polynomial in x with its leading coefficient 1 (x - a/100000 - 5, not 100000*x - a - 500000)."""
    if not g.is_polynomial(X):
        return g
    return sp.expand(g / sp.Poly(g, X).LC())


def between_breaks(question: sp.Expr, candidate: sp.Expr, draws: list[dict],
                   rng: np.random.Generator, var: sp.Symbol = X) -> str:
    """``describe_breaks`` of the factors with a break at some draw when ``explain_draw`` holds at
    every draw of ``draws`` and finds a break at each (they are draws where the answer failed on
    the whole line), else ''."""
    factors = break_factors(candidate)
    if not factors or not draws:
        return ""
    used: set[int] = set()
    somewhere_complex = False
    for values in draws:
        found = explain_draw(question, candidate, factors, values, rng)
        if found is None or not found[2]:
            return ""
        used |= found[0]
        somewhere_complex |= found[1]
    return describe_breaks(factors, used, somewhere_complex, var)


def _explained(f: sp.Expr, F: sp.Expr, factors: list[sp.Expr], rng: np.random.Generator):
    """(the factors whose zeros are the breaks, whether F is non-real somewhere, how many breaks)
    at one draw, or None when the residual fails somewhere or some break is at no zero of a
    factor (the module docstring)."""
    xs = np.concatenate([-FAR[::-1], _grid(rng), FAR])
    env = {X: xs.astype(np.complex128)}
    real = real_finite(evaluate(F, env)[0])  # where the answer is real: what the claim covers
    residual = sp.diff(F, X) - f
    good = _good(f, F, residual, xs)
    # 0. the residual is zero at adaptive precision too, at points spread over the good ones
    spread = np.flatnonzero(good)
    if spread.size < 2:
        return None
    for k, i in enumerate(spread[np.linspace(0, spread.size - 1, CONFIRM).round().astype(int)]):
        if judge_zero(residual, {X: float(xs[i])}, levels=5 if k == 0 else 3)[0] is not Zero.ZERO:
            return None
    # 1. where F is real and the residual fails in double precision (or f is not real), it is
    # zero at adaptive precision: rounding next to a pole, nothing else
    bad = np.flatnonzero(real & ~good)
    if bad.size > MAX_JUDGED or any(judge_zero(residual, {X: float(xs[i])})[0] is not Zero.ZERO for i in bad):
        return None
    # 2. where F turns real or complex, and 3. where the jump test finds a break between good
    # points: each located by bisection, and a zero of some factor exactly there
    flips = np.flatnonzero(real[:-1] != real[1:])
    kept = xs[good & (np.abs(xs) < FAR[0])]  # the far points are too far apart for the jump test
    jumps = np.flatnonzero(interval_breaks(f, F, kept))
    points = np.concatenate([_located(F, xs[flips], xs[flips + 1], by_realness=True),
                             _breaks_between(f, F, kept[jumps], kept[jumps + 1])])
    holding = _zero_at(factors, points, _singular_at(f, points))
    if not holding.any(axis=0).all():
        return None
    # each break named by its simplest factor with a zero there (the shortest description)
    simplest_first = np.argsort([sp.count_ops(g) for g in factors], kind="stable")
    used = {int(simplest_first[np.argmax(holding[simplest_first, j])]) for j in range(holding.shape[1])}
    return used, bool((~real).any()), len(points)


def _breaks_between(f: sp.Expr, F: sp.Expr, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where F breaks in the pairs [lo, hi] the jump test flagged: the point each bisection finds,
    if F jumps, has a pole or is not real there; a pair where it finds none (the test could not
    judge it: fast oscillation between grid points 0.5 apart) is split into ``SPLIT`` pieces
    and judged again, and those pieces' breaks are located the same way."""
    points = _located(F, lo, hi, by_realness=False)
    breaking = _breaks_at(F, points)
    if breaking.all():
        return points
    sub = lo[~breaking, None] + (hi - lo)[~breaking, None] * np.linspace(0.0, 1.0, SPLIT + 1)[None, :]
    flagged = interval_breaks(f, F, sub.ravel())
    inside = np.flatnonzero(flagged & (np.arange(flagged.size) % (SPLIT + 1) != SPLIT))  # not across pairs
    ends = sub.ravel()
    again = _located(F, ends[inside], ends[inside + 1], by_realness=False)
    return np.concatenate([points[breaking], again[_breaks_at(F, again)]])


def _breaks_at(F: sp.Expr, points: np.ndarray) -> np.ndarray:
    """Whether F, within ``ZERO_WIDTH`` (relative) of each point, is not real and finite on some
    side, or changes by more than 1e-6 of its size by as much within a thousandth of that width
    (a jump or a pole: a smooth stretch, however steep, changes a thousand times less)."""
    if not points.size:
        return np.zeros(0, dtype=bool)

    def change(width: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        left = evaluate(F, {X: (points - width).astype(np.complex128)})[0]
        right = evaluate(F, {X: (points + width).astype(np.complex128)})[0]
        with np.errstate(all="ignore"):
            return real_finite(left) & real_finite(right), np.abs(right.real - left.real), \
                1e-6 * (1.0 + np.abs(left.real) + np.abs(right.real))

    width = ZERO_WIDTH * (1.0 + np.abs(points))
    defined, step, size = change(width)
    _, inner_step, _ = change(width / 1000)
    return ~defined | ((step > size) & (inner_step > 0.5 * step))


def _located(F: sp.Expr, lo: np.ndarray, hi: np.ndarray, by_realness: bool) -> np.ndarray:
    """The point in each [lo, hi] where F turns from real to complex (``by_realness``) or jumps
    (or has a pole), by ``BISECTIONS`` halvings of all the intervals at once: the half kept is
    the one whose ends differ in realness, or where F changes more."""
    lo, hi = lo.astype(float), hi.astype(float)
    if not lo.size:
        return lo

    def at(t: np.ndarray) -> np.ndarray:
        return evaluate(F, {X: t.astype(np.complex128)})[0]

    F_lo, F_hi = at(lo), at(hi)
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        F_mid = at(mid)
        if by_realness:
            left = real_finite(F_mid) != real_finite(F_lo)
        else:
            with np.errstate(all="ignore"):
                left = ~np.isfinite(F_mid) | (np.abs(F_mid - F_lo) >= np.abs(F_hi - F_mid))
        hi, F_hi = np.where(left, mid, hi), np.where(left, F_mid, F_hi)
        lo, F_lo = np.where(left, lo, mid), np.where(left, F_lo, F_mid)
    return (lo + hi) / 2


def _singular_at(f: sp.Expr, points: np.ndarray) -> np.ndarray:
    """Whether the integrand is singular at each point: within ``ZERO_WIDTH`` (relative) of it,
    not finite, or a thousand times larger than 1e-3 away (a log singularity of F: 1/(x - p))."""
    if not points.size:
        return np.zeros(0, dtype=bool)
    scale = 1.0 + np.abs(points)
    near = [evaluate(f, {X: (points + o * scale).astype(np.complex128)})[0] for o in (-ZERO_WIDTH, ZERO_WIDTH)]
    away = [evaluate(f, {X: (points + o * scale).astype(np.complex128)})[0] for o in (-1e-3, 1e-3)]
    with np.errstate(all="ignore"):
        size_near = np.minimum(np.abs(near[0]), np.abs(near[1]))
        size_away = np.maximum(np.abs(away[0]), np.abs(away[1]))
        return ~np.isfinite(size_near) | (size_near >= 1e3 * (1.0 + np.where(np.isfinite(size_away), size_away, 0.0)))


def _zero_at(factors: list[sp.Expr], points: np.ndarray, singular: np.ndarray) -> np.ndarray:
    """(factor, point) -> whether the factor has a zero at the point: it changes sign within
    ``ZERO_WIDTH`` (relative) of it, where its values are tiny against those 1e-5 or 1e-3 away
    (not the sign change across a pole of tan(x) + 1, nor a factor with no zero: cosh); or, where
    the integrand is ``singular``, is that tiny without changing sign (a zero of even order: F's
    log(A**2) blows up there)."""
    found = np.zeros((len(factors), len(points)), dtype=bool)
    if not len(points):
        return found
    scale = 1.0 + np.abs(points)
    offsets = np.array([-ZERO_WIDTH, ZERO_WIDTH, -1e-5, 1e-5, -1e-3, 1e-3])
    ts = points[:, None] + scale[:, None] * offsets[None, :]
    for i, g in enumerate(factors):
        v = evaluate(g, {X: ts.ravel().astype(np.complex128)})[0].reshape(ts.shape)
        ok = real_finite(v[:, :2]).all(axis=1)
        r = np.where(real_finite(v), v.real, np.nan)
        near = np.maximum(np.abs(r[:, 0]), np.abs(r[:, 1]))
        away = np.nanmax(np.abs(r[:, 2:]), axis=1, initial=0.0)
        with np.errstate(invalid="ignore"):
            tiny = near <= 1e-3 * away
            found[i] = ok & tiny & ((np.sign(r[:, 0]) * np.sign(r[:, 1]) < 0) | singular)
    return found
