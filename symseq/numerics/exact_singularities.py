"""Where an answer may jump beyond the grids' reach: its singular points past |x| = 100, found exactly.

The jump test and the interval search sample [-100, 100] (``continuity``, ``symseq.solve.intervals``);
a formula can jump only farther out: ``80*sin(x/40)/sqrt(cos(x/40) + 1)`` (FriCAS's antiderivative
of sqrt(1 + cos(x/40))) at x = 40*pi + 80*k*pi, ``atan(1/((x - 1)*(exp(x - 150) - 1)))`` at 150.
Such a formula is undefined or changes form only where one of its *bases* vanishes: a
denominator, a radicand, a log's argument, an Abs or sign argument, the cos under tan or sec, the
sin under cot or csc, asin's u -+ 1, ....  ``far_points(expr)`` solves each base for its real zeros
with SymPy's ``solveset`` (each base once per process): the points of a finite set beyond
``REACH``, and of each periodic family (an ``ImageSet`` linear in its integer) the first
``PER_FAMILY`` beyond ``REACH`` on each side; a base whose zeros SymPy does not list within
``SECONDS`` is scanned numerically (``symseq.numerics.far_scan``).  ``nearest_singular`` and
``singular_within`` list the points around or inside an interval, for IVPs and quadrature.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from functools import lru_cache

import sympy as sp

from generators.symbols import C1, C2, X
from symseq.numerics.far_scan import REACH, far_zeros  # REACH: how far the grids reach

PER_FAMILY = 3  # points of each periodic family taken beyond REACH, on each side
MAX_POINTS = 200  # far points kept, those nearest the grids first
MAX_OPS = 40  # a larger base is not solved (None)
SECONDS = 0.5  # SymPy's solveset for all the bases of one expression, at most

_REAL = sp.Symbol("x_real", real=True)
_N = sp.Symbol("n_family", integer=True)


class _OutOfTime(BaseException):  # not swallowed by a library's "except Exception"
    pass


@contextmanager
def _time_limit(seconds: float):
    """Raise ``_OutOfTime`` inside the block after ``seconds`` (a timer signal; the main thread of
    a process only -- elsewhere, as in a sandbox worker's caller, no limit is set here and the
    process's own limit from its parent applies)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _node_bases(node: sp.Basic) -> tuple:
    """Where one node of a formula may be undefined, stop being real or change form: the
    expressions whose real zeros those points are."""
    if node.is_Pow and (node.exp.is_negative or not node.exp.is_integer):
        return (node.base,)
    if not isinstance(node, sp.Function) or not node.args:
        return ()
    u = node.args[-1] if isinstance(node, (sp.expint, sp.uppergamma, sp.lowergamma, sp.polylog)) else node.args[0]
    if isinstance(node, sp.log) and u.has(sp.I):
        return (u, _imaginary_part(u))  # a complex argument crosses the cut where it turns real
    if isinstance(node, (sp.Abs, sp.sign, sp.log, sp.acot, sp.Ei, sp.Ci, sp.Chi, sp.expint, sp.uppergamma,
                         sp.lowergamma)):
        return (u,)
    if isinstance(node, (sp.tan, sp.sec)):
        return (sp.cos(u),)
    if isinstance(node, (sp.cot, sp.csc)):
        return (sp.sin(u),)
    if isinstance(node, (sp.asin, sp.acos, sp.atanh, sp.acoth, sp.asec, sp.acsc)):  # real for |u| <= 1 (or >= 1)
        return (u - 1, u + 1)
    if isinstance(node, (sp.acosh, sp.polylog, sp.elliptic_k)):  # real for u >= 1, u <= 1, m < 1
        return (u - 1,)
    if isinstance(node, sp.li):
        return (u, u - 1)
    if isinstance(node, sp.LambertW):
        return (u + sp.exp(-1),)
    if isinstance(node, sp.gamma):  # poles at 0, -1, -2, ... (every integer listed: a superset)
        return (sp.sin(sp.pi * u),)
    return ()


def _imaginary_part(u: sp.Expr) -> sp.Expr:
    """The numerator of u's imaginary part for real x: where a complex log argument crosses the
    real axis, and so its cut (I*log((x - 300 + I)/(x - 300 - I)) jumps by 2*pi at 300, beyond
    the grid: it was proved)."""
    return sp.numer(sp.together(sp.im(u.xreplace({X: _REAL})))).xreplace({_REAL: X})


def singular_bases(expr: sp.Expr) -> list[sp.Expr]:
    """The bases of ``expr`` whose real zeros are where it may be undefined, stop being real or
    change form (the module docstring; asin(u) at u = +-1, gamma(u) at the integers, ...); those
    holding an ODE's constants are left out (their zeros move with them)."""
    bases: list[sp.Expr] = []
    for node in sp.preorder_traversal(expr):
        for base in _node_bases(node):
            if base.has(X) and not base.has(C1, C2) and base not in bases:
                bases.append(base)
    return bases


@lru_cache(maxsize=256)
def _real_zeros(base: sp.Expr) -> sp.Set:
    """SymPy's real zeros of ``base`` (in x); cached, so the verifier's jump test, the kinks and
    the interval search, asking about the same bases in one worker, solve each once (an
    interruption by ``_time_limit`` caches nothing)."""
    return sp.solveset(base.xreplace({X: _REAL}), _REAL, sp.S.Reals).xreplace({_REAL: X})


def _zero_sets(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Set | None]]:
    """(base, SymPy's real zeros of it) for each singular base of ``expr`` (in x); the set is None
    for a base too large to solve, one SymPy fails on, or once the bases took ``SECONDS``."""
    out: list[tuple[sp.Expr, sp.Set | None]] = []
    deadline = time.monotonic() + SECONDS
    for base in singular_bases(expr):
        left = deadline - time.monotonic()
        zeros = None
        if left > 0 and sp.count_ops(base) <= MAX_OPS:
            try:
                with _time_limit(left):
                    zeros = _real_zeros(base)
            except (_OutOfTime, Exception):  # noqa: BLE001 -- out of time, or SymPy's own faults (KeyError: b_ for
                zeros = None  # tan(3*log(x/c))-like bases): the zeros are then scanned for
        out.append((base, zeros))
    return out


@lru_cache(maxsize=64)
def far_points(expr: sp.Expr, reach: float = REACH) -> tuple[tuple[float, sp.Expr], ...] | None:
    """(value, exact value) of each real zero of ``expr``'s singular bases beyond ``reach``
    (sorted by value; the module docstring); a base whose zeros SymPy does not list is scanned
    numerically out to 10^4 (``symseq.numerics.far_scan``: the value stands for itself, a Float).
    None when they cannot be listed either way."""
    found: dict[float, sp.Expr] = {}
    for base, zeros in _zero_sets(expr):
        try:
            points = _beyond(zeros, reach) if zeros is not None else None
        except (NotImplementedError, ValueError, TypeError, ArithmeticError):
            points = None
        if points is None:
            scanned = far_zeros(base)
            if scanned is None:
                return None
            points = {v: sp.Float(v) for v in scanned}
        found.update(points)
    nearest = sorted(found.items(), key=lambda p: abs(p[0]))[:MAX_POINTS]  # those nearest the grid
    return tuple(sorted(nearest, key=lambda p: p[0]))


def nearest_singular(expr: sp.Expr, lo: float, hi: float) -> tuple[sp.Expr | None, sp.Expr | None] | None:
    """The singular points of ``expr``'s formula nearest below ``lo`` and above ``hi`` (exact; None
    on a side with none), or None when they cannot be listed or one lies in [lo, hi]: where an
    initial value problem's solution through points in [lo, hi] may stop (tan(x) through 0: -pi/2
    and pi/2; -1/(exp(x) - 3): log(3) above)."""
    sets = [zeros for _, zeros in _zero_sets(expr)]
    if any(zeros is None for zeros in sets):
        return None
    below: list[tuple[float, sp.Expr]] = []
    above: list[tuple[float, sp.Expr]] = []
    try:
        for zeros in sets:
            points = _beyond(zeros, 0.0, around=(lo, hi))
            if points is None:
                return None
            for value, exact in points.items():
                if lo <= value <= hi:
                    return None
                (below if value < lo else above).append((value, exact))
    except (NotImplementedError, ValueError, TypeError, ArithmeticError):
        return None
    return (max(below, key=lambda p: p[0])[1] if below else None,
            min(above, key=lambda p: p[0])[1] if above else None)


def singular_within(expr: sp.Expr, lo: float, hi: float) -> list[float]:
    """The singular points of ``expr``'s formula strictly inside (lo, hi), sorted ([] when they
    cannot be listed, or are over ``MAX_POINTS``): where a quadrature must cut (atan(1/x) jumps at
    0, log(x**2) has a log singularity there: tanh-sinh's middle node fell on it)."""
    return sorted(v for v in _within(expr, lo, hi) if lo < v < hi)


def exact_singular_within(expr: sp.Expr, lo: float, hi: float) -> list[sp.Expr]:
    """The singular points of ``expr``'s formula in [lo, hi], ends included, as exact numbers
    (those of a long family, which stand for themselves as Floats, left out)."""
    return [z for v, z in sorted(_within(expr, lo, hi).items()) if lo <= v <= hi and not isinstance(z, sp.Float)]


def _within(expr: sp.Expr, lo: float, hi: float) -> dict[float, sp.Expr]:
    sets = [zeros for _, zeros in _zero_sets(expr)]
    if any(zeros is None for zeros in sets):
        return {}
    found: dict[float, sp.Expr] = {}
    try:
        for zeros in sets:
            points = _beyond(zeros, 0.0, around=(lo, hi), inside=True)
            if points is None:
                return {}
            found |= {v: z for v, z in points.items() if lo <= v <= hi}
    except (NotImplementedError, ValueError, TypeError, ArithmeticError):
        return {}
    return found if len(found) <= MAX_POINTS else {}


def _beyond(zeros: sp.Set, reach: float, around: tuple[float, float] | None = None,
            inside: bool = False) -> dict[float, sp.Expr] | None:
    """The points of ``zeros`` beyond ``reach`` (a family's first ``PER_FAMILY`` on each side),
    or with ``around`` = (lo, hi), every point of a finite set and a family's nearest
    ``PER_FAMILY`` on each side of [lo, hi] (``inside``: and all its members in [lo, hi], up to
    ``MAX_POINTS`` + 1); None for a set not listed explicitly."""
    if zeros is sp.S.EmptySet:
        return {}
    if isinstance(zeros, sp.Union):
        out: dict[float, sp.Expr] = {}
        for part in zeros.args:
            points = _beyond(part, reach, around, inside)
            if points is None:
                return None
            out.update(points)
        return out
    if isinstance(zeros, sp.FiniteSet):
        out = {}
        for z in zeros:
            value = complex(sp.N(z))
            if abs(value.imag) > 1e-12 * (1 + abs(value)):
                continue
            if around is not None or abs(value.real) > reach:
                out[value.real] = z
        return out
    if isinstance(zeros, sp.ImageSet) and zeros.base_sets == (sp.S.Integers,):
        lam = zeros.lamda
        n = lam.variables[0]
        e = lam.expr.xreplace({n: _N})
        step, start = e.diff(_N), e.xreplace({_N: 0})
        if step.has(_N) or not step.is_number or not start.is_number or step == 0:
            return None
        step_f, start_f = float(step), float(start)
        top, bottom = (reach, -reach) if around is None else (around[1], around[0])
        first_out = math.floor((top - start_f) / abs(step_f)) + 1  # k*|step| + start > top
        first_in = math.ceil((bottom - start_f) / abs(step_f)) - 1  # k*|step| + start < bottom
        ks = list(range(first_out, first_out + PER_FAMILY)) + list(range(first_in - PER_FAMILY + 1, first_in + 1))
        sign = 1 if step_f > 0 else -1
        return {float(start_f + k * abs(step_f)): e.xreplace({_N: sign * k}) for k in ks} | \
            ({} if around is None else _members_inside(start_f, abs(step_f), around, MAX_POINTS + 1 if inside else 1))
    return None


def _members_inside(start: float, step: float, around: tuple[float, float], most: int) -> dict[float, sp.Expr]:
    """A family's members inside [lo, hi], the first ``most`` (values standing for themselves)."""
    k = math.ceil((around[0] - start) / step)
    out = {}
    while len(out) < most and start + k * step <= around[1]:
        out[start + k * step] = sp.Float(start + k * step)
        k += 1
    return out


def far_pairs(expr: sp.Expr) -> list[float]:
    """Points either side of each far point (1e-3 of its size apart, at most 1, and at most a
    quarter of the way to the next far point: tan(x**2)'s poles are 0.016 apart at 100): added
    to the jump test's grid, a pair that straddles the point, judged like any other."""
    values = sorted(v for v, _ in far_points(expr) or ())
    out: list[float] = []
    for i, value in enumerate(values):
        gaps = [abs(value - values[j]) for j in (i - 1, i + 1) if 0 <= j < len(values)]
        h = min([1.0, 1e-3 * abs(value)] + [g / 4 for g in gaps if g > 0])
        out += [value - h, value + h]
    return out
