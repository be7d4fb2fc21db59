"""The particular solutions of an IVP's general solution (``symseq.solve.ivp``): the values of
its constants that meet the conditions (``constants_job``), whether a particular solution meets
them exactly (``met_job``), and whether a constant y = y0 solves the equation
(``constant_solves_job``).  Each runs in a sandbox, called by ``solve_ivp``."""

from __future__ import annotations

import sympy as sp

from generators.symbols import C1, C2, X

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
    free = {c: sp.Dummy(c.name) for c in unknowns}  # no assumptions: complex values are found too
    back = {d: c for c, d in free.items()}
    for sol in sp.solve([e.xreplace(free) for e in equations], list(free.values()), dict=True):
        values = {back[k]: v.xreplace(back) for k, v in sol.items() if k in back}
        if any(v.free_symbols - set(unknowns) for v in values.values()):
            continue
        numbers = [complex(sp.N(v, ZERO_DIGITS)) for v in values.values() if not v.free_symbols]
        if all(abs(n.imag) <= 1e-20 * (1 + abs(n.real)) for n in numbers):
            found.append((general.xreplace(values), False))
        elif not (real := sp.simplify(general.xreplace(values))).has(sp.I) and not real.free_symbols - {X}:
            found.append((real, True))
    if not found and unknowns == [C1]:
        for end in (sp.oo, -sp.oo):
            limit = sp.limit(general, C1, end)
            if not limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.I, sp.Limit) and not limit.free_symbols - {X}:
                found.append((limit, True))
    return found


def constant_solves_job(args) -> bool:
    """Whether y = the constant ``value`` solves the equation: its residual simplifies to 0
    (y = -1 for y' = -(y + 1)**2*g(x), the equilibrium no value of c1 reaches)."""
    from generators.tasks import residual_of

    kind, equation, value = args
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
