"""Guessed solutions of linear second-order ODEs (symseq.solve.engines.linear_guess): no CAS."""

import sympy as sp

from generators.symbols import X
from symseq.solve.engines.linear_guess import Guesses, building_blocks


def _residual(a, b, c, u):
    return sp.simplify(a * sp.diff(u, X, 2) + b * sp.diff(u, X) + c * u)


def test_two_solutions_of_a_textbook_equation_with_a_trigonometric_coefficient():
    # (1 - x*cot(x))*y'' - x*y' + y = 0: y = c1*x + c2*sin(x)
    a, b, c = 1 - X * sp.cot(X), -X, sp.Integer(1)
    found = Guesses(a, b, c, sp.Integer(0)).homogeneous()
    assert len(found) == 2
    assert all(_residual(a, b, c, u) == 0 for u in found)
    assert set(found) == {X, sp.sin(X)}


def test_half_angle_blocks_give_sin_x_for_an_equation_in_sin_2x():
    # Lample & Charton's ode2 #80: sin(x)**2*y'' - sin(2*x)*y' + (1 + cos(x)**2)*y = 0 in 2x;
    # sin(x) and x*sin(x), not sqrt(1 - cos(2*x)) (|sin(x)|*sqrt(2))
    a, b, c = (1 - sp.cos(2 * X)) / 2, -sp.sin(2 * X), (sp.cos(2 * X) + 3) / 2
    assert sp.sin(X) in building_blocks((a, b, c))
    assert Guesses(a, b, c, sp.Integer(0)).homogeneous() == [sp.sin(X), X * sp.sin(X)]


def test_the_particular_solution_is_a_polynomial_plus_products_with_exact_coefficients():
    a, b, c = 1 - X * sp.cot(X), -X, sp.Integer(1)
    for particular in (X ** 2, X ** 4 + 2, 3 * sp.cos(X) / 2 - X, sp.sqrt(2) * X ** 3):
        r = sp.expand(a * sp.diff(particular, X, 2) + b * sp.diff(particular, X) + c * particular)
        found = Guesses(a, b, c, r).particular()
        assert found is not None, particular
        # a particular solution is unique up to the homogeneous ones: the residual is what counts
        assert _residual(a, b, c, found - particular) == 0, (found, particular)


def test_the_wronskian_is_guessed_from_abel_formula():
    # x*y'' - (x + 1)*y' + y = 0 (y = x + 1, exp(x)): W = x*exp(x), W'/W = (x + 1)/x = -b/a
    g = Guesses(X, -(X + 1), sp.Integer(1), sp.Integer(0))
    assert g.homogeneous() == [X + 1]  # exp(x) is no block of the coefficients
    W = g.wronskian()
    assert W is None or sp.simplify(sp.diff(W, X) / W - (X + 1) / X) == 0


def test_no_guess_for_an_equation_whose_solutions_are_not_products_of_its_blocks():
    # Airy: y'' = x*y
    assert Guesses(sp.Integer(1), sp.Integer(0), -X, sp.Integer(0)).homogeneous() == []
