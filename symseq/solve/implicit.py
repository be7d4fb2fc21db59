"""Implicit solutions of first-order ODEs: ``H(x, y) = c1`` when y cannot be isolated.

An engine that finds a solution only as a relation between x and y (SymPy's ``dsolve``:
``Eq(y**5/5 + y - x**3/3 - x, C1)``; Maxima's ``ode2``: ``x^2*y + x + y^3 = %c``) hands it over
as the text ``implicit: H``, H a SymPy expression in x and y with the constant solved out
(``implicit_text``).  ``check_implicit`` verifies it: H must depend on y (and be free of I,
floats and non-smooth functions), and with y' = -H_x/H_y (the slope along a level curve of H)
the ODE's left side must vanish identically in (x, y): screened numerically at 30 digits at
``MIN_POINTS`` to ``ENOUGH_POINTS`` random points of the plane where everything is real and finite (WRONG at
the first point where it clearly does not vanish), then verified only when that residual
simplifies to 0 (an adversarial review found relations wrong by 1e-22, or in a band 1e-10
wide, that any numeric screen passes).  Then every level curve ``H(x, y) = c1``,
where H_y != 0, is a solution (the implicit function theorem).  An implicit solution is shown as
such and counted on its own, never as solved: the race keeps looking for an explicit answer.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import C1, F0, X
from symseq.domain import Verdict
from symseq.lang.parse import InputError, parse_answer

PREFIX = "implicit: "
# functions whose level sets need not be curves of solutions (jumps, kinks, real parts)
# (acot jumps at 0 and atan2 across the negative axis where both are defined, while the derivative
# SymPy gives them is continuous: a second review's finding)
NOT_SMOOTH = (sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min, sp.floor, sp.ceiling, sp.frac,
              sp.re, sp.im, sp.arg, sp.conjugate, sp.DiracDelta, sp.acot, sp.atan2, sp.Mod)
Y = sp.Symbol("y")  # the unknown function's value, as the relation is written
MIN_POINTS = 12  # real, finite sample points needed for a numeric verdict
ENOUGH_POINTS = 2 * MIN_POINTS  # the screen stops at this many agreeing points
SAMPLES = 80
CLOSE, FAR = 1e-20, 1e-8  # |residual| relative to its terms' size: zero below CLOSE, wrong above FAR
DIGITS = 30


def is_implicit(answer: str) -> bool:
    return isinstance(answer, str) and answer.startswith(PREFIX)


def implicit_text(relation: sp.Expr, constant: sp.Symbol = C1) -> str | None:
    """``implicit: H`` for a relation (an ``Eq`` or an expression = 0) in x, y (or f(x)) and
    ``constant``, solved for the constant (``constant = H(x, y)``); None when it cannot be."""
    expr = relation.lhs - relation.rhs if isinstance(relation, sp.Eq) else relation
    expr = expr.xreplace({F0: Y})
    if not expr.has(constant) or not expr.has(Y) or expr.has(sp.Derivative):
        return None
    try:
        found = sp.solve(expr, constant)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if len(found) != 1 or found[0].has(constant) or not found[0].has(Y):
        return None
    return PREFIX + sp.sstr(found[0])


def relation(answer: str) -> sp.Expr:
    """H of an ``implicit: H`` text, read like any engine answer (``InputError`` if it cannot be)."""
    return parse_answer(answer[len(PREFIX):], {"x": X, "y": Y})


def shown(H: sp.Expr) -> str:
    return f"{sp.sstr(H)} = c1"


def check_implicit(question: sp.Expr, answer: str, prove: bool = True) -> tuple[Verdict, str, str]:
    """(verdict, the relation as shown, why) for an ``implicit: H`` answer to the first-order ODE
    ``question`` = 0 (in f(x)).  The numeric screen (``prove=False``: IMPLICIT means "passed the
    screen", never "verified") refuses relations wrong at some point; IMPLICIT with ``prove``
    means verified: the residual simplifies to 0.  A numeric agreement alone is never enough
    (a wrong term of 1e-22 or a band 1e-10 wide would pass it).  Runs in a sandbox: the race
    runs the two stages as separate capped calls (``check_implicit_call``, ``prove_implicit_call``)."""
    try:
        H, terms = _residual_terms(question, answer)
        verdict, detail = _numeric(sp.Add(*terms), terms, sp.diff(H, Y), H)
        text = shown(H)
    except ValueError as err:
        return Verdict.INVALID, answer if not err.args[1:] else err.args[1], err.args[0]
    except Exception as err:  # noqa: BLE001 -- SymPy failing on an odd relation: not verified
        return Verdict.INVALID, answer, f"{type(err).__name__}: {err}"
    if verdict is Verdict.IMPLICIT and prove:
        return unproved(text, detail) if not _vanishes(terms) else (Verdict.IMPLICIT, text, "proved symbolically")
    return verdict, text, detail


def unproved(shown_relation: str, detail: str) -> tuple[Verdict, str, str]:
    """The verdict of a relation that passed the numeric screen but was not proved: not shown."""
    return Verdict.INVALID, shown_relation, f"{detail} but not proved symbolically: not shown"


def prove_implicit(question: sp.Expr, answer: str) -> bool:
    """Whether the residual of a relation (already checked numerically) simplifies to 0."""
    try:
        return _vanishes(_residual_terms(question, answer)[1])
    except Exception:  # noqa: BLE001 -- unreadable: not proved
        return False


def _vanishes(terms: list[sp.Expr]) -> bool:
    """Whether the residual made of ``terms`` simplifies to 0."""
    try:
        return sp.simplify(sp.together(sp.Add(*terms))) == 0
    except Exception:  # noqa: BLE001 -- SymPy failing to simplify: not proved
        return False


def _residual_terms(question: sp.Expr, answer: str) -> tuple[sp.Expr, list[sp.Expr]]:
    """H, and the terms of the equation with y' = -H_x/H_y and y as a symbol; ValueError(why,
    shown) when the answer is no relation in x and y or the equation is not of first order."""
    try:
        H = relation(answer)
    except InputError as err:
        raise ValueError(str(err)) from None
    if not H.has(Y) or H.free_symbols - {X, Y}:
        raise ValueError("not a relation between x and y alone", shown(H))
    if not _checkable(H):
        raise ValueError("a relation with I, floats, non-real constants or non-smooth functions is not checked",
                         shown(H))
    if question.has(sp.Integral):
        raise ValueError("not a differential equation in f(x) alone", shown(H))
    Hx, Hy = sp.diff(H, X), sp.diff(H, Y)
    if Hy == 0:
        raise ValueError("does not depend on y", shown(H))
    # products multiplied out, so that the terms give the residual's scale (the numeric screen)
    terms = [t.subs(sp.Derivative(F0, X), -Hx / Hy).xreplace({F0: Y})
             for t in sp.Add.make_args(sp.expand_mul(question))]
    if any(t.has(sp.Derivative, sp.Function("f")) for t in terms):
        raise ValueError("not a first-order equation in f(x)", shown(H))
    return H, terms


def _checkable(H: sp.Expr) -> bool:
    """No I, floats, constants that are not real ((-1)**(1/3)) or functions that jump or kink."""
    return not (H.has(sp.I, sp.Float) or H.atoms(*NOT_SMOOTH)
                or any(e.is_number and e.is_real is False for e in sp.preorder_traversal(H)))


def check_implicit_call(args: tuple[sp.Expr, str]) -> tuple[Verdict, str, str]:
    """The numeric check (``check_implicit`` without the proof) as a sandboxed call."""
    return check_implicit(*args, prove=False)


def prove_implicit_call(args: tuple[sp.Expr, str]) -> bool:
    """``prove_implicit`` as a sandboxed call."""
    return prove_implicit(*args)


def _numeric(residual: sp.Expr, terms: list[sp.Expr], Hy: sp.Expr, H: sp.Expr) -> tuple[Verdict, str]:
    """IMPLICIT when the residual vanishes at MIN_POINTS or more points where H is real, WRONG
    at the first point where it clearly does not, else INVALID (too few points where all is real)."""
    rng = np.random.default_rng(0)
    good = 0
    for xv, yv in rng.uniform(-3, 3, size=(SAMPLES, 2)):
        at = {X: sp.Float(xv, DIGITS), Y: sp.Float(yv, DIGITS)}
        values = [_real(e, at) for e in (H, residual, Hy, *terms)]
        if any(v is None for v in values) or values[2] == 0:
            continue
        r, scale = abs(values[1]), sum(abs(v) for v in values[3:])
        if r > FAR * max(scale, 1.0):  # an absolute floor: one product term is its own scale
            return Verdict.WRONG, f"the equation fails at x = {xv:.6g}, y = {yv:.6g} (residual {float(r):.3g})"
        if r <= CLOSE * max(scale, 1e-300):
            good += 1
            if good >= ENOUGH_POINTS:  # a screen only: the proof decides
                break
    if good < MIN_POINTS:
        return Verdict.INVALID, f"checked at {good} points only (too few where it is real)"
    return Verdict.IMPLICIT, f"agreed numerically at {good} points"


def _real(e: sp.Expr, at: dict) -> sp.Float | None:
    """``e`` at the point with DIGITS digits, if real and finite."""
    try:
        v = e.evalf(DIGITS, subs=at)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    if not v.is_number or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    re, im = v.as_real_imag()
    if not (re.is_Float or re.is_Integer or re == 0) or abs(im) > 1e-25 * (1 + abs(re)):
        return None
    return sp.Float(re, DIGITS)


def curve_through(shown_relation: str, point: sp.Expr, value: sp.Expr) -> str | None:
    """The level curve of a verified implicit solution ``H = c1`` through y(x0) = y0 (an
    initial value problem): ``H = H(x0, y0)``, when H, H_x and H_y are real and finite there, H
    real around it and H_y nonzero (the curve then defines a differentiable y near x0, on both
    sides: the implicit function theorem), else None."""
    try:
        H = relation(PREFIX + shown_relation.rsplit(" = c1", 1)[0])
        if not _checkable(H):
            return None
        at = {X: point, Y: value}
        c = sp.simplify(H.subs(at))
        Hx, Hy = sp.diff(H, X), sp.diff(H, Y)
        values = [_real(e, at) for e in (c, Hx, Hy)]
        if any(v is None for v in values) or abs(values[2]) < 1e-20 or c.has(sp.I) \
                or not _both_sides(H, Hy, at, values[0]):
            return None  # H, H_x, H_y real and finite at the point, H_y != 0, the curve met on both sides
        return f"{sp.sstr(H)} = {sp.sstr(c)}"
    except Exception:  # noqa: BLE001 -- an unreadable or odd relation: no curve
        return None


def _both_sides(H: sp.Expr, Hy: sp.Expr, at: dict, c: sp.Float, dx: float = 1e-6) -> bool:
    """Whether the curve H = c is met at x0 +- dx close to y0: one Newton step from y0 moves y
    by at most 1e-3 and leaves H within 1e-9 of c (a jump in H across x0 fails it)."""
    for x in (at[X] + dx, at[X] - dx):
        h, hy = _real(H, {X: x, Y: at[Y]}), _real(Hy, {X: x, Y: at[Y]})
        if h is None or hy is None or hy == 0:
            return False
        step = -(h - c) / hy
        after = _real(H, {X: x, Y: at[Y] + step})
        if abs(step) > 1e-3 or after is None or abs(after - c) > 1e-9:
            return False
    return True


def curve_through_call(args: tuple[str, sp.Expr, sp.Expr]) -> str | None:
    """``curve_through(*args)`` as a sandboxed call."""
    return curve_through(*args)
