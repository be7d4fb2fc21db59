"""Independent audit of a dataset pair with SymPy's arbitrary-precision ``evalf``.

The generators check their pairs with a fast numpy screen (``generators.numeric``).  This module
checks them again a different way -- decode the prefix strings, differentiate or substitute
with SymPy, evaluate both sides at exact rational points to 30 digits -- so a bug in either
path shows up as a disagreement.  Used by the tests and by ``benchmarks/generate.py``.
Slow (tens of ms per pair); run it under ``symseq.sandbox`` when the pair is untrusted.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from generators.symbols import C1, C2, F0, X
from symseq.prefix import from_prefix

# (x, c1, c2) test points: exact rationals, both signs.
POINTS = ((sp.Rational(7, 9), sp.Rational(3, 7), sp.Rational(-2, 3)),
          (sp.Rational(-13, 11), sp.Rational(-5, 4), sp.Rational(1, 6)),
          (sp.Rational(23, 10), sp.Rational(2, 1), sp.Rational(5, 3)),
          (sp.Rational(-5, 17), sp.Rational(-1, 5), sp.Rational(-7, 4)))


def _value(expr: sp.Expr, subs: dict) -> complex | None:
    try:
        v = complex(sp.N(expr.subs(subs), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if mpmath.isfinite(v.real) and mpmath.isfinite(v.imag) else None


def audit_pair(task: str, question: str, answer: str, rtol: float = 1e-7) -> str:
    """'ok', 'wrong', or 'undefined' (no test point where both sides are finite)."""
    q, a = from_prefix(question), from_prefix(answer)
    if task.startswith("ode"):
        lhs, rhs, scale_of = q.subs(F0, a).doit(), sp.Integer(0), q
    else:
        lhs, rhs, scale_of = sp.diff(a, X), q, sp.Integer(0)
    valid = 0
    for x, c1, c2 in POINTS:
        subs = {X: x, C1: c1, C2: c2}
        u, v = _value(lhs, subs), _value(rhs, subs)
        if u is None or v is None:
            continue
        scale = 1 + abs(u) + abs(v) + abs(_value(scale_of, subs) or 0)
        if abs(u - v) > rtol * scale:
            return "wrong"
        valid += 1
    return "ok" if valid else "undefined"
