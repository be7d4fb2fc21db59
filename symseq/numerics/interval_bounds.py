"""Where an elementary function of x is finite and real, shown by interval arithmetic (mpmath's
``iv``): evaluated on a whole piece [a, b] at once, a finite real enclosure means no pole, no log
or root of a non-positive number and no jump anywhere in the piece, between grid points
included.  The fallback of ``ivp_local._continuous_around`` where SymPy's ``continuous_domain``
cannot solve the inequalities (sqrt(exp(x) - x): exp(x) - x >= 0).

Only exp, log, sin, cos, tan, Abs, powers, sums, products and exact constants are evaluated;
anything else is "not shown" (``None``), never assumed continuous."""

from __future__ import annotations

import sympy as sp
from mpmath import iv

PIECES, DEPTH = 200, 10  # pieces per side, bisections of the piece where a walk stops
MAX_ARGUMENT = 1e4  # larger arguments of exp, sin, cos, tan are not evaluated ("not shown")


class _Unsupported(Exception):
    pass


_FUNCTIONS = {sp.exp: iv.exp, sp.log: iv.log, sp.sin: iv.sin, sp.cos: iv.cos, sp.tan: iv.tan}


def _enclose(e: sp.Expr, x: sp.Symbol, piece):
    """An interval holding every value of e on ``piece``; raises where e (or any part of it: sin of
    an unbounded 1/x is enclosed in [-1, 1]) is complex, undefined or unbounded there."""
    value = _enclose_once(e, x, piece)
    if not isinstance(value, iv.mpf) or not (abs(value.a) < iv.inf and abs(value.b) < iv.inf):
        raise ArithmeticError("not a finite real enclosure")
    return value


def _enclose_once(e: sp.Expr, x: sp.Symbol, piece):
    if e == x:
        return piece
    if e.is_Rational:
        return iv.mpf(e.p) / e.q
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if e.is_Add or e.is_Mul:
        parts = [_enclose(a, x, piece) for a in e.args]
        total = parts[0]
        for p in parts[1:]:
            total = total + p if e.is_Add else total * p
        return total
    if e.is_Pow:
        base = _enclose(e.base, x, piece)
        if e.exp.is_Integer:
            return base ** int(e.exp) if e.exp >= 0 else 1 / base ** int(-e.exp)
        if e.exp == sp.Rational(1, 2):
            return iv.sqrt(base)
        return iv.exp(_enclose(e.exp, x, piece) * iv.log(base))
    if isinstance(e, sp.Abs):
        return abs(_enclose(e.args[0], x, piece))
    if type(e) in _FUNCTIONS:
        argument = _enclose(e.args[0], x, piece)
        if type(e) is not sp.log and max(abs(argument.a), abs(argument.b)) > MAX_ARGUMENT:
            raise _Unsupported("argument too large")  # exp(exp(exp(exp(x)))): not worth the time
        return _FUNCTIONS[type(e)](argument)
    raise _Unsupported(type(e).__name__)


def finite_on(exprs: list[sp.Expr], x: sp.Symbol, a: float, b: float) -> bool | None:
    """Whether every expression is finite and real on all of [a, b] (None: one is not supported)."""
    piece = iv.mpf([a, b])
    for e in exprs:
        try:
            _enclose(e, x, piece)
        except _Unsupported:
            return None
        except (ValueError, ZeroDivisionError, ArithmeticError):
            return False
    return True


def finite_around(exprs: list[sp.Expr], x: sp.Symbol, x0: float, lo: float, hi: float) -> tuple[float, float] | None:
    """The widest [L, H] within [lo, hi], L < x0 < H, found by walking out from x0 in pieces of
    (hi - lo) / (2 * PIECES) (the piece that fails, or cannot be evaluated, bisected DEPTH times),
    on which every expression is finite and real; None when not even the pieces next to x0 are
    shown so."""
    step = (hi - lo) / (2 * PIECES)
    ends = []
    for direction, limit in ((-1, lo), (1, hi)):
        end = x0
        while (end - limit) * direction < 0:
            nxt = end + direction * step
            nxt = limit if (nxt - limit) * direction > 0 else nxt
            if finite_on(exprs, x, *sorted((end, nxt))):
                end = nxt
                continue
            span = nxt - end
            for _ in range(DEPTH):
                span /= 2
                if finite_on(exprs, x, *sorted((end, end + span))):
                    end += span
            break
        if end == x0:
            return None
        ends.append(end)
    return ends[0], ends[1]
