"""Checks of an IVP's particular solution that does not come from a general solution verified on
the whole line (``symseq.solve.ivp``): where around the conditions' points it solves the
equation (``local_job``), where a rational answer exists (``existence_job``), the real form
of a general solution that is complex where a condition is (``real_form``), and the other
branches of its square roots (``other_roots``)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import C1, C2, X

LOCAL_REACH, LOCAL_STEP, LOCAL_MIN_RUN, LOCAL_CONFIRM = 10.0, 0.01, 30, 3


def real_form(G: sp.Expr) -> sp.Expr:
    """``G`` with log(u) as log(Abs(u)) and odd roots u**(p/q) as real roots: the same function
    where u > 0, and a real one where u < 0 (where G is complex)."""
    G = G.replace(lambda e: isinstance(e, sp.log) and e.args[0].has(X), lambda e: sp.log(sp.Abs(e.args[0])))

    def odd_root(e: sp.Expr) -> bool:
        return e.is_Pow and e.base.has(X) and e.exp.is_Rational and not e.exp.is_integer and e.exp.q % 2 == 1

    def real_root(e: sp.Pow) -> sp.Expr:
        magnitude = sp.Abs(e.base) ** e.exp
        return magnitude if e.exp.p % 2 == 0 else sp.sign(e.base) * magnitude
    return G.replace(odd_root, real_root)


def other_roots(G: sp.Expr) -> list[sp.Expr]:
    """G with one of its square roots that hold a constant negated, for each such root: the
    other branch of a solved quadratic (y = -x**3*sqrt(c1 + x**4) beside y = +x**3*sqrt(...)),
    which an engine that gives one branch leaves out."""
    roots = [e for e in sp.preorder_traversal(G) if e.is_Pow and e.exp == sp.Rational(1, 2) and e.has(C1, C2)]
    return [G.xreplace({r: -r}) for r in dict.fromkeys(roots)][:2]


def local_job(args) -> str | None:
    """Where, around the points of the conditions, the particular solution solves the equation
    (the module docstring): "a < x < b", or None."""
    from generators.tasks import residual_of
    from symseq.numerics.continuity import ode_jump, without_deltas
    from symseq.numerics.precise import Zero, judge_zero
    from symseq.solve.intervals import runs
    from symseq.solve.ode_intervals import solves_at

    kind, equation, particular, points = args
    # log(Abs(x)) of a real form differentiates to sign(x) and DiracDelta(x), 0 at every grid point
    residual = without_deltas(residual_of(kind, equation, particular))
    lo_all, hi_all = -np.inf, np.inf
    n = int(LOCAL_REACH / LOCAL_STEP)
    for x0 in points:
        xs = x0 + LOCAL_STEP * np.arange(-n, n + 1)
        zero = solves_at(residual, particular, {X: xs.astype(np.complex128)})
        around = [(a, b) for a, b in runs(zero, LOCAL_MIN_RUN) if a < n < b - 1]
        if not around:
            return None
        a, b = around[0]
        for i in np.linspace(a + 1, b - 2, LOCAL_CONFIRM).round().astype(int):
            if judge_zero(residual, {X: float(xs[i])}, levels=5)[0] is not Zero.ZERO:
                return None
        if ode_jump(kind, equation, particular, (0.0, 0.0), xs[a:b]):
            return None
        around_x0 = _continuous_around(particular, x0, float(xs[a]), float(xs[b - 1]))
        if around_x0 is None:
            return None
        lo_all, hi_all = max(lo_all, around_x0[0]), min(hi_all, around_x0[1])
    if not all(lo_all < x0 < hi_all for x0 in points):
        return None
    return f"{_inward(lo_all, 1)} < x < {_inward(hi_all, -1)}"


def _continuous_around(y: sp.Expr, x0: float, lo: float, hi: float) -> tuple[float, float] | None:
    """The part of [lo, hi] around x0 where y and y' are continuous, found exactly (SymPy's
    ``continuous_domain``: a pole or a log's zero between two grid points is not stepped over;
    a review found tan(x) claimed on -10 < x < 10), else by interval arithmetic
    (``finite_around``); None when that cannot be decided."""
    from sympy.calculus.util import continuous_domain

    from symseq.numerics.continuity import without_deltas
    from symseq.numerics.interval_bounds import finite_around

    for e in (y, without_deltas(sp.diff(y, X))):
        e = e.replace(lambda n: isinstance(n, sp.sign), lambda n: n.args[0] / sp.Abs(n.args[0]))
        try:
            domain = continuous_domain(e, X, sp.Interval(lo, hi))
        except (NotImplementedError, ValueError, TypeError):  # inequalities SymPy cannot solve
            shown = finite_around([e], X, x0, lo, hi)
            if shown is None:
                return None
            lo, hi = shown
            continue
        parts = domain.args if isinstance(domain, sp.Union) else (domain,)
        part = next((p for p in parts if isinstance(p, sp.Interval) and p.contains(sp.Float(x0))), None)
        if part is None:
            return None
        lo, hi = max(lo, float(part.start)), min(hi, float(part.end))
    return lo, hi


def _inward(bound: float, direction: int) -> str:
    """A bound written with 4 significant digits, rounded towards the inside of the interval."""
    text = f"{bound:.4g}"
    step = 10.0 ** (np.floor(np.log10(abs(bound))) - 3) if bound else 1e-4
    return text if (float(text) - bound) * direction >= 0 else f"{bound + direction * step:.4g}"


def existence_job(args) -> str | None:
    """The interval between the points nearest the conditions' points where the solution may
    stop ("x < 1", "-pi/2 < x < pi/2"; "" when there is none): for a rational answer its real
    poles, found exactly (a pole between the points: None, no solution runs through them all);
    for another, where its formula stops (zeros of a denominator, a radicand, a log's argument,
    asin's u -+ 1, ...: ``nearest_singular``; "" when they cannot be listed exactly or one lies
    between the points: not looked into further, the answer is shown without an interval); for
    both, where the equation itself is undefined (y' = y/x + ...: not across 0)."""
    from symseq.numerics.continuity import equation_in_x
    from symseq.numerics.exact_singularities import nearest_singular

    particular, points, equation = args
    lo_p, hi_p = float(min(points)), float(max(points))
    rational = particular.is_rational_function(X)
    poles = sp.real_roots(sp.Poly(sp.denom(sp.cancel(particular)), X)) if rational else []
    if any(lo_p <= r <= hi_p for r in poles):
        return None
    ends = nearest_singular(sp.Tuple(sp.cancel(particular) if rational else particular, equation_in_x(equation)),
                            lo_p, hi_p)
    if ends is None and rational:  # the equation's points not listed: the poles alone, as before
        ends = (max((r for r in poles if r < lo_p), default=None), min((r for r in poles if r > hi_p), default=None))
    if ends is None or ends == (None, None):
        return ""
    return " < ".join([*([sp.sstr(ends[0])] if ends[0] is not None else []), "x",
                       *([sp.sstr(ends[1])] if ends[1] is not None else [])])
