"""The constants of an IVP's general solution (symseq.solve.ivp_constants)."""

import sympy as sp

from generators.symbols import C1, C2, X
from symseq.lang.parse import parse_ode
from symseq.solve.ivp import parse_conditions
from symseq.solve.ivp_constants import constant_solves_job, constants_job, met_job


def test_constants_are_solved_and_every_real_branch_kept():
    # y = c1*exp(x) + c2*exp(-x): one solution; y = (x + c1)**2 / 4 with y(0) = 1: c1 = +-2
    assert constants_job((C1 * sp.exp(X) + C2 * sp.exp(-X), parse_conditions("y(0) = 2, y'(0) = 0", 2))) \
        == [(sp.exp(X) + sp.exp(-X), False)]
    found = constants_job(((X + C1) ** 2 / 4, parse_conditions("y(0) = 1", 1)))
    assert sorted(p.subs(X, 1) for p, local in found if not local) == [sp.Rational(1, 4), sp.Rational(9, 4)]


def test_complex_constants_count_only_when_the_solution_is_real():
    # -1/tanh(c1 + x**2/2) meets y(0) = 0 only at c1 = +-I*pi/2, where it is the real -tanh(x**2/2)
    found = constants_job((-1 / sp.tanh(C1 + X ** 2 / 2), parse_conditions("y(0) = 0", 1)))
    assert found and all(local and sp.simplify(p + sp.tanh(X ** 2 / 2)) == 0 for p, local in found)
    # exp(I*c1)*x at y(1) = 2: c1 = -I*log(2) gives the real 2*x; c1**2*(1 + I*x) at y(0) = -1 a complex one
    assert constants_job((sp.exp(sp.I * C1) * X, parse_conditions("y(1) = 2", 1))) == [(2 * X, True)]
    assert constants_job((C1 ** 2 * (1 + sp.I * X), parse_conditions("y(0) = -1", 1))) == []


def test_a_constant_the_family_misses_comes_as_its_limit():
    # (c1 + log(x))/(c1 - 1) is 1 for no c1, and tends to 1 as c1 -> +-oo; held to the local standard
    found = constants_job(((C1 + sp.log(X)) / (C1 - 1), parse_conditions("y(1) = 1", 1)))
    assert found and all(p == 1 and local for p, local in found)


def test_an_equilibrium_is_a_constant_whose_residual_is_zero():
    equation, _ = parse_ode("y' + x^2*(y + 1)*(y - 2)^2 = 0")
    assert constant_solves_job(("ode1", equation, sp.Integer(2), sp.Integer(4)))
    assert constant_solves_job(("ode1", equation, sp.Integer(-1), sp.Integer(0)))
    assert not constant_solves_job(("ode1", equation, sp.Integer(1), sp.Integer(0)))


def test_a_condition_is_met_only_exactly():
    cs = parse_conditions("y(0) = 1", 1)
    assert met_job((sp.exp(X), cs)) == [True]
    assert met_job((sp.exp(X) + sp.Rational(1, 10 ** 40), cs)) == [False]
    assert met_job((1 / X, cs)) == [False]  # undefined at the point


def test_a_constant_is_no_answer_where_the_equation_is_undefined():
    # (y - 1)/x at x0 = 0: every y = 1 + c*x meets y(0) = 1 (an adversarial review's finding)
    equation, _ = parse_ode("y' = (y - 1)/x")
    assert not constant_solves_job(("ode1", equation, sp.Integer(1), sp.Integer(0)))
    assert constant_solves_job(("ode1", equation, sp.Integer(1), sp.Integer(2)))


def test_constants_inside_abs_are_solved_as_real_numbers():
    # sqrt(c1**2 + x**2) simplifies to Abs(c1) at x = 0: solving for a complex c1 raised
    found = constants_job((sp.sqrt(C1 ** 2 + X ** 2), parse_conditions("y(0) = 2", 1)))
    assert found and all(p.subs(X, 0) == 2 and not local for p, local in found)


def test_a_constant_complex_without_an_i_is_not_taken_as_real():
    # c1**3 = -2 at y(0) = -2: SymPy may write a root as (-2)**(1/3), complex though it holds no I
    from symseq.solve.ivp_constants import _real_number

    assert not _real_number(sp.Pow(-2, sp.Rational(1, 3)))
    assert _real_number(-sp.Integer(2) ** sp.Rational(1, 3)) and _real_number(C1 + 1)
