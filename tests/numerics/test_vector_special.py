"""Bessel and Airy functions of real arguments by scipy (symseq.numerics.vector_special)."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from generators.symbols import X
from symseq.numerics.numeric import evaluate
from symseq.numerics.vector_special import VECTORISED, real_values

pytest.importorskip("scipy")

MPMATH = {"besselj": mpmath.besselj, "bessely": mpmath.bessely, "besseli": mpmath.besseli,
          "besselk": mpmath.besselk, "airyai": mpmath.airyai, "airybi": mpmath.airybi,
          "airyaiprime": lambda z: mpmath.airyai(z, derivative=1),
          "airybiprime": lambda z: mpmath.airybi(z, derivative=1)}


@pytest.mark.parametrize("name", sorted(MPMATH))
def test_the_values_are_mpmaths_where_given(name):
    rng = np.random.default_rng(7)
    z = np.concatenate([rng.uniform(-30, 30, 400), rng.uniform(-1, 1, 100)]).astype(np.complex128)
    orders = [0.0, 0.25, 1.0, -1 / 3, 2.5] if name.startswith("bessel") else [None]
    for nu in orders:
        args = [z] if nu is None else [np.full(z.shape, nu, dtype=np.complex128), z]
        values, done = real_values(name, args)
        assert done.sum() >= 200  # at least the positive arguments
        for i in np.flatnonzero(done):
            ref = complex(MPMATH[name](*(a[i].real for a in args)))
            assert abs(values[i] - ref) <= 1e-10 * abs(ref) + 1e-300, (name, nu, z[i], values[i], ref)


def test_complex_values_and_arguments_are_left_to_mpmath():
    # J_{1/4} of a negative number is complex (principal branch): not computed here; nor any
    # complex argument; an integer order's negative argument is real and is
    values, done = real_values("besselj", [np.full(3, 0.25 + 0j), np.array([-2.0, 1.0 + 1j, 3.0])])
    assert done.tolist() == [False, False, True]
    assert real_values("besselj", [np.array([1.0 + 0j]), np.array([-2.0 + 0j])])[1].all()
    assert "erf" not in VECTORISED and real_values("erf", [np.array([1.0 + 0j])]) is None


def test_the_evaluator_mixes_both_and_agrees_with_mpmath_at_every_point():
    xs = np.array([-3.5, -0.2, 0.7, 2.0, 9.0], dtype=np.complex128)
    expr = sp.sqrt(X) * sp.besselk(sp.Rational(1, 4), X ** 2 / 2) + sp.besselj(sp.Rational(1, 3), X)
    got = evaluate(expr, {X: xs})[0]
    for x, v in zip(xs, got):
        with mpmath.workprec(80):
            ref = complex(mpmath.sqrt(x) * mpmath.besselk(0.25, x ** 2 / 2) + mpmath.besselj(mpmath.mpf(1) / 3, x))
        assert abs(v - ref) <= 1e-10 * (1 + abs(ref)), (x, v, ref)


def test_hostile_orders_and_arguments_are_left_to_mpmath_not_guessed():
    # an order of 1e300, an argument of 1e200: scipy overflows or gives nan there; nothing is
    # taken from it, and no exception escapes
    z = np.array([0.5, 3.0, 1e200, -1e200], dtype=np.complex128)
    values, done = real_values("besselk", [np.full(4, 1e300 + 0j), z])
    assert not done[:2].any() and np.isnan(values[~done]).all()
    values, done = real_values("airyai", [z])
    assert done[:2].all() and np.isfinite(values[done]).all()
