"""Second-order ODEs by reduction of order (symseq.solve.engines.ode_reduction), each kind on an
equation of Lample & Charton's ode2 distribution that no other engine solved in 10 s."""

import pytest

from symseq.domain import Verdict
from symseq.lang.parse import parse_ode
from symseq.solve.engines import available
from symseq.solve.engines.ode_reduction import solve

pytestmark = pytest.mark.skipif(not (available("fricas") and available("maxima")),
                                reason="the reductions ask Maxima and FriCAS (.ci/run installs them)")


@pytest.mark.parametrize("equation", [
    "2*sinh(x)*cosh(x)*y'' + (cosh(x)^2 - 2*sinh(x)^2)*y' = 0",  # y missing: p = y'
    "y^2*y'' - y*y'^2 - y'' = 0",  # x missing: p(y) = y', y = cosh(c1*(x + c2))
    "x*y*y'' - x*y'^2 + 3*y*y' = 0",  # scale-invariant in y: u = y'/y
    "x^2*y*y'' - 2*x^2*y'^2 + 11*x*y*y' - 34*y^2 = 0",  # u = y'/y gives a Riccati equation
    "x*cosh(y)*y'' + x*sinh(y)*y'^2 = 1",  # in w = sinh(y), x*w'' = 1 lacks w: y = asinh(...)
])
def test_each_reduction_gives_a_proved_general_solution(equation):
    from symseq.solve.solver import solve_ode

    sol = solve_ode(equation, mode="subst", timeout=30)
    assert sol.solved and sol.verdict is Verdict.PROVED, (sol.verdict, sol.answer)
    assert "c1" in sol.answer and "c2" in sol.answer


@pytest.mark.parametrize("equation", ["y'' = x + sin(y)", "y' = y^2 + x"])
def test_equations_without_a_symmetry_are_left_to_the_other_engines(equation):
    question, order = parse_ode(equation)
    assert solve(f"ode{order}", question, 20) is None
