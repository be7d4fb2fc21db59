"""Where an answer holds: the intervals on which a candidate antiderivative is verified.

An antiderivative is a function on an interval where the integrand is continuous; tables of
integrals and every CAS write answers that hold on such an interval only (``2*sin(x)/sqrt(cos(x)
+ 1)`` for ``sqrt(cos(x) + 1)`` holds on -pi < x < pi, and on each interval 2*pi further, but
jumps at the odd multiples of pi; ``sqrt(x**2 - 1)*asec(x) - log(x)`` holds for x > 1).  The
verifier calls ``integral_intervals`` when an answer fails on the real line; the answer is then
``LOCAL``: shown, and counted, always with the intervals found here, and only on them.

An interval is verified as the whole real line is, on a grid instead of scattered points:

Up to ``SHOWN`` intervals, nearest 0 first:

1. the residual F' - f vanishes in double precision, with f and F real and finite, at every
   point of a run of at least ``MIN_RUN`` consecutive points of a fine grid (0.01 apart on
   [-10, 10], 0.5 apart out to +-100, shifted at random on every call);
2. it is confirmed zero at adaptive precision at ``CONFIRM`` points inside the run;
3. the run is cut wherever the jump test (``continuity.interval_breaks``) finds F discontinuous,
   f undefined or unbounded, or cannot judge; each piece between cuts is an interval;
4. its ends are located (a jump of F to ~1e-12, the last good point on a fine grid) and named
   exactly when they are simple numbers (1, -pi, 3*pi/2) and the answer is verified up to
   them, else shown rounded inwards; a piece that reaches the end of the grid is open on that
   side (x > 1), unless the answer's formula has a singular point farther out
   (``symseq.numerics.exact_singularities``): it ends at the first (20*pi < x < 60*pi);
5. an answer built with Abs or sign is also checked piece by piece between its kinks
   (``symseq.solve.kinks``): its intervals are cut where F jumps or f is undefined, and lose
   the pieces where the residual is nonzero, however narrow.

``Interval`` is what records carry; ``describe`` writes intervals for people.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symseq.numerics.numeric import NotNumeric, evaluate
from symseq.numerics.precise import Zero, judge_zero
from generators.symbols import X
from symseq.numerics.continuity import interval_breaks, real_finite
from symseq.numerics.exact_singularities import far_points

MIN_RUN = 30  # grid points in a row (0.3 wide near 0)
CONFIRM = 3  # points of each run confirmed at adaptive precision
MAX_RUNS = 6  # runs examined, those nearest 0 first
SHOWN = 4  # intervals verified and named, at most (the search stops there)
SECONDS = 3.0  # the search stops looking (keeping what it has verified) after this long, once
# the run nearest 0 has been examined
REFINE_POINTS = 2001


@dataclass(frozen=True)
class Interval:
    """lo < x < hi (either may be infinite), with each end as people read it ("-pi", "1.414")."""
    lo: float
    hi: float
    lo_text: str
    hi_text: str

    def text(self, var: str = "x") -> str:
        if math.isinf(self.lo) and math.isinf(self.hi):
            return f"every real {var}"
        if math.isinf(self.lo):
            return f"{var} < {self.hi_text}"
        if math.isinf(self.hi):
            return f"{var} > {self.lo_text}"
        return f"{self.lo_text} < {var} < {self.hi_text}"

    def contains(self, x: float) -> bool:
        return self.lo < x < self.hi

    def to_json(self) -> list:
        return [None if math.isinf(self.lo) else self.lo_text, None if math.isinf(self.hi) else self.hi_text]


def describe(intervals: tuple[Interval, ...] | list[Interval], var: str = "x") -> str:
    """"-pi < x < pi; pi < x < 3*pi": the intervals, in the order given (nearest 0 first)."""
    return "; ".join(i.text(var) for i in intervals)


def _grid(rng: np.random.Generator) -> np.ndarray:
    dense = -10.0 + 0.01 * (np.arange(2001) + rng.uniform(0.1, 0.9))
    tail = 10.0 + 0.5 * (np.arange(1, 181) + rng.uniform(-0.4, 0.4))
    return np.concatenate([-tail[::-1], dense[dense < 10.0], tail])


def _good(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr, xs: np.ndarray) -> np.ndarray:
    """Where the residual vanishes in double precision and f and F are real and finite."""
    env = {X: xs.astype(np.complex128)}
    with np.errstate(all="ignore"):
        r, scale = evaluate(residual, env)
        F = evaluate(candidate, env)[0]
        f = evaluate(question, env)[0]
        return np.isfinite(r) & np.isfinite(scale) & real_finite(F) & real_finite(f) \
            & (np.abs(r) <= 1e-8 * (1.0 + np.maximum(scale, np.abs(r))))


def runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """[lo, hi) of every run of True in ``mask`` at least ``min_len`` long."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(s), int(e)) for s, e in zip(edges[0::2], edges[1::2]) if e - s >= min_len]


def integral_intervals(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr,
                       rng: np.random.Generator, seconds: float | None = None) -> list[Interval]:
    """The intervals on which ``candidate`` is verified to be an antiderivative of ``question``
    (the module docstring), nearest 0 first; empty if none.  Functions of x alone.  ``seconds``
    defaults to ``SECONDS``, read at each call."""
    t0 = time.perf_counter()
    seconds = SECONDS if seconds is None else seconds
    xs = _grid(rng)
    try:
        good = _good(question, candidate, residual, xs)
    except NotNumeric:
        return []
    nearest = sorted(runs(good, MIN_RUN), key=lambda r: min(abs(xs[r[0]]), abs(xs[r[1] - 1]))
                     if xs[r[0]] * xs[r[1] - 1] > 0 else 0.0)[:MAX_RUNS]
    found: list[Interval] = []
    for examined, (lo, hi) in enumerate(nearest):
        # the run nearest 0 is always examined to the end, however long its confirmation takes
        # (bounded by the caller's process limit): else an answer confirmed just past the budget
        # was refused at random on a busy machine
        if (examined and time.perf_counter() - t0 > seconds) or len(found) >= SHOWN:
            break
        inner = np.linspace(lo + 2, hi - 3, CONFIRM).round().astype(int)
        if any(judge_zero(residual, {X: float(xs[i])}, levels=5 if k == 0 else 3)[0] is not Zero.ZERO
               for k, i in enumerate(inner)):
            continue
        cuts = np.flatnonzero(interval_breaks(question, candidate, xs[lo:hi])) + lo  # pair (i, i+1)
        pieces = [(int(s), int(e)) for s, e in zip(np.concatenate([[lo], cuts + 1]), np.concatenate([cuts + 1, [hi]]))
                  if e - s >= MIN_RUN]
        for s, e in sorted(pieces, key=lambda p: 0.0 if xs[p[0]] < 0 < xs[p[1] - 1]
                           else min(abs(xs[p[0]]), abs(xs[p[1] - 1]))):
            if (found and time.perf_counter() - t0 > seconds) or len(found) >= SHOWN:
                break
            low, low_text = (-math.inf, "-oo") if s == 0 else \
                _edge(question, candidate, residual, xs[s - 1], xs[s], inside=1, deadline=t0 + seconds)
            high, high_text = (math.inf, "oo") if e == len(xs) else \
                _edge(question, candidate, residual, xs[e - 1], xs[e], inside=0, deadline=t0 + seconds)
            found.append(Interval(low, high, low_text, high_text))
    if found:
        found = _without_kink_defects(question, candidate, residual, _closed_far_out(candidate, found))
    return sorted(found, key=lambda i: (0.0 if i.contains(0.0) else min(abs(i.lo), abs(i.hi)), i.lo))


def _closed_far_out(candidate: sp.Expr, found: list[Interval]) -> list[Interval]:
    """An interval open towards +-oo ends at the answer's first far singular point on that side
    (``symseq.numerics.exact_singularities``: beyond the grid, where its formula may jump), named exactly:
    sqrt(1 + cos(x/20))'s antiderivative holds for 20*pi < x < 60*pi, not for x > 20*pi.  (When
    those points cannot be found, the interval stays open, as the grid saw it.)"""
    points = far_points(candidate)
    if not points:
        return found
    out = []
    for iv in found:
        lo, lo_text, hi, hi_text = iv.lo, iv.lo_text, iv.hi, iv.hi_text
        # (the grid saw the piece out to its end, so the cut lies beyond it, at |x| > 100)
        # (a point found by a numeric scan, a Float, is shown rounded inwards)
        if hi == math.inf:
            value, exact = next(((v, e) for v, e in points if v > max(iv.lo, 0.0)), (math.inf, None))
            hi, hi_text = (hi, hi_text) if exact is None else \
                (value, _rounded(value, up=False) if isinstance(exact, sp.Float) else sp.sstr(exact))
        if lo == -math.inf:
            value, exact = next(((v, e) for v, e in reversed(points) if v < min(iv.hi, 0.0)), (-math.inf, None))
            lo, lo_text = (lo, lo_text) if exact is None else \
                (value, _rounded(value, up=True) if isinstance(exact, sp.Float) else sp.sstr(exact))
        out.append(Interval(lo, hi, lo_text, hi_text))
    return out


def _without_kink_defects(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr,
                          found: list[Interval]) -> list[Interval]:
    """The intervals cut at the kinks where F jumps or f is undefined, and without the pieces
    between kinks where the residual is nonzero (``symseq.solve.kinks``); none at all when there
    are too many kinks to check."""
    from symseq.solve.kinks import kink_defects

    checked = kink_defects(question, candidate, residual)
    if checked is None:
        return []
    points, jumps, singular, bad = checked
    if not points:
        return found
    cuts = sorted(set(jumps) | set(singular) | {p for piece in bad for p in piece if math.isfinite(p)})
    out = []
    for iv in found:
        inside = [c for c in cuts if iv.lo < c < iv.hi]
        ends = [(iv.lo, iv.lo_text, iv.lo_text)] + [(c, _kink_name(c, up=True), _kink_name(c, up=False))
                                                    for c in inside] + [(iv.hi, iv.hi_text, iv.hi_text)]
        for (lo, lo_text, _), (hi, _, hi_text) in zip(ends, ends[1:]):
            mid = (max(lo, -1e3) + min(hi, 1e3)) / 2
            if hi - lo < 1e-6 * (1 + abs(mid)):  # a sliver between two cuts: not worth a claim
                continue
            if not any(a <= mid <= b for a, b in bad):
                out.append(Interval(lo, hi, lo_text, hi_text))
    return out


def _kink_name(value: float, up: bool) -> str:
    """A kink as an interval's end: exact when a simple number within 1e-12, else rounded inwards."""
    exact = _simple_numbers_near(value, 1e-12)
    return sp.sstr(exact[0]) if exact else _rounded(value, up)


def _edge(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr, a: float, b: float,
          inside: int, deadline: float = math.inf) -> tuple[float, str]:
    """Where, between grid points a < b, the interval ends (``inside``: 0 if a is its last point,
    1 if b is its first), as (value, name).  On a fine grid of [a, b] the last good point from
    the inside is found, and a jump of F beyond it (the largest step of F against the integral,
    located three times over to ~1e-12).  A simple number at the jump (or just beyond the last
    good point) becomes the end if the answer is verified up to it (``_verified_up_to``), while
    there is time (``deadline``); else the end is the last good point, rounded inwards."""
    start = a if inside == 0 else b  # the piece's own grid point: verified by the caller
    if time.perf_counter() > deadline:  # no time to locate the end: the piece's last grid point
        return float(start), _rounded(start, up=inside == 1)
    sign = 1.0 if inside == 0 else -1.0  # from the end towards the interval's inside: -sign
    inner, jump = (a if inside == 0 else b), None
    lo, hi = a, b
    for _ in range(3):
        xs = np.linspace(lo, hi, REFINE_POINTS)
        try:
            good = _good(question, candidate, residual, xs)
            with np.errstate(all="ignore"):
                F = evaluate(candidate, {X: xs.astype(np.complex128)})[0]
                f = evaluate(question, {X: xs.astype(np.complex128)})[0].real
        except NotNumeric:
            break
        usable = real_finite(F)
        steps = np.abs(np.diff(F.real) - (f[:-1] + f[1:]) / 2 * np.diff(xs))
        steps = np.where(usable[:-1] & usable[1:] & np.isfinite(steps), steps, 0.0)
        j = int(np.argmax(steps))
        # a jump: far above the trapezoid's error and above double precision's rounding of F
        jumps = steps[j] > 1e-6 * (1 + abs(F.real[j + 1] - F.real[j])) + 1e-12 * abs(F.real[j])
        # the good points from the interval's side, up to the jump if there is one
        side = range(0, j + 1 if jumps else len(xs)) if inside == 0 else \
            range(len(xs) - 1, j if jumps else -1, -1)
        for i in side:
            if not good[i]:
                break
            inner = float(xs[i])
        if not jumps:
            break
        jump, lo, hi = float((xs[j] + xs[j + 1]) / 2), float(xs[j]), float(xs[j + 1])
    if time.perf_counter() < deadline:
        # a jump's place is named when a simple number lies within 1e-10 of it (it is located to
        # ~1e-12); a place where the answer stops holding, when one lies within 1e-3 beyond the
        # last good point; either only once the answer is verified all the way up to it (a
        # defect narrower than the points checked there needs Abs or sign: their kinks are
        # checked apart, ``_without_kink_defects``)
        near = (_simple_numbers_near(jump, 1e-10) if jump is not None else []) + \
            _simple_numbers_near(inner, 1e-3, denominators=6)
        for exact in near[:3]:
            if time.perf_counter() > deadline:
                break
            if _verified_up_to(question, candidate, residual, start, inner, float(exact), sign):
                return float(exact), sp.sstr(exact)
    if inner != start and not _continuous(question, candidate, [start, inner]):
        inner = start
    return inner, _rounded(inner, up=inside == 1)


def _verified_up_to(question: sp.Expr, candidate: sp.Expr, residual: sp.Expr, start: float,
                    inner: float, end: float, sign: float) -> bool:
    """Whether the answer, verified from the grid point ``start`` to the last good point
    ``inner`` of the fine grid, holds up to ``end`` (at most 1e-3 beyond ``inner`` in the
    direction ``sign``): at 8 points between inner and end and at end - sign*10**-k (k = 5, 7, 9)
    the residual is zero and F real at adaptive precision, and from ``start`` through inner
    and those last points F changes by the integral of f (no jump)."""
    if sign * (end - inner) < 0 or abs(end - inner) > 1e-3 * max(1.0, abs(end)):
        return False
    between = list(inner + (end - inner) * np.arange(1, 9) / 9)
    tail = [end - sign * 10.0 ** -k * max(1.0, abs(end)) for k in (5, 7, 9)]
    points = [p for p in between + tail if sign * (p - inner) > 0 and sign * (end - p) > 0]
    if not all(_holds_at(candidate, residual, p) for p in points):
        return False
    # continuity along the span (a jump anywhere inside a pair shows in its integral)
    return _continuous(question, candidate, [start, inner, *[p for p in tail if p in points]])


def _continuous(question: sp.Expr, candidate: sp.Expr, points: list[float]) -> bool:
    """Between neighbouring ``points``, F changes by the integral of f: each pair refuted as a
    jump at high precision (``continuity.jump_at_high_precision``)."""
    from symseq.numerics.jump_judges import jump_at_high_precision

    chain = sorted(points)
    return all(jump_at_high_precision(question, candidate, a, b) is False for a, b in zip(chain, chain[1:]))


def _holds_at(candidate: sp.Expr, residual: sp.Expr, x: float) -> bool:
    """The residual is zero and the answer real at ``x``, at adaptive precision."""
    from symseq.numerics.precise import is_real

    return judge_zero(residual, {X: x})[0] is Zero.ZERO and is_real(candidate, {X: x}) is True


def _simple_numbers_near(value: float, tolerance: float, denominators: int = 20) -> list[sp.Expr]:
    """Integers, fractions p/q (q <= ``denominators``) and their multiples of pi, and square
    roots of integers up to 50 (with their signs), within ``tolerance`` (relative above 1) of
    ``value``, nearest first."""
    found = []
    scale = tolerance * max(1.0, abs(value))
    for q in range(1, denominators + 1):
        for unit in (sp.Integer(1), sp.pi):
            p = round(value * q / float(unit))
            exact = sp.Rational(p, q) * unit
            if abs(float(exact) - value) <= scale and exact not in found:
                found.append(exact)
    n = round(value * value)
    if 1 < n <= 50 and not sp.sqrt(n).is_Rational:
        exact = sp.sqrt(n) if value > 0 else -sp.sqrt(n)
        if abs(float(exact) - value) <= scale:
            found.append(exact)
    return sorted(found, key=lambda e: abs(float(e) - value))


def _rounded(value: float, up: bool) -> str:
    """``value`` to 4 significant digits, rounded up (a lower end) or down (an upper end)."""
    if math.isinf(value):
        return "oo" if value > 0 else "-oo"
    digits = 3 - int(math.floor(math.log10(abs(value)))) if value else 3
    scale = 10.0 ** digits
    rounded = (math.ceil if up else math.floor)(value * scale) / scale
    return f"{rounded:.{max(0, digits)}f}"
