"""Linear second-order ODEs from guessed solutions (symseq.solve.engines.ode_linear), through the
``subst`` engine that runs them, verified."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.domain import Verdict
from symseq.solve.engines import available
from symseq.solve.engines.ode_linear import linear_coefficients

_Y, _P, _Q = sp.symbols("y p q")


@pytest.mark.skipif(not (available("fricas") and available("maxima")),
                    reason="the integrals are FriCAS's (.ci/run installs it)")
@pytest.mark.parametrize("equation", [
    "(1 - x*cot(x))*y'' - x*y' + y = 2 - 2*x*cot(x) - x^2",  # x, sin(x) guessed; y_p = x**2 guessed
    "x*y'' - (x + 1)*y' + y = 0",  # x + 1 guessed, exp(x) by reduction of order
    "x*y'' - (x + 1)*y' + y = 3*x^2*(x + 1)*exp(x)",  # y_p = x**3*exp(x) by variation of parameters
])
def test_linear_equations_get_a_proved_general_solution(equation):
    from symseq.solve.solver import solve_ode

    sol = solve_ode(equation, mode="subst", timeout=30)
    assert sol.solved and sol.verdict is Verdict.PROVED, (sol.verdict, sol.answer, sol.notes)
    assert "c1" in sol.answer and "c2" in sol.answer


def test_only_equations_linear_in_y_and_its_derivatives_have_coefficients():
    assert linear_coefficients(X * _Q + sp.sin(X) * _P - _Y - X, _Y, _P, _Q) == (X, sp.sin(X), -1, X)
    assert linear_coefficients(_Y * _Q + _P, _Y, _P, _Q) is None  # y*y''
    assert linear_coefficients(_P ** 2 + _Y, _Y, _P, _Q) is None  # no y''
    # 1/|x| read as 1/x: the equation where x > 0 (the verifier finds where the answer holds)
    assert linear_coefficients(_Q + 1 / sp.Abs(X), _Y, _P, _Q)[3] == -1 / X
