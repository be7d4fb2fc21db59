"""First-order ODEs by the textbook's substitutions (symseq.solve.engines.ode_substitution)."""

import pytest

from symseq.domain import Verdict
from symseq.lang.parse import parse_ode
from symseq.solve.engines import available
from symseq.solve.engines.ode_substitution import solve
from symseq.solve.implicit import check_implicit

pytestmark = pytest.mark.skipif(not available("fricas"), reason="the substitutions integrate with FriCAS "
                                "(.ci/run installs it; apt-get install fricas)")


@pytest.mark.parametrize("equation", [
    "x^2*y*y' = (y^2 - 1)^(3/2)",  # separable (Trench 2.2.6; SymPy: over 10 s)
    "y' = (x + 2*y)/(2*x + y)",  # homogeneous (Trench 2.4.31; SymPy: over 10 s)
    "y*y' + x = sqrt(x^2 + y^2)",  # homogeneous for t > 0 only (Lebl 1.5.4): both roots of sqrt kept
    "y' = (2*x + y + 1)/(x + 2*y - 4)",  # lines crossing at (-2, 3) (Trench 2.4.42)
    "y' = (x + y - 1)^2",  # a function of x + y (Lebl 1.5.5)
])
def test_each_kind_gives_a_proved_implicit_solution(equation):
    question, _ = parse_ode(equation)
    answer = solve("ode1", question, 20)
    assert answer is not None and answer.startswith("implicit: ")
    verdict, _, detail = check_implicit(question, answer)
    assert verdict is Verdict.IMPLICIT and detail == "proved symbolically"


@pytest.mark.parametrize("equation", ["y' = x + sin(y)", "y'' + y = 0", "y' = y^2 + x^2"])  # (y^2 + x: Airy)
def test_other_equations_are_left_to_the_other_engines(equation):
    question, order = parse_ode(equation)
    assert solve(f"ode{order}", question, 20) is None


def test_the_race_isolates_y_from_the_substitutions_relation():
    from symseq.solve.solver import solve_ode

    sol = solve_ode("y' = (x + y - 1)^2", mode="engines", timeout=20)
    assert sol.solved and sol.engine == "subst/isolated" and "tan(" in sol.answer


def test_a_riccati_equation_through_its_linear_second_order_equation():
    # Trench 5.6.39e: y = u'/u turns it into Bessel's equation of order 1/2, u = (c1*cos(x) +
    # c2*sin(x))/sqrt(x); FriCAS's exp(+-I*x) basis is written as its real and imaginary parts
    from symseq.solve.verifier import verify_candidate

    question, _ = parse_ode("x^2*(y' + y^2) + x*y + x^2 - 1/4 = 0")
    answer = solve("ode1", question, 20)
    assert answer is not None and "I" not in answer and "c1" in answer
    assert verify_candidate("ode1", question, answer).verdict is Verdict.PROVED


def test_a_bernoulli_equation_is_answered_explicitly():
    question, _ = parse_ode("y' = y + x*y^2")  # v = 1/y: v' = -v - x
    answer = solve("ode1", question, 20)
    assert answer is not None and not answer.startswith("implicit") and "c1" in answer
    from symseq.solve.verifier import verify_candidate

    assert verify_candidate("ode1", question, answer).verdict.solved


def test_an_ivp_uses_an_answer_that_holds_for_some_constants_only():
    # Trench 2.4.8: y = (c1*exp(-x**2/4) - 1)**(-2) solves y' - x*y = x*y**(3/2) only where its base
    # is positive (c1 > 1): refused as a general solution, it gives y(1) = 4's answer near x = 1
    from symseq.solve.ivp import solve_ivp

    sol = solve_ivp("y' - x*y = x*y^(3/2)", "y(1) = 4", mode="engines", timeout=20)
    assert sol.solved and sol.particulars[0].verdict == "local" and sol.particulars[0].valid_on


@pytest.mark.parametrize("equation, shown", [
    ("y' = (y^2 + y*tan(x) + tan(x)^2)/sin(x)^2", "tan(x)*tan("),  # y = tan(x)*u, separable in u (Trench 2.4.48)
    ("x*log(x)^2*y' = -4*log(x)^2 + y*log(x) + y^2", "log(x)"),  # y = log(x)*u (Trench 2.4.49)
])
def test_a_scaled_unknown_gives_an_explicit_solution(equation, shown):
    from symseq.solve.solver import solve_ode

    sol = solve_ode(equation, mode="subst", timeout=20)
    # the engine's explicit answer, or y isolated by the race from the engine's implicit one: which
    # of the two verifies first is a race on a busy machine; both are explicit
    assert sol.solved and not sol.implicit and shown in sol.answer
    assert sol.engine in ("subst", "subst/isolated")


def test_a_riccati_equation_whose_linear_form_is_airy_is_solved():
    """y' = y**2 - x: y = -u'/u with u'' - x*u = 0, which FriCAS does not solve and SymPy does
    (Airy functions); the answer is explicit, with one constant."""
    from symseq.solve.verifier import verify_candidate

    question, _ = parse_ode("y' = y^2 - x")
    answer = solve("ode1", question, 20)
    assert answer is not None and "airyai" in answer and "c1" in answer and "implicit" not in answer
    # (Airy functions cost mpmath milliseconds a point: 3-5 s of verification on one busy core)
    verdict = verify_candidate("ode1", question, answer, numeric_timeout=30, proof_timeout=30).verdict
    assert verdict.solved and verdict.is_global, verdict


def test_sympy_series_solutions_are_not_taken_as_a_linear_basis():
    from generators.symbols import F0, F2, X
    from symseq.solve.engines.ode_substitution import _sympy_linear_solution

    assert _sympy_linear_solution(F2 + X ** 2 * F0) is None  # dsolve: a power series with O(x**6)
    assert "airyai" in str(_sympy_linear_solution(F2 - X * F0))
