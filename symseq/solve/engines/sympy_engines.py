"""SymPy as engines: its default ``integrate`` / ``dsolve``, and its integration algorithms one by one.

Each function runs inside a sandboxed child and returns the answer as ``sstr`` text (the solver
never unpickles or prints an expression SymPy built), a list of them (an ODE's solution
branches), or None when the algorithm has no answer.
"""

from __future__ import annotations

import sympy as sp

from generators.symbols import C1, C2, F0, X


def _text(result: sp.Expr | None) -> str | None:
    if result is None or result.has(sp.Integral):
        return None
    # exp_polar (SymPy's bookkeeping of a branch, in special-function answers) is a plain number
    return sp.sstr(sp.unpolarify(result) if result.has(sp.exp_polar) else result)


def default(kind: str, question: sp.Expr, seconds: float) -> str | list[str] | None:
    if kind == "integrate":
        return _text(sp.integrate(question, X))
    explicit, implicit = dsolve_solutions(question)
    explicit = [e for e in explicit if not e.has(sp.Integral)]
    if not explicit and not implicit and kind == "ode2":
        explicit = _bessel_rescaled(question)
    return [sp.sstr(e) for e in explicit] + implicit or None


def _bessel_rescaled(question: sp.Expr) -> list[sp.Expr]:
    """SymPy's Bessel method for an equation it matches only once multiplied by x or x**2: its
    pattern is x**2*y'' + a*x*y' + (b*x**c + d)*y, so y'' + x**2*y = 0 (Bessel functions of order
    1/4 of x**2/2) gets a power series from the plain ``dsolve``.  [] when neither matches."""
    for k in (1, 2):
        scaled = sp.expand(X ** k * question)
        if "2nd_linear_bessel" in sp.classify_ode(scaled, F0):
            return [_modified(e) for e in dsolve_explicit(scaled, "2nd_linear_bessel")]
    return []


def _modified(answer: sp.Expr) -> sp.Expr:
    """J and Y of an imaginary argument I*z (y'' - x**2*y = 0) as the real basis I and K of z: the
    modified Bessel equation's solutions (the verifier checks the result like any answer)."""
    def real_basis(e: sp.Expr) -> sp.Expr:
        z = sp.cancel(e.args[1] / sp.I)
        if z.has(sp.I):
            return e
        return (sp.besseli if isinstance(e, sp.besselj) else sp.besselk)(e.args[0], z)
    return answer.replace(lambda e: isinstance(e, (sp.besselj, sp.bessely)) and e.args[1].has(sp.I), real_basis)


def dsolve_explicit(equation: sp.Expr, hint: str = "default") -> list[sp.Expr]:
    """dsolve's explicit solutions (see ``dsolve_solutions``)."""
    return dsolve_solutions(equation, hint, implicit=False)[0]


def dsolve_solutions(equation: sp.Expr, hint: str = "default",
                     implicit: bool = True) -> tuple[list[sp.Expr], list[str]]:
    """dsolve's explicit solutions (by its method ``hint``), with its constants renamed c1, c2; an
    implicit one (``asin(y) = C1 - x``) is solved for y where SymPy can (each branch is an answer;
    real ones first, so that a real branch is proved and shown before a complex one); and, for a
    first-order equation and with ``implicit``, the implicit ones it cannot solve for y, as
    ``implicit: H`` texts (``symseq.solve.implicit``).  A power series (``O(x**6)``, SymPy's
    answer where it has no closed form) is no solution and is left out."""
    from symseq.solve.implicit import implicit_text

    found = sp.dsolve(equation, F0, hint=hint)
    rename = {sp.Symbol("C1"): C1, sp.Symbol("C2"): C2}
    out, relations = [], []
    for sol in found if isinstance(found, list) else [found]:
        if not isinstance(sol, sp.Eq) or sol.has(sp.Order):
            continue
        if sol.lhs == F0 and not sol.rhs.has(F0):
            out.append(sol.rhs)
            continue
        try:
            branches = [r for r in sp.solve(sol, F0) if not r.has(F0)]
        except Exception:  # noqa: BLE001 -- SymPy cannot solve it for y: the other branches stay
            branches = []
        out.extend(branches)
        if implicit and not branches and not sol.has(sp.Integral) and sp.ode_order(equation, F0) == 1:
            text = implicit_text(sol.subs(rename), C1)
            if text is not None:
                relations.append(text)
    return sorted((e.subs(rename) for e in out), key=lambda e: e.has(sp.I)), relations


def manual(kind: str, question: sp.Expr, seconds: float) -> str | None:
    from sympy.integrals.manualintegrate import manualintegrate

    return _text(manualintegrate(question, X))


def risch(kind: str, question: sp.Expr, seconds: float) -> str | None:
    from sympy.integrals.risch import NonElementaryIntegral, risch_integrate

    try:
        result = risch_integrate(question, X)
    except NotImplementedError:  # outside the exp-log fields the implementation covers
        return None
    return None if result.has(NonElementaryIntegral) else _text(result)


def heurisch(kind: str, question: sp.Expr, seconds: float) -> str | None:
    from sympy.integrals.heurisch import heurisch as _heurisch

    return _text(_heurisch(question, X))


def meijerint(kind: str, question: sp.Expr, seconds: float) -> str | None:
    from sympy.integrals.meijerint import meijerint_indefinite

    return _text(meijerint_indefinite(question, X))
