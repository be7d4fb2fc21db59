"""Where an ODE answer holds, when it does not on the whole line: ``ode_interval``.

``y = sin(c1 - x)`` solves ``y' = -sqrt(1 - y**2)`` only where ``cos(c1 - x) >= 0``.  The
residual is checked on a fine grid for a few values of the constants (those of the point where
it failed first): for every one of them it must vanish (confirmed at adaptive precision) on a
whole interval where y does not jump and the constants are essential.  (A residual built from
analytic functions that vanishes on an interval vanishes wherever it stays analytic; it can
vanish on part of the line only through a branch: ``sqrt(u**2) = |u|``, ``Abs``, ``sign``.)
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from symseq.numerics.numeric import evaluate, has_essential_constants
from symseq.numerics.precise import Zero, judge_zero
from generators.symbols import C1, C2, X
from symseq.numerics.continuity import ode_jump_between, real_finite
from symseq.solve.intervals import runs

LOCAL_DRAWS = 4  # values of the constants (the failing point's first), each needs its interval
# the other draws of the constants lie in [-DRAW_REACH, DRAW_REACH]: y = sin(c1 - asin(x)) solves
# y'*sqrt(1 - x**2) + sqrt(1 - y**2) = 0 where cos(c1 - asin(x)) >= 0, an interval 0.3 wide or less
# for |c1| near 3 (draws in [-3, 3] refused it about one run in two); generic constants all the same
DRAW_REACH = 1.5
LOCAL_GRID = 2001  # points on [-10, 10], 0.01 apart (shifted at random)
LOCAL_MIN_RUN = 30  # consecutive grid points where the residual vanishes: an interval 0.3 wide
LOCAL_CONFIRM = 3  # of them, confirmed zero at adaptive precision (the first one deeper)
# the search gives up (WRONG) after this much CPU time of its own process: counted in CPU time,
# not wall time, so that engines busy on the other cores do not change the verdict (the sandbox
# still bounds the wall time)
LOCAL_SECONDS = 1.5


def ode_interval(task: str, equation: sp.Expr, candidate: sp.Expr, residual: sp.Expr, rng: np.random.Generator,
                 first: tuple[float, float], jumps: tuple[tuple[float, float], ...] = ()) -> str | None:
    """Where the answer solves the equation, for the constants ``first`` ("for c1 = 1.3, on
    -0.71 < x < 2.4"), if it does on an interval for them and for each of ``LOCAL_DRAWS`` - 1
    random draws; else None.  A run where the residual vanishes is cut at y's jumps (the longer
    side kept; ``jumps``, a < x < b, known already): x/Abs(x) + c1 solves y' = 0 on x < 0 and on
    x > 0, not across 0."""
    t0 = time.process_time()
    order = 2 if task == "ode2" else 1
    xs = -10.0 + 20.0 * (np.arange(LOCAL_GRID) + rng.uniform(0.1, 0.9)) / LOCAL_GRID
    found, cuts = [], list(jumps)
    draws = [np.array(first, dtype=float)] + [rng.uniform(-DRAW_REACH, DRAW_REACH, 2) for _ in range(LOCAL_DRAWS - 1)]
    for c in draws:
        if time.process_time() - t0 > LOCAL_SECONDS:
            return None
        env = {X: xs.astype(np.complex128), C1: np.full(LOCAL_GRID, c[0], dtype=np.complex128),
               C2: np.full(LOCAL_GRID, c[1], dtype=np.complex128)}
        run = _longest_run(solves_at(residual, candidate, env))
        lo, hi = _without_jumps(task, equation, candidate, c, xs, run, cuts)
        if hi - lo < LOCAL_MIN_RUN:
            return None
        inner = np.linspace(lo + 2, hi - 3, LOCAL_CONFIRM).round().astype(int)
        for k, i in enumerate(inner):
            point = {X: float(xs[i]), C1: float(c[0]), C2: float(c[1])}
            if judge_zero(residual, point, levels=5 if k == 0 else 3)[0] is not Zero.ZERO:
                return None
        mask = np.zeros(LOCAL_GRID, dtype=bool)
        mask[lo:hi] = True
        if not has_essential_constants(candidate, order, env, mask):
            return None
        found.append((xs[lo], xs[hi - 1], c))
    a, b, c = found[0]
    constants = f"c1 = {c[0]:.3g}" + (f", c2 = {c[1]:.3g}" if candidate.has(C2) else "")
    return f"{a:.3g} < x < {b:.3g} (for {constants})"


CUTS = 3  # jumps a run is cut at, at most (then no interval)


def _without_jumps(task: str, equation: sp.Expr, candidate: sp.Expr, c: np.ndarray, xs: np.ndarray,
                   run: tuple[int, int], jumps: list[tuple[float, float]]) -> tuple[int, int]:
    """[lo, hi) of ``xs`` within ``run`` where y (y' too for the second order) does not jump:
    cut at each of ``jumps`` (a < x < b: found for other constants, or by the verifier; a cut
    only shortens the interval) and at each jump found, which joins ``jumps``, the longer side
    kept; (0, 0) if none is left after ``CUTS`` cuts found here."""
    lo, hi = run
    for a, b in jumps:
        lo, hi = _cut(xs, lo, hi, a, b)
    for _ in range(CUTS + 1):
        if hi - lo < LOCAL_MIN_RUN:
            return 0, 0
        jump = ode_jump_between(task, equation, candidate, c, xs[lo:hi])
        if jump is None:
            return lo, hi
        jumps.append(jump[:2])
        lo, hi = _cut(xs, lo, hi, *jump[:2])
    return 0, 0


def _cut(xs: np.ndarray, lo: int, hi: int, a: float, b: float) -> tuple[int, int]:
    """The longer of the parts of [lo, hi) left of a and right of b (sorted ``xs``)."""
    left = min(hi, max(lo, int(np.searchsorted(xs, a, side="right"))))  # xs[lo:left] <= a
    right = max(lo, min(hi, int(np.searchsorted(xs, b, side="left"))))  # xs[right:hi] >= b
    if left >= hi or right <= lo:  # [a, b] outside the run
        return lo, hi
    return max((lo, left), (right, hi), key=lambda r: r[1] - r[0])


def solves_at(residual: sp.Expr, candidate: sp.Expr, env: dict) -> np.ndarray:
    """Where, at the points of ``env``, the residual vanishes in double precision (against its
    terms' size) and y is real and finite."""
    with np.errstate(all="ignore"):
        r, scale = evaluate(residual, env)
        y = evaluate(candidate, env)[0]
        return np.isfinite(r) & np.isfinite(scale) & real_finite(y) \
            & (np.abs(r) <= 1e-8 * (1.0 + np.maximum(scale, np.abs(r))))


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    """[lo, hi) of the longest run of True in ``mask`` ((0, 0) if none)."""
    return max(runs(mask, 1), key=lambda r: r[1] - r[0], default=(0, 0))
