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


def test_a_tiny_jump_where_no_formula_names_the_kink_is_found():
    """F = x**2/2 + sign(exp(x) - 3)/10**7 jumps by 2e-7 at log(3): the kink, found by bisection
    on a grid, was located to 1e-12 only, and the jump test, looking 1e-14 to each side of it,
    saw one side: the answer was proved.  Kinks are located to neighbouring doubles now."""
    for F, at in ((X**2 / 2 + sp.sign(sp.exp(X) - 3) / 10**7, math.log(3)),
                  (X**2 / 2 + sp.sign(X**3 + sp.exp(X) - 7) / 10**8, None)):
        found = kinks([X, F])
        assert len(found) == 1 and (at is None or abs(found[0] - at) <= 4e-16 * at), found
        assert kink_defects(X, F, sp.diff(F, X) - X)[1] == found
        v = verify_candidate("integrate", X, F)
        assert v.verdict.name == "LOCAL" and "jumps" in v.detail, v
