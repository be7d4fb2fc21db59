"""Singular points of a formula found exactly (symseq.numerics.exact_singularities), and what the
verifier and initial value problems make of them."""

import math

import sympy as sp

from generators.symbols import C1, F0, F1, F2, X
from symseq.numerics.exact_singularities import REACH, far_points, singular_bases
from symseq.solve.verifier import Verdict, verify_candidate


def test_the_bases_are_where_a_formula_is_undefined_or_changes_form():
    F = 80 * sp.sin(X / 40) / sp.sqrt(sp.cos(X / 40) + 1) + sp.tan(X / 7) + sp.log(X - 200) + sp.Abs(X + 300)
    bases = singular_bases(F)
    assert sp.cos(X / 40) + 1 in bases and sp.cos(X / 7) in bases and X - 200 in bases and X + 300 in bases
    assert singular_bases(1 / (X - C1)) == []  # moves with an ODE's constant: not listed


def test_far_points_of_a_periodic_family_and_of_a_finite_set():
    points = far_points(80 * sp.sin(X / 40) / sp.sqrt(sp.cos(X / 40) + 1))
    values = [v for v, _ in points]
    assert all(abs(v) > REACH for v in values)
    assert min(v for v in values if v > 0) == math.pi * 40 * 1.0  # 40*pi, the first beyond 100
    assert max(v for v in values if v < 0) == -math.pi * 40 * 1.0
    assert {sp.sstr(e) for _, e in points} >= {"40*pi", "-40*pi", "120*pi"}
    finite = far_points(sp.atan(1 / ((X - 1) * (sp.exp(X - 150) - 1))))
    assert [(v, sp.sstr(e)) for v, e in finite] == [(150.0, "150")]
    assert far_points(X ** 2 + sp.sin(X)) == ()


def test_zeros_sympy_cannot_list_are_scanned_for_numerically():
    # solveset gives a ConditionSet for cos(x) + x/200: its zeros beyond 100 (up to 200) are found
    # by the far scan (symseq.numerics.far_scan), to double precision
    points = far_points(1 / (sp.cos(X) + X / 200))
    assert points and all(100 < abs(v) <= 200 and abs(math.cos(v) + v / 200) < 1e-12 for v, _ in points)
    assert len([v for v, _ in points if v > 0]) == 32  # cos(x) = -x/200 twice a period, 100 < x < 200
    # the second review: atan of a factor with such a zero, and tan of x**2/20000, were proved on the
    # whole line (solveset's family is not linear in its integer); each jumps near 150.39, 177.25
    F = sp.atan(1 / (X - 150 + sp.sin(X)))
    result = verify_candidate("integrate", -(1 + sp.cos(X)) / ((X - 150 + sp.sin(X)) ** 2 + 1), F)
    assert result.verdict is Verdict.LOCAL and all(iv.hi <= 150.4 for iv in result.intervals), result
    result = verify_candidate("integrate", X / 10000, sp.atan(sp.tan(X ** 2 / 20000)))
    assert result.verdict is Verdict.LOCAL and all(-177.3 < iv.lo and iv.hi < 177.3 for iv in result.intervals), result


def test_an_antiderivative_that_jumps_only_beyond_100_is_not_global():
    # the adversarial review, session 29: FriCAS's antiderivative of sqrt(1 + cos(x/40)) was
    # "proved" on the whole line; it jumps at 40*pi + 80*k*pi
    F = 80 * sp.sin(X / 40) / sp.sqrt(sp.cos(X / 40) + 1)
    result = verify_candidate("integrate", sp.sqrt(1 + sp.cos(X / 40)), F)
    assert result.verdict is Verdict.LOCAL, result
    assert all(-40 * math.pi - 1e-6 <= iv.lo and iv.hi <= 40 * math.pi + 1e-6 for iv in result.intervals)
    # an interval the grid saw open towards oo ends at the first far jump, named exactly
    atan_form = 100 * sp.sqrt(3) * sp.atan(sp.sqrt(3) * sp.sin(X / 50) / (3 * (sp.cos(X / 50) + 1))) / 3
    result = verify_candidate("integrate", 1 / (2 + sp.cos(X / 50)), atan_form)
    assert result.verdict is Verdict.LOCAL and result.valid_on == "-50*pi < x < 50*pi", result


def test_a_jump_at_a_far_zero_of_a_transcendental_factor_cuts_the_interval():
    # (its derivative as written is undefined at 1 and 150, where F may restart: simplified here)
    F = sp.atan(1 / ((X - 1) * (sp.exp(X - 150) - 1)))
    f = (-(X - 1) * sp.exp(X - 150) - sp.exp(X - 150) + 1) / ((X - 1) ** 2 * (sp.exp(X - 150) - 1) ** 2 + 1)
    assert sp.simplify(sp.diff(F, X) - f) == 0
    result = verify_candidate("integrate", f, F)
    assert result.verdict is Verdict.LOCAL and all(iv.hi <= 150 for iv in result.intervals), result


def test_a_residual_nonzero_beyond_the_last_kink_is_not_an_interval():
    # x**2/2 + x - 150 + Abs(x - 150) is an antiderivative of x only for x < 150: the piece beyond the
    # outermost kink once ended at 151 ("x > 151" was shown)
    result = verify_candidate("integrate", X, X ** 2 / 2 + X - 150 + sp.Abs(X - 150))
    assert result.verdict is Verdict.LOCAL and result.valid_on == "x < 150", result


def test_an_ode_answer_that_jumps_only_beyond_100_is_not_global():
    from symseq.lang.parse import parse_ode

    question = parse_ode("y' = sqrt(1 + cos(x/40))")[0]
    result = verify_candidate("ode1", question, C1 + 80 * sp.sin(X / 40) / sp.sqrt(sp.cos(X / 40) + 1))
    assert result.verdict is Verdict.LOCAL, result


def test_the_nearest_singular_points_bound_an_initial_value_problem_solution():
    from symseq.numerics.exact_singularities import nearest_singular
    from symseq.solve.ivp_local import existence_job

    assert nearest_singular(sp.tan(X), 0.0, 0.0) == (-sp.pi / 2, sp.pi / 2)
    assert nearest_singular(-1 / (sp.exp(X) - 3), 0.0, 0.0) == (None, sp.log(3))
    assert nearest_singular(sp.tan(X), 0.0, 2.0) is None  # pi/2 lies between the points
    # the review's IVPs, shown with no interval before: y' = exp(x)*y^2, y(0) = 1/2; y' = cos(x)*y^2, y(0) = 1
    assert existence_job((-1 / (sp.exp(X) - 3), [0], F1 - sp.exp(X) * F0 ** 2)) == "x < log(3)"
    assert existence_job((-1 / (sp.sin(X) - 1), [0], F1 - sp.cos(X) * F0 ** 2)) == "-3*pi/2 < x < pi/2"
    assert existence_job((sp.sqrt(X ** 2 - 3), [2], F1 - X / F0)) == "sqrt(3) < x"
    assert existence_job((sp.cos(X), [0], F2 + F0)) == ""
    # the second review: asin(x/2) stops being real at +-2 (was 'x < 5', from the pole alone), and
    # where the equation is undefined the solution stops too (y' = y/x + ...: not across 0)
    asin_answer = sp.asin(X / 2) - 1 / (X - 5)
    assert existence_job((asin_answer, [0], F1 - 1 / sp.sqrt(4 - X ** 2) - 1 / (X - 5) ** 2)) == "-2 < x < 2"
    assert existence_job((X ** 2 / (X - 5), [-1], F1 - F0 / X - X / (X - 5) ** 2)) == "x < 0"
    # gamma's poles are listed as every integer (a superset: the interval may end early, never late)
    assert existence_job((sp.gamma(X) + 1 / (X - 5), [sp.Rational(1, 2)], F1 - sp.diff(sp.gamma(X), X))) == "0 < x < 1"


def test_zeros_denser_than_the_scan_are_not_listed():
    # tan(x**2)'s poles are 0.016 apart at 100, the scan's points 0.01: aliased, so unknown (None):
    # pairs built on aliased zeros confirmed false jumps of the right answer 2*x + tan(x**2)
    from symseq.numerics.far_scan import far_zeros

    assert far_zeros(sp.cos(X ** 2)) is None
    assert len(far_zeros(sp.cos(X ** 2 / 20000))) == 100  # 177.2, 307.0, ...: the 50 nearest on each side
    result = verify_candidate("integrate", 2 * X * (sp.tan(X ** 2) ** 2 + 1) + 2, 2 * X + sp.tan(X ** 2))
    assert result.verdict is Verdict.PROVED, result
