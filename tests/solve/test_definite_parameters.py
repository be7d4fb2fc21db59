"""Definite integrals with parameters: a value in the parameters, shown with the assumptions only
when it agrees with the quadrature at every draw of their values."""

import sympy as sp

from generators.symbols import X
from symseq.lang.assume import parameter_symbols
from symseq.solve.definite import integrate_definite
from symseq.solve.definite_parameters import BANDS, _quadratures_job, check_at_draws, draws


def _parameter(name: str, assume: str | None = None) -> sp.Symbol:
    from symseq.lang.assume import parse_assumptions

    return parameter_symbols([name], parse_assumptions(assume))[name]


def test_a_value_in_the_parameters_with_its_assumptions():
    sol = integrate_definite("x^n", "0", "1", mode="sympy", timeout=10)
    n = sp.Symbol("n")
    assert sp.simplify(sp.sympify(sol.value) - 1 / (n + 1)) == 0
    assert sol.assumptions == "n > 0" and len(sol.draws) >= 6 and all(d["agrees"] for d in sol.draws)
    assert sol.to_json()["assumptions"] == "n > 0"


def test_a_value_that_fails_at_one_draw_is_not_shown():
    """x**n on [0, 1] for every integer n: at n = -1 the integral diverges, so 1/(n + 1) is refused."""
    sol = integrate_definite("x^n", "0", "1", assume="n integer", mode="sympy", timeout=10)
    assert sol.value is None and not sol.solved


def test_the_draws_spread_each_real_parameter_over_its_bands():
    a = _parameter("a")
    points = draws([a], X ** 2 + a, sp.Integer(0), sp.Integer(1), 0)
    sizes = [float(p[a]) for p in points]
    assert all(s > 0 for s in sizes)
    for lo, hi in BANDS:
        assert sum(lo * 0.9 <= s <= hi * 1.1 for s in sizes) >= 2
    r = _parameter("r", "r real")  # both signs in every band
    sizes = [float(p[r]) for p in draws([r], X ** 2 + r, sp.Integer(0), sp.Integer(1), 0)]
    for lo, hi in BANDS:
        assert sum(lo * 0.9 <= s <= hi * 1.1 for s in sizes) >= 2
        assert sum(-hi * 1.1 <= s <= -lo * 0.9 for s in sizes) >= 2
    k = _parameter("k", "k integer")
    assert {0, -1} <= {int(p[k]) for p in draws([k], X ** k, sp.Integer(0), sp.Integer(1), 0)}


def test_a_singular_point_inside_the_interval_is_always_drawn():
    """1/(x + a) on [0, 1] for a real: log((a + 1)/a) holds for a > 0 and a < -1, and the integral
    diverges for -1 < a < 0; that range is drawn whatever the seed (a = -1/4, -1/2, -3/4), so
    the value is refused (it was shown about once in six calls)."""
    a = _parameter("a", "a real")
    for seed in range(5):
        values = {p[a] for p in draws([a], 1 / (X + a), sp.Integer(0), sp.Integer(1), seed)}
        assert {-sp.Rational(1, 4), -sp.Rational(1, 2), -sp.Rational(3, 4)} <= values
    sol = integrate_definite("1/(x + a)", "0", "1", assume="a real", mode="sympy", timeout=10)
    assert sol.value is None


def test_a_value_wrong_for_large_parameters_only_is_refused():
    """pi/(2*a) + Max(0, a - 1) equals the integral of 1/(x**2 + a**2) over [0, oo) for a <= 1 only:
    the draws in the band 3 to 40 refuse it; the right value passes."""
    a = _parameter("a")
    f = 1 / (X ** 2 + a ** 2)
    points = draws([a], f, sp.Integer(0), sp.oo, 1)
    quads = _quadratures_job((f, sp.Integer(0), sp.oo, points))
    assert check_at_draws(sp.pi / (2 * a), points, quads)[0]
    ok, record = check_at_draws(sp.pi / (2 * a) + sp.Max(0, a - 1), points, quads)
    assert not ok and any(not r["agrees"] for r in record)
    assert not check_at_draws(sp.pi / (2 * a), points, quads[:-1])[0]  # a draw without quadrature


def test_values_where_the_value_is_undefined_are_stated():
    """atan(1/a)/a for a real: undefined at a = 0 (the integral diverges there): said so."""
    sol = integrate_definite("1/(x^2 + a^2)", "0", "1", assume="a real", mode="sympy", timeout=10)
    assert sol.value is not None and sol.assumptions == "a real, a != 0"


def test_values_where_the_antiderivative_is_undefined_are_excluded():
    """cos(n*x)*cos(5*x) on [0, pi] is 0 for every positive integer n but 5 (pi/2 there): the
    antiderivative's n**2 - 25 must show as n != 5 (it was once shown as 0 "for n positive
    integer", when no draw was 5)."""
    for _ in range(3):
        sol = integrate_definite("cos(n*x)*cos(5*x)", "0", "pi", assume="n positive integer", mode="sympy",
                                 timeout=10)
        assert sol.value is None or (sol.value == "0" and "n != 5" in sol.assumptions)


def test_a_real_value_written_with_erf_of_an_imaginary_argument_loses_its_i():
    from symseq.solve.definite_parameters import _without_i

    a = _parameter("a")
    assert _without_i(sp.I * sp.erf(sp.I * a)) == -sp.erfi(a)
    assert _without_i(sp.erf(sp.I * a) + 1).has(sp.I)  # not real: kept as it is


def test_functions_whose_poles_are_not_searched_give_no_value():
    """tan(a*x) on [0, 1/100] was shown as -log(cos(a/100))/a for a > 0: it diverges for a > 50*pi,
    beyond every draw (found by an adversarial review)."""
    for question, lower, upper in (("tan(a*x)", "0", "1/100"), ("sec(a*x)^2", "0", "1/100")):
        sol = integrate_definite(question, lower, upper, mode="sympy", timeout=10)
        assert sol.value is None and "not searched" in sol.notes[0]


def test_tanh_and_sech_of_a_parameter_have_no_singular_points_to_search():
    """cosh >= 1 on the real line: tanh(a*x) and sech(a*x) are defined for every a and x, so their
    values are checked at the ordinary draws (they were refused with tan and sec)."""
    a = sp.Symbol("a")
    for question, value in (("tanh(a*x)", sp.log(sp.cosh(a)) / a), ("sech(a*x)^2", sp.tanh(a) / a)):
        sol = integrate_definite(question, "0", "1", mode="engines", timeout=20)
        assert sol.value is not None and sol.assumptions == "a > 0", (question, sol.notes)
        shown = sp.sympify(sol.value, locals={"a": a})
        points = (sp.Rational(1, 10), sp.Rational(13, 10), 7, 31)
        assert all(abs(complex((shown - value).subs(a, t).evalf(50))) < 1e-30 for t in points), shown
        assert len(sol.draws) >= 6 and all(d["agrees"] for d in sol.draws)
