"""The ``elliptic`` engine: Legendre's reduction of trigonometric elliptic integrals to E, F, Pi."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import parse_answer
from symseq.solve.check import verify_candidate
from symseq.solve.engines.elliptic import solve

NAMES = {"x": X}


def _q(text):
    return sp.sympify(text, locals=NAMES)


def _derivative_matches(question, answer, points=(0.3, 0.7, 1.2)):
    """F'(x) = f(x) at a few points inside |x| < 1, by SymPy's own derivative at 30 digits."""
    F = parse_answer(answer, NAMES)
    dF = sp.diff(F, X)
    for x0 in points:
        a, b = complex(dF.evalf(30, subs={X: x0})), complex(question.evalf(30, subs={X: x0}))
        assert abs(a - b) < 1e-12 * (1 + abs(b)), (answer, x0, a, b)


@pytest.mark.parametrize("question, needs", [
    ("sqrt(1 + cos(x)**2)", "elliptic_e"),
    ("(1 + cos(x)**2)**(3/2)", "elliptic_f"),  # a power above 1/2: an algebraic part too
    ("1/(1 + cos(x)**2)**(3/2)", "elliptic_e"),
    ("1/sqrt(1 + 3*sin(2*x + 1)**2)", "elliptic_f(2*x + 1"),  # t = 2*x + 1, the answer divided by 2
    ("tan(x)**2*sqrt(1 + cos(x)**2)", "elliptic_e"),  # a factor 1 - s in the denominator
    ("1/((1 + sin(x)**2)*sqrt(1 + 3*sin(x)**2))", "elliptic_pi(-1"),  # a linear factor: Pi
    ("x**2/(sqrt(4 - x**2)*sqrt(2 + 3*x**2))", "asin(x/2)"),  # x = 2*sin(t) first
    ("sqrt(4 - x**2)*sqrt(1 + x**2)", "elliptic_f(asin(x/2)"),  # x = 2*sin(t) before x = tan(t)
    ("sqrt(1 - x**2)*sqrt(1 - 2*x**2)", "elliptic_e(asin(x)"),
    ("(2 + x**2)/((1 + x**2)*sqrt(2 + 3*x**2 + x**4))", "elliptic_e(atan(x)"),  # a quartic: x = tan(t)
    ("1/sqrt(x**4 + 3*x**2 + 2)", "elliptic_f(atan(x)"),
    ("(2 + x**2 - x**4)**(3/2)*(7 + 5*x**2)**3", "asin(sqrt(2)*x/2)"),  # Q of degree 5
    ("sin(x)**20*sqrt(1 + cos(x)**2)", "elliptic_e"),  # Q of degree 10
    ("1/(1 + cos(x)**2)**(15/2)", "elliptic_f"),  # W**(-15/2): Q's degree grows with the power
])
def test_reducible_integrands_get_an_antiderivative_that_differentiates_back(question, needs):
    f = _q(question)
    answer = solve("integrate", f, 5.0)
    assert answer is not None and needs in answer
    _derivative_matches(f, answer)
    assert verify_candidate("integrate", f, answer).verdict.solved


@pytest.mark.parametrize("question, interval", [
    ("x/sqrt(x*(x - 1)*(x - 4))", "0 < x < 1"),  # x = 4*sin(t)**2... on (e3, e2)
    ("sqrt(x)*sqrt(x + 1)*sqrt(x + 2)", "x > 0"),  # x = tan(t)**2: where every root is real first
    ("(1 - 2*x)**(3/2)*(2 + 3*x)**(3/2)*(3 + 5*x)**(3/2)", "-3/5 < x < 1/2"),
])
def test_a_cubic_with_real_roots_is_reduced_on_an_interval_where_the_integrand_is_real(question, interval):
    f = _q(question)
    answer = solve("integrate", f, 5.0)
    assert answer is not None and "elliptic_" in answer
    v = verify_candidate("integrate", f, answer, numeric_timeout=30)
    assert v.verdict.solved and v.valid_on == interval


@pytest.mark.parametrize("question", [
    "(1 + cos(x)**2)**(10001/2)",  # a huge power: overflowed a float once; beyond Q's reach
    "(1 + cos(x)**2)**(-101/2)",
])
def test_hostile_powers_get_no_answer_at_once(question):
    import time

    start = time.perf_counter()
    assert solve("integrate", _q(question), 5.0) is None
    assert time.perf_counter() - start < 3.0


def test_huge_coefficients_give_answers_that_verify():
    for question in ("sqrt(1 + 10**40*sin(x)**2)", "1/sqrt(x**3 - 10**50*x)"):
        f = _q(question)
        answer = solve("integrate", f, 5.0)
        assert answer is not None and verify_candidate("integrate", f, answer, numeric_timeout=30).verdict.solved


def test_a_cubic_whose_roots_hold_a_parameter_gets_no_answer_and_no_crash():
    assert solve("integrate", _q("1/sqrt(x**3 - a*x)"), 5.0) is None


def test_applies_reads_degrees_without_expanding():
    from symseq.solve.engines.elliptic import applies

    assert not applies(_q("sqrt((x**3 + x + 1)**200 + x)"))  # degree 600: not planned, and at once
    assert applies(_q("sqrt((x + 1)*(x**2 + 2))")) and not applies(_q("x*sqrt(x + 1)"))


def test_parameters_stay_symbolic_and_the_answer_holds_for_positive_ones():
    f = _q("sqrt(a + b*sin(x)**2)")
    answer = solve("integrate", f, 5.0)
    assert answer is not None and "elliptic_e" in answer
    F = parse_answer(answer, {"x": X, "a": sp.Symbol("a"), "b": sp.Symbol("b")})
    point = {X: 0.9, sp.Symbol("a"): 2.5, sp.Symbol("b"): 1.5}
    assert abs(complex(sp.diff(F, X).evalf(30, subs=point)) - complex(f.evalf(30, subs=point))) < 1e-12


@pytest.mark.parametrize("question", [
    "sin(x)*sqrt(1 + cos(x)**2)",  # odd in sin(x): u = cos(x) makes it elementary, not this engine's
    "sqrt(1 + cos(x)**2)*sqrt(1 + sin(2*x)**2)",  # two arguments
    "x*sqrt(1 + cos(x)**2)",  # x outside the trigonometric functions
    "sqrt(1 + cos(x)**2 + cos(x)**4)",  # the root of a quadratic in s
    "x*cos(x)", "sqrt(x**2 + 1)", "x/sqrt(4 - x**2)", "x*sqrt(1 - x**2)*sqrt(1 - 2*x**2)",
    "1/sqrt(x**3 + 1)",  # a cubic with complex roots: not handled
    "1/sqrt(1 + x**2)", "sqrt(1 - sin(x)**2)",  # m = 1 or 0: elementary, left to the other engines
    "1/sqrt(2*sin(x)**2 - 1)",  # a + b*s with a < 0: complex at t = 0
])
def test_other_shapes_get_no_answer(question):
    assert solve("integrate", _q(question), 5.0) is None
    assert solve("ode1", _q(question), 5.0) is None


def test_the_race_runs_it_and_says_so():
    from symseq.solve.solver import integrate

    sol = integrate("1/(1 + cos(x)^2)^(3/2)", mode="elliptic", timeout=20)
    assert sol.solved and sol.engine == "elliptic" and "elliptic_e" in sol.answer
