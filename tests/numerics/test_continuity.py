"""The verifier's continuity rule (symseq.numerics.continuity)."""

import math

import numpy as np
import sympy as sp

from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.numerics import continuity
from symseq.numerics.continuity import (_integrand_undefined_at_jump, find_jump, jump_at_high_precision, jump_grid,
                                        ode_jump)


def _second_order_equation(y: sp.Expr) -> sp.Expr:
    """The linear equation whose general solution is y = c1*u1 + c2*u2 (a Wronskian = 0)."""
    u1, u2 = y.coeff(C1), y.coeff(C2)
    return sp.Matrix([[(F0, F1, F2)[k], sp.diff(u1, X, k), sp.diff(u2, X, k)] for k in range(3)]).det()


def test_a_jump_where_the_integrand_is_defined_is_found():
    # -atan(1/x) jumps by pi at 0, where 1/(1 + x^2) is defined
    xs = jump_grid(np.linspace(-3, 3, 12), np.random.default_rng(0))
    assert find_jump(1 / (1 + X**2), -sp.atan(1 / X), xs).startswith("not continuous")
    assert find_jump(1 / (1 + X**2), sp.atan(X), xs) == ""


def test_a_pole_next_to_an_end_of_the_interval_is_recognised():
    # y = tan(x + c) - x + 1 has a pole where y' = tan(x + c)^2 has one; an end of [a, b] 1e-5 from
    # it (|y'| about 1e10 there) once hid the pole and the right answer was refused (1 draw in 40)
    c = 0.6806343223483684
    pole = -math.pi / 2 - c
    y = sp.tan(X + c) - X + 1
    assert _integrand_undefined_at_jump(sp.diff(y, X), y, pole - 1e-5, pole + 0.0119)


def test_the_ode_jump_test_accepts_tan_solutions_for_every_constant():
    y = -X + sp.tan(C1 + X) + 1
    equation = F1 - (X + F0 - 1) ** 2
    rng = np.random.default_rng(1)
    for _ in range(300):
        xs = jump_grid(rng.uniform(-5, 5, 40), rng)
        assert ode_jump("ode1", equation, y, (rng.uniform(-3, 3), 0.0), xs) == ""


def test_a_pole_just_beyond_an_end_is_no_jump():
    # 4e-6 beyond b, |f(b)| is 6e10: Gauss-Legendre on even pieces never sampled the peak, agreed
    # with itself on a wrong integral and confirmed a "jump" of a right answer (found once the grid
    # reached x = -32)
    y = -X + sp.tan(X + sp.Float(2.4441674820972983)) + 1
    dy = sp.diff(y, X)
    assert jump_at_high_precision(dy, y, -32.93528287159992, -32.28930174462226) is not True


def test_a_pole_next_to_an_end_of_the_interval_with_a_huge_value_there():
    # x*tan(x)**3 has a triple pole at -3*pi/2: an end 1e-9 from it (|f| about 5e27) once made the
    # scale the pole had to rise above (a fresh clone's test run refused FriCAS's right answer)
    pole = -3 * math.pi / 2
    f = X * sp.tan(X) ** 3
    F = sp.tan(X) ** 2 * X / 2 - sp.tan(X) / 2 + X / 2  # an antiderivative would do; any F jumping at the pole
    assert _integrand_undefined_at_jump(f, F, pole - 1.25, pole + 1e-9)


def test_a_peak_that_levels_off_is_no_pole():
    # 1/(x**2 + 1e-18) is continuous (1e18 at 0): a jump of F there is a jump (the review's finding)
    f = 1 / (X**2 + sp.Rational(1, 10**18))
    F = sp.atan(X * 10**9) * 10**9 - 10 * sp.atan(1 / X)  # jumps by 10*pi at 0
    assert not _integrand_undefined_at_jump(f, F, -1e-3, 1e-3)


def test_a_pole_of_y_second_derivative_a_hair_from_a_grid_point_is_no_jump():
    # y = c1*x**2 + c2*x*tan(2*x) (Lample & Charton's ode2): y' has an even pole at pi/4, so the
    # bisection finds no step there, and a grid point 1e-6 from it hid the pole from the
    # quadrature: the right answer was refused as "not continuous" (at random, by the grid's offset)
    y = C1 * X ** 2 + C2 * X * sp.tan(2 * X)
    equation = _second_order_equation(y)
    for gap in (1e-6, 1e-8, 1e-10, -1e-9):
        xs = np.array([0.7, 0.7528, math.pi / 4 - gap, 0.82])
        assert ode_jump("ode2", equation, y, (1.11, -1.72), xs) == "", gap
    # a jump beside such a pole is still one: sign(x - 0.76) steps inside the pair
    stepped = y + sp.sign(X - sp.Float(0.76))
    assert ode_jump("ode2", equation, stepped, (1.11, -1.72), np.array([0.7, 0.7528, 0.77, 0.82])) != ""


def test_a_fast_oscillation_the_grid_aliases_is_cleared_in_double_precision(monkeypatch):
    # sin(64*x**3 + ...) oscillates faster than the screen's grid beyond |x| ~ 5: the aliased pairs
    # looked like jumps and mpmath took 3-6 s to clear each (a right ode2 answer timed out in the
    # race); the refined double-precision quadrature clears them, and mpmath is never asked
    y = C1 * X + C2 + X ** 2 + sp.sin(64 * X ** 3 + 240 * X ** 2 + 301 * X + 125)
    equation = F2 - sp.diff(y, X, 2)  # y'' = that function of x

    def no_mpmath(*args, **kwargs):
        raise AssertionError("mpmath was asked")

    monkeypatch.setattr(continuity, "jump_at_high_precision", no_mpmath)
    rng = np.random.default_rng(5)
    for _ in range(3):
        assert ode_jump("ode2", equation, y, tuple(rng.uniform(-3, 3, 2)), jump_grid(rng.uniform(-5, 5, 40), rng)) == ""



def test_an_ode_answer_may_jump_only_where_the_equation_is_undefined():
    # c1 + x/Abs(x) is constant on each side of 0, but y' = 0 is defined there and its solutions
    # through 0 are constants: a jump (before, excused because the answer's own derivative is
    # undefined at 0); for y' = y/x, undefined at 0, c1*x + Abs(x) may change slope there
    xs = jump_grid(np.linspace(-3, 3, 12), np.random.default_rng(0))
    assert ode_jump("ode1", F1, C1 + X / sp.Abs(X), (0.7, 0.0), xs).startswith("not continuous")
    assert ode_jump("ode1", X * F1, C1 + sp.sign(X), (0.7, 0.0), xs).startswith("not continuous")
    assert ode_jump("ode1", F1 - F0 / X, C1 * X + sp.Abs(X), (0.7, 0.0), xs) == ""
