"""A definite integral from an antiderivative that jumps inside the interval, piece by piece
(symseq.solve.pieces): the jump points exact, the one-sided limits summed."""

import numpy as np
import pytest
import sympy as sp

from generators.symbols import X
from symseq.solve.definite import integrate_definite
from symseq.solve.engines import available
from symseq.solve.pieces import break_points, breaks_of, exact_zeros, value_by_pieces


def test_the_jump_of_an_arctangent_is_taken_out():
    # -atan(1/x) is an antiderivative of 1/(1 + x^2) on x < 0 and on x > 0; it jumps by pi at 0
    F = -sp.atan(1 / X)
    assert exact_zeros(F, sp.Integer(-1), sp.Integer(2)) == [0]
    value = value_by_pieces(F, sp.Integer(-1), sp.Integer(2), [sp.Integer(0)])
    assert abs(float(value - (sp.atan(2) + sp.pi / 4))) < 1e-14  # atan(2) + atan(1/2) = pi/2


def test_breaks_are_the_runs_of_broken_pairs_and_need_one_exact_point_each():
    xs = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    assert breaks_of(np.array([False, True, True, False]), xs) == [(1.0, 3.0)]
    F = 1 / (X - 2) + 1 / (X - sp.Rational(5, 2))  # two zeros in one bracket: no value
    assert break_points(F, sp.Integer(0), sp.Integer(4), [(1.0, 3.0)]) is None
    assert break_points(1 / (X - 2), sp.Integer(0), sp.Integer(4), [(1.0, 3.0)]) == [2]


def test_no_value_when_the_jump_is_not_at_an_exact_singular_point():
    assert break_points(sp.sign(X - 1), sp.Integer(0), sp.Integer(2), [(0.9, 1.1)]) is None


@pytest.mark.skipif(not available("fricas"), reason="FriCAS finds this antiderivative")
def test_a_jumping_antiderivative_gives_the_value_piece_by_piece():
    # sqrt(1 + sin(2x)) = |sin x + cos x|; FriCAS's antiderivative jumps at 3*pi/4
    sol = integrate_definite("sqrt(1 + sin(2*x))", "0", "pi", mode="fricas", timeout=20)
    assert sol.value is not None and sp.simplify(sp.sympify(sol.value) - 2 * sp.sqrt(2)) == 0
    assert "piece by piece" in sol.method
