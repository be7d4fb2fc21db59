import sympy as sp

from generators.symbols import X
from symseq.numerics.interval_bounds import finite_around, finite_on


def test_finite_on_a_whole_piece_or_not():
    assert finite_on([sp.sqrt(sp.exp(X) - X)], X, -0.5, 0.5)
    assert not finite_on([sp.sqrt(sp.exp(X) - X)], X, -10, 10)  # an enclosure too wide on one piece: not shown
    assert not finite_on([1 / (X - sp.Rational(1, 3))], X, 0, 1)  # the pole lies between any grid points
    assert not finite_on([sp.log(X)], X, -1, 1)
    assert not finite_on([sp.sqrt(X - 1)], X, 0, 2)
    assert finite_on([sp.erf(X)], X, 0, 1) is None  # not evaluated: never assumed continuous


def test_finite_around_stops_at_the_first_singular_point_on_each_side():
    lo, hi = finite_around([sp.tan(X)], X, 0.0, -10, 10)
    assert -float(sp.pi) / 2 < lo < -1.57 and 1.57 < hi < float(sp.pi) / 2
    lo, hi = finite_around([1 / (X - 1), sp.log(X + 2)], X, 0.5, -10, 10)
    assert -2 < lo < -1.99 and 0.99 < hi < 1
    assert finite_around([sp.sqrt(-X ** 2)], X, 0.5, -10, 10) is None


def test_a_singular_point_inside_a_bounded_function_is_not_hidden():
    # a review: iv.sin of an unbounded enclosure is [-1, 1], iv.exp of [-inf, a] is [0, e**a]
    assert not finite_on([X ** 2 * sp.sin(1 / X)], X, -0.05, 0.05)
    assert not finite_on([sp.cos(1 / (X - sp.Rational(1, 3)))], X, 0, 1)
    assert not finite_on([sp.exp(-1 / X ** 2)], X, -0.05, 0.05)
    lo, hi = finite_around([X ** 2 * sp.sin(1 / X)], X, 0.3, -5, 5)
    assert 0 < lo < 0.01 and hi == 5


def test_huge_arguments_are_not_evaluated():
    assert finite_on([sp.exp(sp.exp(sp.exp(sp.exp(X))))], X, 2, 3) is None
    assert finite_on([sp.sin(X ** 10 ** 18)], X, 1, 2) is None
