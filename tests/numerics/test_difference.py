"""F' = f by difference quotients, for answers in incomplete elliptic integrals."""

import mpmath
import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.domain import Verdict
from symseq.numerics.difference import difference_mismatch, needs_difference_check
from symseq.numerics.numeric import evaluate
from symseq.solve.verifier import verify_candidate

# FriCAS's (and the elliptic engine's) answer: F' = f for |x| < 1, but for x > 1 (asin(x) on its
# cut) the values mpmath gives F grow like -f, where f is real again
F_CUT = sp.sqrt(2) * sp.elliptic_f(sp.asin(X), 2) / 2
f_CUT = 1 / (sp.sqrt(1 - X**2) * sp.sqrt(2 - 4 * X**2))


def test_a_derivative_that_fails_on_a_cut_is_found_only_there():
    assert needs_difference_check(F_CUT) and not needs_difference_check(sp.elliptic_k(sp.Rational(1, 2)) * X)
    assert difference_mismatch(f_CUT, F_CUT, np.array([0.3, -0.6, 0.8, -0.9])) is None  # (f imaginary at 0.8, 0.9)
    assert difference_mismatch(f_CUT, F_CUT, np.array([0.3, 1.5])) == 1.5
    assert difference_mismatch(f_CUT, F_CUT, np.array([-2.5])) == -2.5
    F = sp.sqrt(2) * sp.elliptic_e(X, sp.Rational(1, 2))  # amplitude x: right on the whole line
    assert difference_mismatch(sp.sqrt(1 + sp.cos(X) ** 2), F, np.linspace(-9, 9, 12)) is None


def test_off_strip_points_reach_far_and_find_narrow_windows():
    from symseq.numerics.difference import difference_defect, off_strip_points

    far = off_strip_points(sp.elliptic_f(sp.asin(X), sp.Rational(1, 10000)))  # wrong only for |x| > 100
    assert far.min() < -1e8 and far.max() > 1e8 and not ((far > -1) & (far < 1)).any()
    f = 1 / (sp.sqrt(1 - X**2) * sp.sqrt(1 - X**2 / 10000))
    assert difference_defect(f, sp.elliptic_f(sp.asin(X), sp.Rational(1, 10000)), np.array([0.3, -0.5]))
    # an off-strip window 0.26 wide between the fixed sample points (found by the review of session 19)
    window = off_strip_points(sp.elliptic_f(sp.asin(2 / (1 + 25 * (X - sp.Rational(31, 10)) ** 2)), sp.Rational(1, 2)))
    assert ((window > 2.9) & (window < 3.3)).all() and len(window) > 10


def test_such_an_answer_is_local_where_it_holds_not_proved_on_the_line():
    v = verify_candidate("integrate", f_CUT, sp.sstr(F_CUT), numeric_timeout=30)
    assert v.verdict is Verdict.LOCAL and "difference quotient" in v.detail
    assert v.intervals and all(-0.71 <= iv.lo and iv.hi <= 0.71 for iv in v.intervals)


def test_elliptic_values_in_double_precision_agree_with_mpmath_also_where_its_float_context_gives_up():
    xs = np.array([0.3, 1.2, 4.0, -7.5], dtype=np.complex128)  # |x| > pi/2: mpmath's own
    got = evaluate(sp.elliptic_e(X, sp.Rational(1, 2)) + sp.elliptic_f(X, 3), {X: xs})[0]
    want = [complex(mpmath.ellipe(x, 0.5) + mpmath.ellipf(x, 3)) for x in xs.real]
    assert np.allclose(got, want, rtol=1e-10, atol=1e-12)


def test_an_answer_wrong_only_far_from_the_sample_points_is_never_global():
    f = 1 / (sp.sqrt(1 - X**2) * sp.sqrt(1 - X**2 / 10000))
    v = verify_candidate("integrate", f, "elliptic_f(asin(x), 1/10000)", numeric_timeout=30)
    assert not v.verdict.is_global  # right on -1 < x < 1 only; at x = 150 its derivative is -f


def test_elliptic_pi_is_evaluated_by_mpmath_itself():  # mpmath.fp.ellippi(2, 0.5, 0.5) = 0.396
    got = evaluate(sp.elliptic_pi(2, X, sp.Rational(1, 2)), {X: np.array([0.5], dtype=np.complex128)})[0]
    assert abs(got[0] - complex(mpmath.ellippi(2, 0.5, 0.5))) < 1e-12


def test_a_check_that_compared_nothing_does_not_pass():
    # f real at both points, F not evaluable anywhere (an unknown function stands in): no pass
    F = sp.elliptic_f(sp.asin(X), 2) + sp.Function("g")(X)
    assert difference_mismatch(sp.cos(X), F, np.array([0.3, 0.6])) == 0.3
