"""Where an answer built with Abs, sign or roots changes form (symseq.solve.kinks)."""

import math

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import parse_answer
from symseq.solve.kinks import MAX_KINKS, kink_defects, kinks
from symseq.solve.verifier import verify_candidate

# FriCAS 1.3.8's antiderivative of sqrt(tan(x)): roots of sin(x)/cos(x) and of sums around it
FRICAS_SQRT_TAN = (
    "sqrt(2)*log((-2*sqrt(2)*sqrt(sin(x)/cos(x))*cos(x) + 2*sin(x) + 2*cos(x))/cos(x))/4"
    " - sqrt(2)*log((2*sqrt(2)*sqrt(sin(x)/cos(x))*cos(x) + 2*sin(x) + 2*cos(x))/cos(x))/4"
    " - sqrt(2)*atan(1/(sqrt((-2*sqrt(2)*sqrt(sin(x)/cos(x))*cos(x) + 2*sin(x) + 2*cos(x))/cos(x))"
    " + sqrt(2)*sqrt(sin(x)/cos(x)) - 1))"
    " - sqrt(2)*atan(1/(sqrt((2*sqrt(2)*sqrt(sin(x)/cos(x))*cos(x) + 2*sin(x) + 2*cos(x))/cos(x))"
    " + sqrt(2)*sqrt(sin(x)/cos(x)) + 1))")


def test_a_periodic_radicand_has_its_kinks_checked_one_by_one():
    """sqrt(tan(x))'s antiderivative changes form at 127 points of [-100, 100] (the zeros and poles
    of tan): over the old cap of 120, it was 'not checked' and the classic integral had no answer."""
    f, F = sp.sqrt(sp.tan(X)), parse_answer(FRICAS_SQRT_TAN, {"x": X})
    found = kinks([f, F])
    assert found is not None and 120 < len(found) <= MAX_KINKS
    points, jumps, singular, bad = kink_defects(f, F, sp.diff(F, X) - f)
    assert not jumps and not bad
    # the points set apart (f undefined there, or real on one side only) are tan's poles and zeros
    assert singular and all(abs(math.remainder(s, math.pi / 2)) < 1e-9 for s in singular)


def test_too_many_kinks_are_still_refused():
    assert kinks([sp.sqrt(sp.sin(10 * X))]) is None  # 637 zeros in [-100, 100]


@pytest.mark.slow
def test_the_classic_integral_of_sqrt_tan_is_verified():
    verdict = verify_candidate("integrate", sp.sqrt(sp.tan(X)), FRICAS_SQRT_TAN, numeric_timeout=20).verdict
    assert verdict.solved, verdict
    # and a near miss of it is not
    assert not verify_candidate("integrate", sp.sqrt(sp.tan(X)), FRICAS_SQRT_TAN + " + x/10**6",
                                numeric_timeout=20).verdict.solved
