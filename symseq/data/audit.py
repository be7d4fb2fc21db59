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

from generators.symbols import C1, C2, X
from generators.tasks import TASKS, residual_of
from symseq.lang.prefix import from_prefix

# (x, c1, c2): exact rationals, both signs.
EXACT_POINTS = ((sp.Rational(7, 9), sp.Rational(3, 7), sp.Rational(-2, 3)),
                (sp.Rational(-13, 11), sp.Rational(-5, 4), sp.Rational(1, 6)),
                (sp.Rational(23, 10), sp.Rational(2, 1), sp.Rational(5, 3)),
                (sp.Rational(-5, 17), sp.Rational(-1, 5), sp.Rational(-7, 4)),
                (sp.Rational(31, 7), sp.Rational(9, 8), sp.Rational(-3, 2)),
                (sp.Rational(-19, 6), sp.Rational(-8, 3), sp.Rational(11, 5)),
                (sp.Rational(2, 13), sp.Rational(5, 2), sp.Rational(1, 9)),
                (sp.Rational(-41, 10), sp.Rational(1, 3), sp.Rational(-5, 2)))

def _value(expr: sp.Expr, subs: dict) -> complex | None:
    try:
        v = complex(sp.N(expr.subs(subs), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if mpmath.isfinite(v.real) and mpmath.isfinite(v.imag) else None


def _is_real(v: complex) -> bool:
    return abs(v.imag) <= 1e-20 * (1 + abs(v.real))


def audit_pair(task: str, question: str, answer: str, rtol: float = 1e-7) -> str:
    """'ok', 'wrong', or 'undefined' (no test point where the answer is real and all is finite).

    The identity is judged on the real domain of the answer: points where the answer (the
    antiderivative, or the ODE solution with its constants) is not real are skipped, since a
    branch of sqrt/log chosen there is a convention, not part of the pair.  The tolerance is
    relative to the magnitude of the terms that should cancel.
    """
    q, a = from_prefix(question), from_prefix(answer)
    residual = residual_of(TASKS[task].kind, q, a)
    terms = residual.args if residual.is_Add else (residual,)
    valid = 0
    for x, c1, c2 in EXACT_POINTS:
        subs = {X: x, C1: c1, C2: c2}
        ans = _value(a, subs)
        if ans is None or not _is_real(ans):
            continue
        values = [_value(t, subs) for t in terms]
        if any(v is None for v in values):
            continue
        scale = 1 + sum(abs(v) for v in values)
        if abs(sum(values)) > rtol * scale:
            return "wrong"
        valid += 1
    return "ok" if valid else "undefined"
