"""Independent audit of a dataset pair at arbitrary precision.

The generators check their pairs with a fast numpy screen (``symseq.numerics.numeric``).  This module
checks them again a different way -- decode the prefix strings, differentiate or substitute
with SymPy, evaluate the residual at fixed points with mpmath at adaptive precision
(``symseq.numerics.precise``) -- so a bug in either path shows up as a disagreement.  Used by the
tests and by ``experiments/data/generate.py``.  Slow (ms per pair); run it under ``symseq.sandbox``
when the pair is untrusted.
"""

from __future__ import annotations

import sympy as sp

from symseq.numerics.precise import Zero, is_real, judge_zero
from generators.symbols import C1, C2, X
from generators.tasks import residual_of
from symseq.domain import TASKS
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

def audit_pair(task: str, question: str, answer: str) -> str:
    """'ok', 'wrong', or 'undefined' (no test point where the answer is real and all is finite).

    The identity is judged on the real domain of the answer: points where the answer (the
    antiderivative, or the ODE solution with its constants) is not real are skipped, since a
    branch of sqrt/log chosen there is a convention, not part of the pair.  The residual is
    judged by ``symseq.numerics.precise`` (adaptive precision, against the accuracy reached), the
    same check the verifier uses after its own screen.
    """
    q, a = from_prefix(question), from_prefix(answer)
    residual = residual_of(TASKS[task].kind, q, a)
    valid = 0
    for x, c1, c2 in EXACT_POINTS:
        point = {X: float(x), C1: float(c1), C2: float(c2)}
        if is_real(a, point) is not True:
            continue
        judged, _ = judge_zero(residual, point)
        if judged is Zero.NONZERO:
            return "wrong"
        valid += judged is Zero.ZERO
    return "ok" if valid else "undefined"
