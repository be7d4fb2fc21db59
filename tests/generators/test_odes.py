"""ODE constant elimination: invert, solve_for, absorb_constants."""

import sympy as sp

from generators.odes import Y0, absorb_constants, invert, solve_for
from generators.symbols import C1, C2, X


def test_solve_for_linear_and_through_functions():
    assert sp.simplify(solve_for(C1 * sp.exp(X) + X, C1, Y0) - (Y0 - X) * sp.exp(-X)) == 0
    assert solve_for(sp.sin(C1 + X), C1, Y0) == sp.asin(Y0) - X
    assert sp.simplify(solve_for(sp.log(C1 * X), C1, Y0) - sp.exp(Y0) / X) == 0


def test_invert_refuses_what_it_cannot_isolate():
    assert invert(C1 * X + sp.sin(C1), C1, Y0) is None  # the constant on two paths
    assert invert(sp.Abs(C1) + X, C1, Y0) is None  # no inverse for Abs


def test_every_inverse_undoes_its_function():
    y = sp.Symbol("y")
    for fn in (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.atan, sp.sinh, sp.tanh, sp.asinh):
        rhs = invert(fn(C1), C1, y)
        assert rhs is not None
        assert abs(complex(fn(rhs).subs(y, sp.Rational(1, 3)).evalf()) - 1 / 3) < 1e-12


def test_absorb_constants_keeps_one_essential_constant_per_symbol():
    assert absorb_constants(-C1 * X / 3, (C1,)) == C1 * X
    assert absorb_constants(X**3 * (-20 * C1 - 20), (C1,)) == C1 * X**3
    assert absorb_constants(sp.tan(C1) * X + C2, (C1, C2)) == C1 * X + C2
