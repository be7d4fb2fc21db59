"""The particular solutions of an IVP's general solution (``symseq.solve.ivp``): the values of
its constants that meet the conditions (``constants_job``), whether a particular solution meets
them exactly (``met_job``), and whether a constant y = y0 solves the equation
(``constant_solves_job``).  Each runs in a sandbox, called by ``solve_ivp``."""

from __future__ import annotations

import sympy as sp

from generators.symbols import C1, C2, F0, X

ZERO_DIGITS = 30  # a condition's gap is 0 below 10**(5 - ZERO_DIGITS) at this precision, then simplified


def constants_job(args) -> list[tuple[sp.Expr, bool]]:
    """The particular solutions of the general solution that meet the conditions' equations,
    each with whether it must be held to the local standard: (G with real constants, False);
    (G with complex constants, True) when it simplifies to an expression free of I (-1/tanh(c1 +
    x**2/2) meets y(0) = 0 at c1 = I*pi/2: -tanh(x**2/2)); and with one constant and neither, its
    finite limits as c1 -> +-oo ((c1 + log(x))/(c1 - 1) -> 1: the solution the family misses)."""
    general, conditions = args
    unknowns = [c for c in (C1, C2) if general.has(c)]
    equations = [sp.diff(general, X, c.order).subs(X, c.point) - c.value for c in conditions]
    if not unknowns:
        return [(general, False)]
    found: list[tuple[sp.Expr, bool]] = []
    real = _solve(equations, unknowns)  # the real constants first (Abs(c1) and sign(c1) need them)
    for sol in real:
        values = {k: v for k, v in sol.items() if k in unknowns}
        if not any(v.free_symbols - set(unknowns) or v.has(sp.I) or not _real_number(v) for v in values.values()):
            found.append((general.xreplace(values), False))
    if not found:  # complex constants that give a real particular solution
        free = {c: sp.Dummy(c.name) for c in unknowns}
        back = {d: c for c, d in free.items()}
        for sol in _solve([e.xreplace(free) for e in equations], list(free.values())):
            values = {back[k]: v.xreplace(back) for k, v in sol.items() if k in back}
            if any(v.free_symbols for v in values.values()):
                continue
            try:
                real_form = sp.simplify(general.xreplace(values))
            except Exception:  # noqa: BLE001 -- SymPy failing on one value: the others stay
                continue
            if not real_form.has(sp.I) and not real_form.free_symbols - {X}:
                found.append((real_form, True))
    if not found and unknowns == [C1]:
        for end in (sp.oo, -sp.oo):
            try:
                limit = sp.limit(general, C1, end)
            except Exception:  # noqa: BLE001 -- no limit: nothing to add
                continue
            if not limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.I, sp.Limit, sp.AccumBounds) \
                    and not limit.free_symbols - {X}:
                found.append((limit, True))
    return found


def constant_solves_job(args) -> bool:
    """Whether y = the constant ``value`` solves the equation: it is defined at (``point``,
    ``value``) and the residual simplifies to 0 (y = -1 for y' = -(y + 1)**2*g(x), the
    equilibrium no value of c1 reaches)."""
    from generators.tasks import residual_of

    kind, equation, value, point = args
    # the equation must be defined at (x0, y0): (y - 1)/x at x0 = 0 simplifies to 0 for y = 1,
    # yet every y = 1 + c*x meets y(0) = 1 there (found by a review)
    Y = sp.Dummy("y")
    at = equation.subs({sp.Derivative(F0, (X, 2)): 0}).subs({sp.Derivative(F0, X): 0}).xreplace({F0: Y})
    at = at.xreplace({X: point, Y: value})
    if at.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I) or not sp.simplify(at).is_zero:
        return False
    return sp.simplify(residual_of(kind, equation, value)) == 0


def met_job(args) -> list[bool]:
    """Whether the particular solution meets each condition exactly: its gap y(x0) - y0 (or
    y'(x0) - y1) is 0 at ``ZERO_DIGITS`` digits and simplifies to 0."""
    particular, conditions = args
    met = []
    for c in conditions:
        gap = sp.diff(particular, X, c.order).subs(X, c.point) - c.value
        if gap.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            met.append(False)
            continue
        number = complex(sp.N(gap, ZERO_DIGITS))
        met.append(abs(number) < 10.0 ** (5 - ZERO_DIGITS) and sp.simplify(gap) == 0)
    return met


def _real_number(v: sp.Expr) -> bool:
    """Whether a constant's value is real at ``ZERO_DIGITS`` digits ((-2)**(1/3) is not, though
    it holds no I); a value still holding the other constant is judged where it is used."""
    if v.free_symbols:
        return True
    number = complex(sp.N(v, ZERO_DIGITS))
    return abs(number.imag) <= 1e-20 * (1 + abs(number.real))


def _solve(equations: list[sp.Expr], unknowns: list[sp.Symbol]) -> list[dict]:
    """SymPy's solutions for the constants, [] when it cannot solve."""
    try:
        return sp.solve(equations, unknowns, dict=True)
    except Exception:  # noqa: BLE001 -- SymPy failing: no constants from this general solution
        return []
