"""Explicit solutions from a verified implicit one: y isolated from ``H(x, y) = c1``.

An engine that integrates a separable or exact equation often stops at the relation (SymPy's
``dsolve`` gives ``-x**2/2 - log(y) + log(y + 1) = c1`` for ``y' + x*(y**2 + y) = 0``), while
the relation can be solved for y.  ``explicit_forms`` tries: with logarithms in H, the relation
exponentiated, its log terms first scaled to integer coefficients (``(y + 1)/y = c1*exp(x**2/2)``,
c1 a new constant), then H = c1 itself; SymPy's ``solve`` for y on each, in that order, until one
gives solutions no larger than about twice the relation.  When the race refuses every one of them
as wrong, it tries each with c1 -> c1**2 and c1 -> -c1**2 (``one_sign_forms``: a family that
solves the equation for constants of one sign only).  They are candidates only: the race
verifies each against the ODE like any engine's answer, so a branch that is wrong (or valid only
on an interval) is caught there.
"""

from __future__ import annotations

from functools import reduce

import sympy as sp

from generators.symbols import C1
from symseq.solve.implicit import Y, is_implicit, relation

MAX_CANDIDATES = 4
# a solution much larger than the relation (Cardano's or Ferrari's formulas for a cubic or quartic
# in y) is no clearer than the relation, and slow to verify: not proposed
MAX_GROWTH, MAX_EXTRA_OPS = 2, 10
# a form with c1 of one sign: y = sqrt(1 - 2*c1*x)/c1 solves y*y' + x = sqrt(x**2 + y**2)
# (on x > 1/(2*c1)) only for c1 < 0, and the verifier draws constants of both signs
ONE_SIGN = (C1 ** 2, -C1 ** 2)


def explicit_forms(answer: str) -> list[str]:
    """The explicit solutions y = g(x, c1) of an ``implicit: H`` answer (module docstring), as
    texts; [] when y cannot be isolated."""
    return [sp.sstr(_tidy(g)) for g in _isolated(answer)]


def one_sign_forms(answer: str) -> list[str]:
    """Each explicit form with c1 -> c1**2 and with c1 -> -c1**2 (``ONE_SIGN``), those still free
    of I, nan and zoo."""
    return _one_sign(_isolated(answer))


def _isolated(answer: str) -> list[sp.Expr]:
    if not is_implicit(answer):
        return []
    H = relation(answer)
    for form in _relations(H):
        try:
            found = sp.solve(form - C1, Y, check=False, simplify=False)
        except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
            continue
        kept = [g for g in found if not g.has(Y, sp.I, sp.RootOf, sp.nan, sp.zoo) and g.has(C1)
                and sp.count_ops(g) <= MAX_GROWTH * sp.count_ops(H) + MAX_EXTRA_OPS]
        if kept:
            return kept[:MAX_CANDIDATES]
    return []


def _one_sign(isolated: list[sp.Expr]) -> list[str]:
    variants = (_tidy(g.subs(C1, c)) for c in ONE_SIGN for g in isolated)
    return [sp.sstr(v) for v in variants if not v.has(sp.I, sp.nan, sp.zoo)]


def _tidy(g: sp.Expr) -> sp.Expr:
    """g over one denominator when that is shorter."""
    together = sp.together(g)
    return together if sp.count_ops(together) < sp.count_ops(g) else g


def _relations(H: sp.Expr):
    """Equivalent relations ``form = c1`` to try, best first."""
    if H.has(sp.log):
        expanded = sp.expand_log(H, force=True)
        scale = _log_scale(expanded)
        yield sp.powsimp(sp.exp(sp.expand(expanded / scale)), force=True)
    yield H


def _log_scale(H: sp.Expr) -> sp.Rational:
    """The rational g such that H/g has integer coefficients on its log terms (1 when a
    coefficient is not rational)."""
    coefficients = []
    for term in sp.Add.make_args(H):
        if term.has(sp.log):
            c, _ = term.as_coeff_Mul()
            if not c.is_Rational:
                return sp.Integer(1)
            coefficients.append(abs(c))
    if not coefficients:
        return sp.Integer(1)
    numerators = reduce(sp.igcd, [c.p for c in coefficients])
    denominators = reduce(sp.ilcm, [c.q for c in coefficients])
    return sp.Rational(numerators, denominators)


def explicit_forms_call(answer: str) -> tuple[list[str], list[str]] | None:
    """``explicit_forms`` and their ``one_sign_forms`` as a sandboxed race job: None when there is
    nothing to propose."""
    isolated = _isolated(answer)
    return ([sp.sstr(_tidy(g)) for g in isolated], _one_sign(isolated)) if isolated else None
